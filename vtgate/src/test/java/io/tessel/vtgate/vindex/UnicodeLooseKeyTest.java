package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link UnicodeLooseKey} against Go's x/text: the reference vectors, golden files written by running
 * {@code collate.New(language.English, collate.Loose).Key} (see {@code unicode-loose-golden.md}), and edge cases.
 */
class UnicodeLooseKeyTest {
    /** Ideographs new in Unicode 14/15: the golden files (Go 1.19, Unicode 13) skip them; see {@link #newIdeographs}. */
    private static final int[][] SKIPPED = {{0x9FFD, 0x9FFF}, {0x2A6DE, 0x2A6DF}, {0x2B735, 0x2B739}, {0x31350, 0x323AF}};

    private static String key(String text) {
        return hex(UnicodeLooseKey.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The normalized keys of vitess-reference.md. */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "Test|1816164c17f31816",
        "TEST|1816164c17f31816",
        "Te\u0301st|1816164c17f31816",
        "T\u00e9st|1816164c17f31816",
        "Test |1816164c17f31816",
        "B\u00e9st|1605164c17f31816",
        " Test|01091816164c17f31816",
        "Test\t|1816164c17f318160100",
        "T|1816",
    })
    void referenceKeys(String input, String expected) {
        assertEquals(expected, key(input));
    }

    @Test
    void edgeCases() {
        assertEquals("", key(""));
        assertEquals("", key("   "));
        assertEquals("01090109", key(" \u00a0"), "only ASCII spaces are trimmed; NBSP weighs as a space");
        assertEquals(key("a"), key("a\u0301\u0308"), "combining marks have no primary weight");
        assertEquals(key("\u00c5"), key("A\u030a"), "precomposed and decomposed forms agree");
        assertEquals(key("ffi"), key("\ufb03"), "a ligature weighs as its letters");
        assertEquals("15ef", key("a"));
        assertEquals("1297", key("\ud83d\ude00"), "U+1F600 has a weight in x/text's table");
        assertEquals("8a000d", key("\ud900\udc0d"), "unassigned U+5000D gets an implicit weight (3 bytes)");
        assertEquals("84000d", key("\ud840\udc0d"), "CJK extension B U+2000D: rare-ideograph implicit base");
        assertEquals("85000d", key("\ud880\udc0d"), "CJK extension G U+3000D (Unicode 13): ideograph");
    }

    @Test
    void rejectsInvalidUtf8LikeGo() {
        for (String bad : List.of("ff", "c0af", "eda080", "f4908080", "e282", "61e2")) {
            VtException e = assertThrows(VtException.class, () -> UnicodeLooseKey.of(bytes(bad)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("cannot normalize string containing invalid UTF-8: \""),
                    e.getMessage());
        }
        VtException e = assertThrows(VtException.class, () -> UnicodeLooseKey.of(bytes("41ff0a22")));
        assertEquals("cannot normalize string containing invalid UTF-8: \"A\\xff\\n\\\"\"", e.getMessage());
    }

    /** Ideographs new in Unicode 14 and 15 get ideograph implicit weights (Go 1.21+, which Vitess uses). */
    @Test
    void newIdeographs() {
        for (int[] range : SKIPPED) {
            for (int cp : new int[] {range[0], range[1]}) {
                int primary = cp + (cp <= 0x9FFF ? 0x10000 : 0x20000);
                String expected = String.format("%02x%04x", (primary >>> 16) | 0x80, primary & 0xFFFF);
                assertEquals(expected, key(Character.toString(cp)), Integer.toHexString(cp));
            }
        }
    }

    /** Every single code point, as MD5 digests over 4,096-code-point blocks computed with Go's x/text. */
    @Test
    void everyCodePointMatchesGoldenBlockDigests() throws IOException, NoSuchAlgorithmException {
        List<String> mismatches = new ArrayList<>();
        for (String line : lines("unicode-loose-blocks.txt", false)) {
            int block = Integer.parseInt(line.substring(0, 6), 16);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (int cp = block; cp < block + 4096; cp++) {
                if ((cp >= 0xD800 && cp <= 0xDFFF) || isSkipped(cp)) {
                    continue;
                }
                byte[] k = UnicodeLooseKey.of(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                md5.update((byte) k.length);
                md5.update(k);
            }
            if (!line.substring(7).equals(hex(md5.digest()))) {
                mismatches.add(line.substring(0, 6));
            }
        }
        assertEquals(List.of(), mismatches, "blocks whose single-code-point keys differ from x/text");
    }

    /** Strings (random mixes of scripts, marks, contractions) with the keys Go's x/text gives them. */
    @Test
    void matchesGoldenStrings() throws IOException {
        int checked = 0;
        List<String> mismatches = new ArrayList<>();
        for (String name : List.of("unicode-loose-golden.txt", "unicode-loose-contractions.txt.gz")) {
            for (String line : lines(name, name.endsWith(".gz"))) {
                String[] f = line.split(" ");
                String actual = hex(UnicodeLooseKey.of(bytes(f[0])));
                if (!actual.equals(f[1])) {
                    mismatches.add(f[0] + " want " + f[1] + " got " + actual);
                }
                checked++;
            }
        }
        assertEquals(List.of(), mismatches.stream().limit(20).toList(), mismatches.size() + " mismatches");
        assertTrue(checked > 1000, "golden files read: " + checked);
    }

    private static boolean isSkipped(int cp) {
        for (int[] range : SKIPPED) {
            if (cp >= range[0] && cp <= range[1]) {
                return true;
            }
        }
        return false;
    }

    static List<String> lines(String resource, boolean gzip) throws IOException {
        InputStream raw = UnicodeLooseKeyTest.class.getResourceAsStream(resource);
        if (raw == null) {
            throw new IOException("missing test resource " + resource);
        }
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
