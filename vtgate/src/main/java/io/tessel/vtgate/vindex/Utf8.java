package io.tessel.vtgate.vindex;

/**
 * UTF-8 helpers with Go's rules: validity as {@code utf8.Valid} (no surrogates, no overlong forms, at most
 * U+10FFFF), decoding of already-validated text, and {@code %q} quoting for error messages.
 */
final class Utf8 {
    private Utf8() {}

    /** Whether {@code b} is valid UTF-8, as Go's {@code utf8.Valid}. */
    static boolean isValid(byte[] b) {
        for (int i = 0; i < b.length; ) {
            int size = validSize(b, i);
            if (size == 0) {
                return false;
            }
            i += size;
        }
        return true;
    }

    /** Length of the valid sequence at {@code i}, or 0 if the bytes there are not valid UTF-8. */
    static int validSize(byte[] b, int i) {
        int c0 = b[i] & 0xFF;
        if (c0 < 0x80) {
            return 1;
        }
        int size = c0 >= 0xC2 && c0 <= 0xDF ? 2 : c0 >= 0xE0 && c0 <= 0xEF ? 3 : c0 >= 0xF0 && c0 <= 0xF4 ? 4 : 0;
        if (size == 0 || i + size > b.length) {
            return 0;
        }
        int c1 = b[i + 1] & 0xFF;
        int lo = c0 == 0xE0 ? 0xA0 : c0 == 0xF0 ? 0x90 : 0x80;
        int hi = c0 == 0xED ? 0x9F : c0 == 0xF4 ? 0x8F : 0xBF;
        if (c1 < lo || c1 > hi) {
            return 0;
        }
        for (int k = 2; k < size; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return size;
    }

    /** Byte length of the sequence starting with lead byte {@code lead} (of valid UTF-8). */
    static int length(byte lead) {
        int c = lead & 0xFF;
        return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }

    /** The code point at {@code i} of valid UTF-8. */
    static int decode(byte[] b, int i) {
        int c0 = b[i] & 0xFF;
        return switch (length(b[i])) {
            case 1 -> c0;
            case 2 -> ((c0 & 0x1F) << 6) | (b[i + 1] & 0x3F);
            case 3 -> ((c0 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
            default -> ((c0 & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
        };
    }

    /** {@code b} quoted as Go's {@code %q} of a string: printable runes kept, others and invalid bytes escaped. */
    static String goQuote(byte[] b) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < b.length; ) {
            int size = validSize(b, i);
            if (size == 0) {
                out.append(String.format("\\x%02x", b[i] & 0xFF));
                i++;
                continue;
            }
            appendRune(out, decode(b, i));
            i += size;
        }
        return out.append('"').toString();
    }

    private static void appendRune(StringBuilder out, int r) {
        switch (r) {
            case '"', '\\' -> out.append('\\').appendCodePoint(r);
            case 7 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (isPrint(r)) {
                    out.appendCodePoint(r);
                } else if (r < 0x80) {
                    out.append(String.format("\\x%02x", r));
                } else if (r < 0x10000) {
                    out.append(String.format("\\u%04x", r));
                } else {
                    out.append(String.format("\\U%08x", r));
                }
            }
        }
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int r) {
        if (r == ' ') {
            return true;
        }
        return switch (Character.getType(r)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.PRIVATE_USE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
