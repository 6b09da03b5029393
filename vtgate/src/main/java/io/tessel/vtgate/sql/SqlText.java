package io.tessel.vtgate.sql;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Turns the bytes of a COM_QUERY into SQL text without losing any byte. Statements are utf8mb4 text,
 * but a string literal may hold raw binary (drivers send {@code _binary '...'} with raw bytes); such a
 * literal, when it is not valid UTF-8, is rewritten as the equivalent hex literal {@code X'..'}, which
 * MySQL reads as the same bytes. Everything else is decoded as UTF-8. Stateless.
 */
public final class SqlText {
    private SqlText() {}

    /** Decodes the readable bytes of {@code buf}, leaving its reader index unchanged. */
    public static String decode(ByteBuf buf) {
        int start = buf.readerIndex();
        int len = buf.readableBytes();
        if (isAscii(buf, start, len)) {
            return buf.toString(start, len, StandardCharsets.US_ASCII);
        }
        byte[] bytes = new byte[len];
        buf.getBytes(start, bytes);
        String strict = strictUtf8(bytes, 0, len);
        return strict != null ? strict : rewriteBinaryLiterals(bytes);
    }

    private static boolean isAscii(ByteBuf buf, int start, int len) {
        return buf.forEachByte(start, len, b -> b >= 0) < 0;
    }

    private static String strictUtf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Copies text as UTF-8 and each quoted literal that is not valid UTF-8 as a hex literal. */
    static String rewriteBinaryLiterals(byte[] b) {
        StringBuilder out = new StringBuilder(b.length * 2);
        int textStart = 0;
        int i = 0;
        while (i < b.length) {
            byte c = b[i];
            if (c == '\'' || c == '"') {
                int end = literalEnd(b, i);
                if (strictUtf8(b, i, end - i) == null) {
                    out.append(new String(b, textStart, i - textStart, StandardCharsets.UTF_8));
                    out.append("X'").append(HexFormat.of().formatHex(unescape(b, i + 1, end - 1, c))).append('\'');
                    textStart = end;
                }
                i = end;
            } else {
                i++;
            }
        }
        out.append(new String(b, textStart, b.length - textStart, StandardCharsets.UTF_8));
        return out.toString();
    }

    /** The index just past the literal opened by the quote at {@code open}. */
    private static int literalEnd(byte[] b, int open) {
        byte q = b[open];
        int i = open + 1;
        while (i < b.length) {
            if (b[i] == '\\') {
                i += 2;
            } else if (b[i] == q) {
                if (i + 1 < b.length && b[i + 1] == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return b.length;
    }

    /** The bytes a literal's body stands for, under MySQL's backslash escapes. */
    private static byte[] unescape(byte[] b, int from, int to, byte quote) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte n = b[++i];
                switch (n) {
                    case '0' -> out.write(0);
                    case 'b' -> out.write('\b');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'Z' -> out.write(26);
                    case '%', '_' -> {
                        out.write('\\');
                        out.write(n);
                    }
                    default -> out.write(n);
                }
            } else if (c == quote && i + 1 < to && b[i + 1] == quote) {
                out.write(c);
                i++;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
