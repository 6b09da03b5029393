package io.tessel.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletAlias;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the TopoCode to ErrorCode table, Vitess-style messages, and tablet alias text. */
class TopoExceptionTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "NODE_EXISTS, ALREADY_EXISTS",
        "NO_NODE, NOT_FOUND",
        "NODE_NOT_EMPTY, FAILED_PRECONDITION",
        "TIMEOUT, DEADLINE_EXCEEDED",
        "INTERRUPTED, CANCELED",
        "BAD_VERSION, ABORTED",
        "NO_IMPLEMENTATION, UNIMPLEMENTED",
        "RESOURCE_EXHAUSTED, RESOURCE_EXHAUSTED",
        "UNREACHABLE, UNAVAILABLE",
        "INVALID_DATA, INTERNAL",
    })
    void mapsToErrorCodes(TopoCode code, ErrorCode expected) {
        TopoException e = new TopoException(code, "keyspaces/ks/Keyspace");
        VtException vt = e.toVtException();
        assertEquals(expected, vt.code());
        assertSame(e, vt.getCause());
        assertEquals(e.getMessage(), vt.getMessage());
    }

    @Test
    void everyCodeIsPinned() {
        assertEquals(10, TopoCode.values().length, "add the new code to mapsToErrorCodes");
    }

    @Test
    void messagesReadLikeVitess() {
        assertEquals("node doesn't exist: keyspaces/ks/Keyspace",
                new TopoException(TopoCode.NO_NODE, "keyspaces/ks/Keyspace").getMessage());
        assertEquals("bad node version: f", new TopoException(TopoCode.BAD_VERSION, "f").getMessage());
    }

    @Test
    void interruptedSetsTheFlagAgain() {
        TopoException e = TopoException.interrupted("waiting", new InterruptedException());
        assertEquals(TopoCode.INTERRUPTED, e.code());
        assertTrue(Thread.interrupted());
    }

    @Test
    void formatsAndParsesTabletAliases() {
        TabletAlias alias = TabletAliases.of("zone1", 100);
        assertEquals("zone1-0000000100", TabletAliases.format(alias));
        assertEquals(alias, TabletAliases.parse("zone1-0000000100"));
        assertEquals(alias, TabletAliases.parse("zone1-100"));
        assertEquals("zone1-4294967295", TabletAliases.format(TabletAliases.of("zone1", -1)));
        assertEquals(-1, TabletAliases.parse("zone1-4294967295").getUid());
        for (String bad : new String[] {"zone1", "a-b-1", "zone1-x", "-1", "zone1-4294967296"}) {
            VtException ex = org.junit.jupiter.api.Assertions.assertThrows(VtException.class, () -> TabletAliases.parse(bad));
            assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
        }
    }
}
