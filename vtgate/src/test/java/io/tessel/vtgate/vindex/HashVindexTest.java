package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.mapOne;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashVindexTest {
    private final HashVindex hash = new HashVindex("nn");

    /** Every vector of the reference (rows 1-6 and NULL from Vitess's hash_test.go, the rest recomputed). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INT64:1, 166b40b44aba4bd6",
        "INT64:2, 06e7ea22ce92708f",
        "INT64:3, 4eb190c9a2fa169c",
        "INT64:4, d2fd8867d50d2dfe",
        "INT64:5, 70bb023c810ca87a",
        "INT64:6, f098480ac4c4be71",
        "NULL, none",
        "INT64:0, 8ca64de9c1b123a7",
        "INT64:7, fb8baaad918119b8",
        "INT64:8, cc083f1e6d9e85f6",
        "INT64:10, 594764e1a2b2d98e",
        "INT64:100, 83aab1569cbe1b08",
        "INT64:-1, 355550b2150e2451",
        "UINT64:18446744073709551615, 355550b2150e2451",
        "INT64:9223372036854775807, f77d48aadda1f1bb",
        "INT64:-9223372036854775808, 95f8a5e5dd31d900",
        "UINT64:9223372036854775808, 95f8a5e5dd31d900",
        // other integer types and text parse the same way
        "INT8:1, 166b40b44aba4bd6",
        "UINT32:2, 06e7ea22ce92708f",
        "VARCHAR:1, 166b40b44aba4bd6",
        "VARBINARY:4, d2fd8867d50d2dfe",
        // a whole FLOAT or DECIMAL (node's mysql2 binds numbers as DOUBLE) maps as the integer does
        "FLOAT64:100.0, 83aab1569cbe1b08",
        "DECIMAL:7.00, fb8baaad918119b8",
        "FLOAT64:-1.0, 355550b2150e2451",
        // not a uint64: no shard
        "VARBINARY:aa, none",
        "VARCHAR:-1, none",
        "VARCHAR:, none",
        "'VARCHAR: 1', none",
        "FLOAT64:1.5, none",
        "INT64:18446744073709551615, none",
        "UINT64:-1, none",
    })
    void mapsLikeVitess(String input, String ksid) {
        assertEquals(ksid, mapOne(hash, input));
    }

    @Test
    void mapKeepsPositionsAroundNull() {
        List<Destination> got = hash.map(List.of(value("INT64:1"), Value.NULL, value("INT64:2")));
        assertEquals(List.of(new Destination.KeyspaceId(bytes("166b40b44aba4bd6")), Destination.NONE,
                new Destination.KeyspaceId(bytes("06e7ea22ce92708f"))), got);
    }

    @Test
    void describesItself() {
        assertEquals("nn", hash.name());
        assertEquals(1, hash.cost());
        assertTrue(hash.isUnique());
        assertFalse(hash.needsVCursor());
    }

    @Test
    void verifies() {
        byte[] one = bytes("166b40b44aba4bd6");
        assertEquals(List.of(true, false), hash.verify(List.of(value("INT64:1"), value("INT64:2")), List.of(one, one)));
        assertEquals(List.of(true), hash.verify(List.of(value("INT64:-1")), List.of(bytes("355550b2150e2451"))));
    }

    @Test
    void verifyRejectsWhatItCannotParse() {
        VtException e = assertThrows(VtException.class,
                () -> hash.verify(List.of(value("VARBINARY:aa")), java.util.Arrays.asList((byte[]) null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("hash.Verify: could not parse value: 'aa'", e.getMessage());
        VtException sizes = assertThrows(VtException.class, () -> hash.verify(List.of(value("INT64:1")), List.of()));
        assertEquals("hash.Verify: length of ids 1 doesn't match length of ksids 0", sizes.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1", "0", "-1", "9223372036854775807", "-9223372036854775808", "1234567890123"})
    void reverseMapUndoesHash(long id) {
        byte[] ksid = hash.hash(Value.ofInt64(id));
        assertEquals(List.of(Value.ofUint64(id)), hash.reverseMap(List.of(ksid)));
    }

    @Test
    void reverseMapOfVitessVector() {
        assertEquals(List.of(Value.ofUint64(1)), hash.reverseMap(List.of(bytes("166b40b44aba4bd6"))));
    }

    @Test
    void reverseMapNeedsEightBytes() {
        VtException e = assertThrows(VtException.class,
                () -> hash.reverseMap(List.of(bytes("166b40b44aba4bd6166b40b44aba4bd6"))));
        assertEquals("invalid keyspace id: 166b40b44aba4bd6166b40b44aba4bd6", e.getMessage());
    }

    @Test
    void hashThrowsForNull() {
        assertThrows(VtException.class, () -> hash.hash(Value.NULL));
        assertArrayEquals(bytes("166b40b44aba4bd6"), hash.hash(value("INT64:1")));
    }
}
