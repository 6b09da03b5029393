package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Vschema.SrvVSchema;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Building the VSchema snapshot from SrvVSchema protos: only on change, leaving bad keyspaces out. */
class VSchemaTrackerTest {
    private final List<String> rejected = new ArrayList<>();
    private final VSchemaTracker tracker = new VSchemaTracker(new VSchemaLoader(VindexRegistry.builtin()),
            (keyspace, reason) -> rejected.add(keyspace + ": " + reason));

    private static SrvVSchema srv(String... keyspaceAndJson) {
        SrvVSchema.Builder b = SrvVSchema.newBuilder();
        for (int i = 0; i < keyspaceAndJson.length; i += 2) {
            b.putKeyspaces(keyspaceAndJson[i], VSchemaLoader.parseJson(keyspaceAndJson[i + 1]));
        }
        return b.build();
    }

    private static final String BAD = """
            {"sharded": true, "vindexes": {"v": {"type": "no_such_type"}}}""";

    @Test
    void badKeyspaceIsReportedOncePerChangeAndLeftOut() {
        assertTrue(tracker.update(srv("good", "{}", "bad", BAD)));
        assertEquals(Set.of("good"), tracker.current().keyspaces().keySet());
        assertEquals(1, rejected.size(), rejected::toString);
        assertTrue(rejected.get(0).startsWith("bad: ") && rejected.get(0).contains("no_such_type"), rejected.get(0));

        assertFalse(tracker.update(srv("good", "{}", "bad", BAD)), "an equal proto is no change");
        assertEquals(1, rejected.size(), "not reported again");

        assertTrue(tracker.update(srv("good", "{\"sharded\": true}", "bad", BAD)));
        assertEquals(2, rejected.size(), "reported again after a change");
    }

    @Test
    void missingSrvVSchemaIsEmptyAndListenersRunOnlyOnChange() {
        List<VSchema> seen = new ArrayList<>();
        tracker.addListener(() -> seen.add(tracker.current()));
        assertFalse(tracker.update(null), "nothing, as at start");
        assertSame(VSchema.EMPTY, tracker.current());
        assertTrue(tracker.update(srv("ks", "{}")));
        assertTrue(tracker.update(null));
        assertEquals(2, seen.size());
        assertEquals(Set.of("ks"), seen.get(0).keyspaces().keySet(), "a listener sees the new snapshot");
        assertEquals(VSchema.EMPTY, seen.get(1));
    }

    @Test
    void failingListenerDoesNotStopTheOthers() {
        List<String> calls = new ArrayList<>();
        tracker.addListener(() -> {
            throw new IllegalStateException("boom");
        });
        tracker.addListener(() -> calls.add("second"));
        tracker.update(srv("ks", "{}"));
        assertEquals(List.of("second"), calls);
    }
}
