package io.tessel.common.twopc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import org.junit.jupiter.api.Test;

class DtidTest {
    @Test
    void roundTripsThroughItsText() {
        Dtid dtid = Dtid.generate("customer", "-80");
        assertEquals(dtid, Dtid.parse(dtid.toString()));
        assertEquals("'" + dtid + "','customer:-80'", Dtid.xidSql(dtid.toString(), "customer", "-80"));
    }

    @Test
    void namesTooLongForAnXaIdAreRefusedClearly() {
        Dtid.generate("k".repeat(29), "-80"); // 29 + 3 + 32 (three colons, millis, random) = 64 bytes: fits
        VtException e = assertThrows(VtException.class, () -> Dtid.generate("k".repeat(30), "-80"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }
}
