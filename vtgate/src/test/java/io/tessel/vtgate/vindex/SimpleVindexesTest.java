package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.mapOne;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** numeric, reverse_bits, binary, binary_md5 and null: vectors, Verify and ReverseMap. */
class SimpleVindexesTest {
    private final NumericVindex numeric = new NumericVindex("num");
    private final ReverseBitsVindex reverseBits = new ReverseBitsVindex("rb");
    private final BinaryMd5Vindex binaryMd5 = new BinaryMd5Vindex("md5");
    private final BinaryVindex binary = new BinaryVindex("bin");
    private final NullVindex nullVindex = new NullVindex("nv");

    /** numeric_test.go's 1..8 over int, uint, []byte("7") and the integral "8"; then what maps to no shard. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INT64:1, 0000000000000001", "INT32:2, 0000000000000002", "INT64:3, 0000000000000003",
        "UINT64:4, 0000000000000004", "UINT32:5, 0000000000000005", "UINT64:6, 0000000000000006",
        "VARBINARY:7, 0000000000000007", "INT64:8, 0000000000000008",
        "UINT64:18446744073709551615, ffffffffffffffff",
        "INT64:-1, none", "VARCHAR:-1, none", "VARCHAR:aa, none", "NULL, none", "FLOAT64:1.1, none",
    })
    void numericMaps(String input, String ksid) {
        assertEquals(ksid, mapOne(numeric, input));
    }

    @Test
    void numericVerifyAndReverseMap() {
        assertEquals(List.of(true, false), numeric.verify(List.of(value("INT64:1"), value("UINT64:4")),
                List.of(bytes("0000000000000001"), bytes("06e7ea22ce92708f"))));
        assertEquals("Numeric.Verify: could not parse value: 'aa'", assertThrows(VtException.class,
                () -> numeric.verify(List.of(value("VARCHAR:aa")), List.of(bytes("00")))).getMessage());
        assertEquals(List.of(Value.ofUint64(1)), numeric.reverseMap(List.of(bytes("0000000000000001"))));
        assertEquals("Numeric.ReverseMap: length of keyspaceId is not 8: 2", assertThrows(VtException.class,
                () -> numeric.reverseMap(List.of("aa".getBytes()))).getMessage());
        assertEquals(0, numeric.cost());
    }

    /** reverse_bits_test.go's 1..6 and NULL, plus the reference's computed 7, 255 and 256. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INT64:1, 8000000000000000", "INT64:2, 4000000000000000", "INT64:3, c000000000000000",
        "INT64:4, 2000000000000000", "INT64:5, a000000000000000", "INT64:6, 6000000000000000",
        "NULL, none",
        "INT64:7, e000000000000000", "INT64:255, ff00000000000000", "INT64:256, 0080000000000000",
        "VARCHAR:aa, none",
    })
    void reverseBitsMaps(String input, String ksid) {
        assertEquals(ksid, mapOne(reverseBits, input));
    }

    @Test
    void reverseBitsVerifyAndReverseMap() {
        assertEquals(List.of(true, false), reverseBits.verify(List.of(value("INT64:1"), value("INT64:2")),
                List.of(bytes("8000000000000000"), bytes("8000000000000000"))));
        assertEquals(List.of(Value.ofUint64(1), Value.ofUint64(256)),
                reverseBits.reverseMap(List.of(bytes("8000000000000000"), bytes("0080000000000000"))));
        assertEquals("invalid keyspace id: 1234", assertThrows(VtException.class,
                () -> reverseBits.reverseMap(List.of(bytes("1234")))).getMessage());
        assertEquals(1, reverseBits.cost());
    }

    /** binarymd5_test.go's two vectors and the reference's computed ones. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "VARCHAR:Test, 0cbc6611f5540bd0809a388dc95a615b",
        "VARBINARY:TEST, 033bd94b1168d7e4f0d644c3c95e35bf",
        "VARCHAR:test, 098f6bcd4621d373cade4e832627b4f6",
        "VARCHAR:a, 0cc175b9c0f1b6a831c399e269772661",
        "INT64:1, c4ca4238a0b923820dcc509a6f75849b",
        "VARCHAR:, d41d8cd98f00b204e9800998ecf8427e",
        "NULL, d41d8cd98f00b204e9800998ecf8427e",
    })
    void binaryMd5Maps(String input, String ksid) {
        assertEquals(ksid, mapOne(binaryMd5, input));
    }

    @Test
    void binaryMd5Verifies() {
        byte[] test = bytes("0cbc6611f5540bd0809a388dc95a615b");
        assertEquals(List.of(true, false),
                binaryMd5.verify(List.of(value("VARCHAR:Test"), value("VARCHAR:TEST")), List.of(test, test)));
    }

    @Test
    void binaryIsIdentity() {
        assertEquals("010203", mapOne(binary, "VARBINARY:\u0001\u0002\u0003"));
        assertEquals(List.of(true, false), binary.verify(List.of(value("VARBINARY:ab"), value("VARBINARY:ab")),
                List.of("ab".getBytes(), "abc".getBytes())));
        assertEquals(List.of(new Value(Type.VARBINARY, bytes("0102"))), binary.reverseMap(List.of(bytes("0102"))));
        assertEquals(0, binary.cost());
    }

    @Test
    void nullSendsEverythingToKeyspaceIdZero() {
        assertEquals("00", mapOne(nullVindex, "NULL"));
        assertEquals("00", mapOne(nullVindex, "INT64:7"));
        assertEquals(List.of(true, false), nullVindex.verify(List.of(value("INT64:1"), value("INT64:2")),
                List.of(bytes("00"), bytes("01"))));
        assertEquals(0, nullVindex.cost());
    }
}
