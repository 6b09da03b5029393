package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.hex;
import static io.tessel.vtgate.vindex.TestValues.mapOne;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnicodeLooseVindexTest {
    private final UnicodeLooseMd5Vindex md5 = new UnicodeLooseMd5Vindex("md5_name");
    private final UnicodeLooseXxhashVindex xxhash = new UnicodeLooseXxhashVindex("xx_name");

    /** Every md5 and xxhash vector of vitess-reference.md. */
    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "VARCHAR:Test|0b5edbb401fd7524393690491d64f1f5|42d21361087a4c07",
        "VARCHAR:TEST|0b5edbb401fd7524393690491d64f1f5|42d21361087a4c07",
        "VARCHAR:Te\u0301st|0b5edbb401fd7524393690491d64f1f5|42d21361087a4c07",
        "VARCHAR:T\u00e9st|0b5edbb401fd7524393690491d64f1f5|42d21361087a4c07",
        "VARCHAR:Test |0b5edbb401fd7524393690491d64f1f5|42d21361087a4c07",
        "VARCHAR:B\u00e9st|c2b2332e4f73d00741026249706f2fb6|926975b9ce2ec316",
        "VARCHAR: Test|a2e3515c7e8df1ffd2ccfc11c6b19dd1|4fcb8be34ec05775",
        "VARCHAR:Test\t|82456dd87a9c7a02b1c2056b5abaa272|20af87fc36e3fd51",
        "VARCHAR:T\u00e9stLooong|9683e12b80430cd453f5dfdfba81c9a5|d3ea873942b484a7",
        "VARCHAR:T|ac0f9179f51db87fe8ecc0cf40cab97a|f81c3be2d501fe18",
        // NULL hashes the empty key: the reference's xxhash vector, and MD5 of no bytes
        "NULL|d41d8cd98f00b204e9800998ecf8427e|99e9d85137db46ef",
        "VARBINARY:|d41d8cd98f00b204e9800998ecf8427e|99e9d85137db46ef",
    })
    void mapsLikeVitess(String input, String md5Ksid, String xxhashKsid) {
        assertEquals(md5Ksid, mapOne(md5, input));
        assertEquals(xxhashKsid, mapOne(xxhash, input));
        assertEquals(md5Ksid, hex(md5.hash(value(input))));
        assertEquals(xxhashKsid, hex(xxhash.hash(value(input))));
    }

    /** The hashes of the golden strings computed in Go (the key itself is checked by UnicodeLooseKeyTest). */
    @Test
    void matchesGoldenHashes() throws IOException {
        List<String> lines = UnicodeLooseKeyTest.lines("unicode-loose-golden.txt", false);
        for (String line : lines) {
            String[] f = line.split(" ");
            Value id = new Value(Type.VARBINARY, bytes(f[0]));
            assertEquals(f[2], hex(md5.hash(id)), f[0]);
            assertEquals(f[3], hex(xxhash.hash(id)), f[0]);
        }
        assertTrue(lines.size() > 700);
    }

    @Test
    void integersHashTheirText() {
        assertEquals(mapOne(md5, "VARCHAR:42"), mapOne(md5, "INT64:42"));
        assertEquals(mapOne(xxhash, "VARCHAR:-7"), mapOne(xxhash, "INT64:-7"));
    }

    @Test
    void invalidUtf8FailsMapAndVerifyWithVitessPrefixes() {
        Value bad = new Value(Type.VARBINARY, bytes("61ff"));
        VtException e = assertThrows(VtException.class, () -> md5.map(List.of(value("VARCHAR:a"), bad)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("UnicodeLooseMD5.Map: cannot normalize string containing invalid UTF-8: \"a\\xff\"",
                e.getMessage());
        e = assertThrows(VtException.class, () -> xxhash.map(List.of(bad)));
        assertEquals("UnicodeLooseXXHash.Map: cannot normalize string containing invalid UTF-8: \"a\\xff\"",
                e.getMessage());
        e = assertThrows(VtException.class, () -> md5.verify(List.of(bad), List.of(new byte[0])));
        assertEquals("UnicodeLooseMD5.Verify: cannot normalize string containing invalid UTF-8: \"a\\xff\"",
                e.getMessage());
        e = assertThrows(VtException.class, () -> xxhash.verify(List.of(bad), List.of(new byte[0])));
        assertTrue(e.getMessage().startsWith("UnicodeLooseXXHash.Verify: cannot normalize"), e.getMessage());
    }

    @Test
    void verifiesAndDescribesItself() {
        byte[] test = bytes("0b5edbb401fd7524393690491d64f1f5");
        assertEquals(List.of(true, true, false), md5.verify(
                List.of(value("VARCHAR:test"), value("VARCHAR:T\u00c9ST  "), value("VARCHAR:Toast")),
                List.of(test, test, test)));
        assertEquals(List.of(true), xxhash.verify(List.of(value("VARCHAR:tEsT")), List.of(bytes("42d21361087a4c07"))));
        assertEquals(1, md5.cost());
        assertEquals(1, xxhash.cost());
        assertTrue(md5.isUnique() && !md5.needsVCursor());
        for (Vindex vindex : List.<Vindex>of(md5, xxhash)) {
            assertTrue(vindex instanceof Hashing && !(vindex instanceof Reversible));
        }
    }
}
