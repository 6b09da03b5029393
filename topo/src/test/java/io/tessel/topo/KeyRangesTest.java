package io.tessel.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.KeyRange;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Key-range arithmetic against the worked examples of Vitess's key.go and hash vindex vectors. */
class KeyRangesTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0} -> [{1}, {2}) = {3}")
    @CsvSource({
        "-80, '', 80, -80",
        "80-, 80, '', 80-",
        "40-80, 40, 80, 40-80",
        "0, '', '', -",
        "-, '', '', -",
        "4000-8000, 4000, 8000, 4000-8000",
        "A0-FF, a0, ff, a0-ff",
        "-00c0, '', 00c0, -00c0",
    })
    void parsesShardNames(String name, String start, String end, String formatted) {
        KeyRange range = KeyRanges.parseShardName(name);
        assertEquals(start, HEX.formatHex(range.getStart().toByteArray()));
        assertEquals(end, HEX.formatHex(range.getEnd().toByteArray()));
        assertEquals(formatted, KeyRanges.format(range));
        assertTrue(KeyRanges.isValidShardName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8-", "80", "-8", "x0-", "80-40", "80-80", "0-", "00", "-80-", "1", "80 -"})
    void rejectsMalformedShardNames(String name) {
        VtException e = assertThrows(VtException.class, () -> KeyRanges.parseShardName(name));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertFalse(KeyRanges.isValidShardName(name));
    }

    @Test
    void fullRangeFormatsAsDash() {
        assertEquals("-", KeyRanges.format(null));
        assertEquals("-", KeyRanges.format(KeyRanges.FULL));
        assertTrue(KeyRanges.isFull(null));
        assertTrue(KeyRanges.isFull(KeyRanges.parseShardName("0")));
        assertFalse(KeyRanges.isFull(KeyRanges.parseShardName("-80")));
    }

    /** hash vindex keyspace ids of 1..6 (vitess-reference section 2) and the shards they route to. */
    @ParameterizedTest(name = "ksid {0}: 2 shards -> {1}, 4 shards -> {2}")
    @CsvSource({
        "166b40b44aba4bd6, -80, -40",
        "06e7ea22ce92708f, -80, -40",
        "4eb190c9a2fa169c, -80, 40-80",
        "d2fd8867d50d2dfe, 80-, c0-",
        "70bb023c810ca87a, -80, 40-80",
        "f098480ac4c4be71, 80-, c0-",
    })
    void routesHashVectorsToShards(String ksid, String ofTwo, String ofFour) {
        byte[] id = HEX.parseHex(ksid);
        assertEquals(ofTwo, shardFor(id, KeyRanges.generateShardRanges(2)));
        assertEquals(ofFour, shardFor(id, KeyRanges.parseShardingSpec("-40-80-c0-").stream().map(KeyRanges::format).toList()));
    }

    @Test
    void trailingZeroBytesDoNotMatter() {
        KeyRange a = KeyRanges.parseShardName("-80");
        KeyRange b = KeyRanges.parseShardName("00-80");
        KeyRange c = KeyRanges.parseShardName("0000-8000");
        assertTrue(KeyRanges.isEqual(a, b));
        assertTrue(KeyRanges.isEqual(a, c));
        assertEquals(0, KeyRanges.compareKeys(HEX.parseHex("80"), HEX.parseHex("800000")));
        assertFalse(KeyRanges.contains(a, HEX.parseHex("8000")));
        assertTrue(KeyRanges.contains(a, HEX.parseHex("7fffffffffffffff")));
        assertTrue(KeyRanges.contains(a, new byte[0]));
        assertTrue(KeyRanges.contains(KeyRanges.parseShardName("80-"), HEX.parseHex("80")));
    }

    @Test
    void comparesKeysUnsigned() {
        assertTrue(KeyRanges.compareKeys(HEX.parseHex("ff"), HEX.parseHex("7f")) > 0);
        assertTrue(KeyRanges.compareKeys(new byte[0], HEX.parseHex("01")) < 0);
        assertTrue(KeyRanges.contains(KeyRanges.parseShardName("c0-"), HEX.parseHex("ffffffffffffffff")));
    }

    @Test
    void parsesShardingSpecs() {
        assertEquals(List.of("-40", "40-80", "80-c0", "c0-"), names(KeyRanges.parseShardingSpec("-40-80-c0-")));
        assertEquals(List.of("40-80"), names(KeyRanges.parseShardingSpec("40-80")));
        assertEquals(List.of("-"), names(KeyRanges.parseShardingSpec("-")));
        assertEquals(List.of("-8000", "8000-"), names(KeyRanges.parseShardingSpec("-8000-")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"40", "-40--80-", "-80-40-", "-zz-", "-40-40-", "-4-"})
    void rejectsMalformedShardingSpecs(String spec) {
        VtException e = assertThrows(VtException.class, () -> KeyRanges.parseShardingSpec(spec));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @ParameterizedTest(name = "{0} shards")
    @CsvSource(delimiter = ';', value = {
        "1; -",
        "2; -80,80-",
        "3; -55,55-aa,aa-",
        "4; -40,40-80,80-c0,c0-",
        "5; -33,33-66,66-99,99-cc,cc-",
    })
    void generatesEvenShardRanges(int n, String expected) {
        assertEquals(Arrays.asList(expected.split(",")), KeyRanges.generateShardRanges(n));
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 7, 16, 255, 256, 257, 1000, 4096, 65535, 65536})
    void generatedRangesTileTheKeyspace(int n) {
        List<String> names = KeyRanges.generateShardRanges(n);
        assertEquals(n, names.size());
        assertTrue(KeyRanges.isCompleteCover(names.stream().map(KeyRanges::parseShardName).toList()));
        if (n > 1) {
            int width = n <= 256 ? 2 : 4;
            assertEquals(width, names.get(0).length() - 1, names.get(0));
        }
    }

    @Test
    void generatedBoundariesSwitchToFourDigitsAbove256() {
        assertEquals("-01", KeyRanges.generateShardRanges(256).get(0));
        assertEquals("ff-", KeyRanges.generateShardRanges(256).get(255));
        assertEquals("-00ff", KeyRanges.generateShardRanges(257).get(0));
        assertThrows(VtException.class, () -> KeyRanges.generateShardRanges(0));
        assertThrows(VtException.class, () -> KeyRanges.generateShardRanges(65537));
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "-80, 40-c0, true",
        "-80, 80-, false",
        "40-80, 80-c0, false",
        "40-80, 60-70, true",
        "0, c0-, true",
        "-, -, true",
        "80-, -80, false",
        "-8000, 7f-80, true",
    })
    void detectsIntersection(String a, String b, boolean expected) {
        assertEquals(expected, KeyRanges.intersects(KeyRanges.parseShardName(a), KeyRanges.parseShardName(b)));
        assertEquals(expected, KeyRanges.intersects(KeyRanges.parseShardName(b), KeyRanges.parseShardName(a)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "-80,80-; true",
        "c0-,-40,80-c0,40-80; true",
        "0; true",
        "-; true",
        "-40,80-; false",
        "-80,40-; false",
        "-80; false",
        "80-; false",
        "-80,80-,80-c0; false",
        "-80,-80,80-; false",
    })
    void checksCompleteCover(String shards, boolean expected) {
        List<KeyRange> ranges = Arrays.stream(shards.split(",")).map(KeyRanges::parseShardName).toList();
        assertEquals(expected, KeyRanges.isCompleteCover(ranges));
    }

    @Test
    void emptySetIsNotACompleteCover() {
        assertFalse(KeyRanges.isCompleteCover(List.of()));
    }

    private static String shardFor(byte[] ksid, List<String> shards) {
        List<String> matches = shards.stream().filter(s -> KeyRanges.contains(KeyRanges.parseShardName(s), ksid)).toList();
        assertEquals(1, matches.size(), () -> "shards containing the id: " + matches);
        return matches.get(0);
    }

    private static List<String> names(List<KeyRange> ranges) {
        return ranges.stream().map(KeyRanges::format).toList();
    }
}
