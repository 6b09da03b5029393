package io.tessel.vtgate.evalengine;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Text comparison under a MySQL collation id (the {@code charset} of a {@code Field}), as far as vtgate can
 * do it without the server's collation tables.
 *
 * <p>Binary collations ({@code binary} 63 and the {@code *_bin} ones of utf8mb4, utf8mb3, latin1 and ascii)
 * compare bytes. Every other collation gets an approximation of {@code utf8mb4_general_ci}: accents are
 * removed (canonical decomposition, combining marks dropped) and letters upper-cased per code point, then
 * code points are compared. That is exact for {@code utf8mb4_general_ci} on ASCII and on Latin letters
 * with accents, and agrees with the {@code *_ai_ci} UCA collations on letters and digits. It is not exact
 * for: punctuation against letters or digits under UCA collations (UCA puts punctuation first), expansions
 * ({@code ß} = {@code ss} under UCA), ignorable characters, case-sensitive ({@code *_cs}, {@code *_as_cs})
 * collations and non-Latin scripts' own rules. Where exactness matters the planner asks the shards for
 * {@code weight_string(col)} and callers compare those bytes instead.
 *
 * <p>PAD SPACE collations ignore trailing spaces; MySQL 8's {@code *_0900_*} collations (ids 255 to 323) and
 * MariaDB's {@code *_nopad_*} ones (base id + 1024) are NO PAD. Stateless.
 */
public final class Collations {
    /** The {@code binary} pseudo collation of binary strings and numbers. */
    public static final int BINARY = 63;
    /** {@code utf8mb4_general_ci}: assumed for text whose collation is not known (id 0). */
    public static final int UTF8MB4_GENERAL_CI = 45;

    private static final int UTF8MB4_BIN = 46;
    private static final int LATIN1_BIN = 47;
    private static final int ASCII_BIN = 65;
    private static final int UTF8MB3_BIN = 83;
    private static final int UTF8MB4_0900_BIN = 309;
    private static final int MARIADB_NOPAD_OFFSET = 1024;
    /** The weight strings MariaDB gives a space, most bytes first (see {@link #withoutTrailingSpaceWeights}). */
    private static final byte[][] SPACE_WEIGHTS = {{0x00, 0x20}, {0x02, 0x09}, {0x20}};

    private Collations() {}

    /** True when the collation compares bytes ({@code binary} or a {@code *_bin} collation). */
    public static boolean isBinary(int collation) {
        int base = collation >= MARIADB_NOPAD_OFFSET && collation < 2 * MARIADB_NOPAD_OFFSET
                ? collation - MARIADB_NOPAD_OFFSET : collation;
        return base == BINARY || base == UTF8MB4_BIN || base == LATIN1_BIN || base == ASCII_BIN
                || base == UTF8MB3_BIN || collation == UTF8MB4_0900_BIN;
    }

    /** True when trailing spaces are significant (NO PAD collations and {@code binary}). */
    public static boolean isNoPad(int collation) {
        return collation == BINARY || (collation >= 255 && collation <= 323)
                || (collation >= MARIADB_NOPAD_OFFSET && collation < 2 * MARIADB_NOPAD_OFFSET);
    }

    /** Compares two texts under {@code collation} (0 = unknown, taken as {@code utf8mb4_general_ci}). */
    public static int compare(byte[] a, byte[] b, int collation) {
        boolean isPadSpace = !isNoPad(collation);
        int lengthA = isPadSpace ? trimmedLength(a) : a.length;
        int lengthB = isPadSpace ? trimmedLength(b) : b.length;
        if (isBinary(collation)) {
            return java.util.Arrays.compareUnsigned(a, 0, lengthA, b, 0, lengthB);
        }
        if (isAscii(a, lengthA) && isAscii(b, lengthB)) {
            return compareAsciiFolded(a, lengthA, b, lengthB);
        }
        String foldedA = fold(new String(a, 0, lengthA, StandardCharsets.UTF_8));
        String foldedB = fold(new String(b, 0, lengthB, StandardCharsets.UTF_8));
        return compareCodePoints(foldedA, foldedB);
    }

    /** Compares bytes as unsigned values, a shorter prefix first: the order of weight strings. */
    public static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /**
     * A PAD SPACE collation's weight string of {@code text} without the weights of the text's trailing spaces,
     * so that it compares as the collation compares ('abc ' = 'abc'). MariaDB's {@code weight_string()} keeps
     * one weight per trailing space: {@code 00 20} under the general_ci collations of utf8mb4 and utf8mb3,
     * {@code 02 09} under the UCA 4.0.0 and 5.2.0 ones, {@code 20} under 8-bit charsets. The weight string is
     * returned unchanged when it does not end with the text's trailing spaces' weights (a server that drops them).
     */
    public static byte[] withoutTrailingSpaceWeights(byte[] weight, byte[] text) {
        int spaces = text.length - trimmedLength(text);
        if (spaces == 0) {
            return weight;
        }
        for (byte[] unit : SPACE_WEIGHTS) {
            if (endsWithRepeated(weight, unit, spaces)) {
                return java.util.Arrays.copyOf(weight, weight.length - unit.length * spaces);
            }
        }
        return weight;
    }

    private static boolean endsWithRepeated(byte[] bytes, byte[] unit, int times) {
        int start = bytes.length - unit.length * times;
        if (start < 0) {
            return false;
        }
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] != unit[(i - start) % unit.length]) {
                return false;
            }
        }
        return true;
    }

    private static int trimmedLength(byte[] text) {
        int length = text.length;
        while (length > 0 && text[length - 1] == ' ') {
            length--;
        }
        return length;
    }

    private static boolean isAscii(byte[] text, int length) {
        for (int i = 0; i < length; i++) {
            if (text[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static int compareAsciiFolded(byte[] a, int lengthA, byte[] b, int lengthB) {
        int n = Math.min(lengthA, lengthB);
        for (int i = 0; i < n; i++) {
            int diff = upper(a[i]) - upper(b[i]);
            if (diff != 0) {
                return diff;
            }
        }
        return Integer.compare(lengthA, lengthB);
    }

    private static int upper(byte c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }

    /** Accents removed, then upper case per code point. */
    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .map(Character::toUpperCase)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
