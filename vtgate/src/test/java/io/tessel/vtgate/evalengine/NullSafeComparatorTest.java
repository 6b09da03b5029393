package io.tessel.vtgate.evalengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NullSafeComparatorTest {
    private static final Field NAME = Field.newBuilder().setName("name").setType(Type.VARCHAR).setCharset(45).build();
    private static final Field WEIGHT = Field.newBuilder().setName("ws").setType(Type.VARBINARY).setCharset(63).build();
    private static final Field ID = Field.newBuilder().setName("id").setType(Type.INT64).setCharset(63).build();
    private static final List<Field> FIELDS = List.of(NAME, WEIGHT, ID);

    @Test
    void textKeysCompareByWeightStringWhenPresent() {
        // weight strings that disagree with the fallback order win: they are the server's collation
        byte[][] a = row("b", new byte[] {1}, "1");
        byte[][] b = row("a", new byte[] {2}, "2");
        var withWeights = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), FIELDS);
        var withoutWeights = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, -1, false)), FIELDS);
        assertEquals(-1, Integer.signum(withWeights.compare(a, b)));
        assertEquals(1, Integer.signum(withoutWeights.compare(a, b)));
    }

    @Test
    void weightStringsCompareAsUnsignedBytesShorterFirst() {
        var cmp = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), FIELDS);
        assertEquals(1, Integer.signum(cmp.compare(row("a", new byte[] {(byte) 0xFF}, "1"), row("b", new byte[] {1}, "2"))));
        assertEquals(-1, Integer.signum(cmp.compare(row("a", new byte[] {1}, "1"), row("b", new byte[] {1, 0}, "2"))));
    }

    @Test
    void padSpaceCollationsIgnoreTheWeightsOfTrailingSpaces() {
        // MariaDB's weight_string() keeps a weight per trailing space (utf8mb4_general_ci: 00 20), though
        // PAD SPACE collations compare 'abc ' equal to 'abc'
        byte[] abc = {0, 0x41, 0, 0x42, 0, 0x43};
        byte[] abcSpace = {0, 0x41, 0, 0x42, 0, 0x43, 0, 0x20};
        byte[] abcTwoSpaces = {0, 0x41, 0, 0x42, 0, 0x43, 0, 0x20, 0, 0x20};
        var cmp = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), FIELDS);
        assertTrue(cmp.isEqual(row("abc ", abcSpace, "1"), row("ABC", abc, "2")));
        assertTrue(cmp.isEqual(row("abc  ", abcTwoSpaces, "1"), row("abc ", abcSpace, "2")));
        assertEquals(-1, Integer.signum(cmp.compare(row("abc ", abcSpace, "1"), row("abd", new byte[] {0, 0x41, 0, 0x42, 0, 0x44}, "2"))));
        // latin1_swedish_ci: one byte per weight
        Field latin1 = NAME.toBuilder().setCharset(8).build();
        var latin = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), List.of(latin1, WEIGHT, ID));
        assertTrue(latin.isEqual(row("ab ", new byte[] {0x41, 0x42, 0x20}, "1"), row("ab", new byte[] {0x41, 0x42}, "2")));
        // a NO PAD collation (MariaDB's utf8mb4_general_nopad_ci) keeps them apart
        Field noPad = NAME.toBuilder().setCharset(45 + 1024).build();
        var strict = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), List.of(noPad, WEIGHT, ID));
        assertFalse(strict.isEqual(row("abc ", abcSpace, "1"), row("abc", abc, "2")));
    }

    @Test
    void missingWeightStringFallsBackToTheCollation() {
        byte[][] a = row("ABC", null, "1");
        byte[][] b = row("abc", new byte[] {9}, "2");
        var cmp = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, 1, false)), FIELDS);
        assertTrue(cmp.isEqual(a, b));
    }

    @Test
    void weightStringIsIgnoredForNumbers() {
        // the planner may add weight_string() when it does not know a column's type; numbers compare as numbers
        byte[][] a = row("x", new byte[] {9}, "10");
        byte[][] b = row("x", new byte[] {1}, "9");
        var cmp = new NullSafeComparator(List.of(new NullSafeComparator.Key(2, 1, false)), FIELDS);
        assertEquals(1, Integer.signum(cmp.compare(a, b)));
    }

    @Test
    void nullsFirstAscendingLastDescendingAndLaterKeysBreakTies() {
        List<byte[][]> rows = new ArrayList<>(List.of(row("b", null, "1"), row(null, null, "2"),
                row("a", null, "3"), row("B", null, "0")));
        var asc = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, -1, false),
                new NullSafeComparator.Key(2, -1, true)), FIELDS);
        rows.sort(asc);
        assertEquals(List.of("2", "3", "1", "0"), ids(rows));
        rows.sort(asc.reversed());
        assertEquals(List.of("0", "1", "3", "2"), ids(rows));
    }

    @Test
    void keyOutsideTheFieldsIsABug() {
        assertThrows(IllegalStateException.class,
                () -> new NullSafeComparator(List.of(new NullSafeComparator.Key(3, -1, false)), FIELDS));
    }

    @Test
    void equalKeysAreEqualForGrouping() {
        var cmp = new NullSafeComparator(List.of(new NullSafeComparator.Key(0, -1, false)), FIELDS);
        assertTrue(cmp.isEqual(row(null, null, "1"), row(null, null, "2")));
        assertTrue(cmp.isEqual(row("é ", null, "1"), row("E", null, "2")));
        assertFalse(cmp.isEqual(row("e", null, "1"), row(null, null, "2")));
    }

    private static List<String> ids(List<byte[][]> rows) {
        return rows.stream().map(r -> new String(r[2], StandardCharsets.UTF_8)).toList();
    }

    private static byte[][] row(String name, byte[] weight, String id) {
        return new byte[][] {name == null ? null : name.getBytes(StandardCharsets.UTF_8), weight,
                id.getBytes(StandardCharsets.US_ASCII)};
    }
}
