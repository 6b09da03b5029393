package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.mapOne;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XxHashVindexTest {
    private final XxHashVindex xxhash = new XxHashVindex("xxhash_name");

    /** Every vector of Vitess's xxhash_test.go. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "VARCHAR:test1, d01ab7e4d6978f0b",
        "VARCHAR:test2, 87eb11714c0a0e89",
        "VARCHAR:testaverylongvaluetomakesurethisworks, 81d8c38e0d850e6a",
        "INT64:1, d46405367612b4b7",
        "NULL, 99e9d85137db46ef",
        "INT64:-1, d8e2a6a7c8c7623d",
        "UINT64:18446744073709551615, 477cfa8d6d8f1f8d",
        "INT64:9223372036854775807, b37eb01f7bffafd8",
        "UINT64:9223372036854775807, b37eb01f7bffafd8",
        "INT64:-9223372036854775808, 102c27ddb26a609e",
        // the text form is hashed whatever the type
        "VARCHAR:1, d46405367612b4b7",
        "VARCHAR:, 99e9d85137db46ef",
    })
    void mapsLikeVitess(String input, String ksid) {
        assertEquals(ksid, mapOne(xxhash, input));
    }

    /** Lengths around xxh64's 4-, 8- and 32-byte boundaries agree with an independent oracle value. */
    @Test
    void knownXxh64Values() {
        assertEquals(0xef46db3751d8e999L, XxHash64.hash(new byte[0]));
        assertEquals(0x44bc2cf5ad770999L, XxHash64.hash("abc".getBytes()));
    }

    @Test
    void describesItselfAndVerifies() {
        assertEquals(1, xxhash.cost());
        Vindex vindex = xxhash;
        assertEquals(false, vindex instanceof Reversible);
        byte[] one = bytes("d46405367612b4b7");
        assertEquals(List.of(true, false),
                xxhash.verify(List.of(value("UINT64:1"), value("UINT64:2")), List.of(one, one)));
    }
}
