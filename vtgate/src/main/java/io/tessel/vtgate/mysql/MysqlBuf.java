package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import java.nio.charset.StandardCharsets;

/**
 * MySQL's wire primitives over a {@link ByteBuf}, named as in the protocol manual: fixed-length
 * little-endian integers, length-encoded integers and strings, NUL-terminated and rest-of-packet
 * strings. Reads that run past the end throw {@code ER_MALFORMED_PACKET}.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_integers.html">Integer types</a>
 */
public final class MysqlBuf {
    private MysqlBuf() {}

    public static VtException malformed(String what) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_MALFORMED_PACKET, "Malformed communication packet: " + what);
    }

    private static void need(ByteBuf buf, int n, String what) {
        if (buf.readableBytes() < n) {
            throw malformed(what);
        }
    }

    public static int readInt1(ByteBuf buf, String what) {
        need(buf, 1, what);
        return buf.readUnsignedByte();
    }

    public static int readInt2(ByteBuf buf, String what) {
        need(buf, 2, what);
        return buf.readUnsignedShortLE();
    }

    public static long readInt4(ByteBuf buf, String what) {
        need(buf, 4, what);
        return buf.readUnsignedIntLE();
    }

    /** Reads a length-encoded integer; 0xFB (NULL) and 0xFF are malformed here. */
    public static long readLenencInt(ByteBuf buf, String what) {
        int first = readInt1(buf, what);
        if (first < 0xFB) {
            return first;
        }
        return switch (first) {
            case 0xFC -> readInt2(buf, what);
            case 0xFD -> {
                need(buf, 3, what);
                yield buf.readUnsignedMediumLE();
            }
            case 0xFE -> {
                need(buf, 8, what);
                yield buf.readLongLE();
            }
            default -> throw malformed(what);
        };
    }

    public static byte[] readLenencBytes(ByteBuf buf, String what) {
        long len = readLenencInt(buf, what);
        if (len < 0 || len > buf.readableBytes()) {
            throw malformed(what);
        }
        byte[] out = new byte[(int) len];
        buf.readBytes(out);
        return out;
    }

    public static byte[] readFixedBytes(ByteBuf buf, int len, String what) {
        need(buf, len, what);
        byte[] out = new byte[len];
        buf.readBytes(out);
        return out;
    }

    /** Reads a NUL-terminated string; a missing terminator is malformed. */
    public static String readNulString(ByteBuf buf, String what) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw malformed(what);
        }
        String s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return s;
    }

    /** Reads a NUL-terminated string, or the rest of the packet when there is no terminator. */
    public static String readNulOrRestString(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            return readRestString(buf);
        }
        return readNulString(buf, "string");
    }

    public static String readRestString(ByteBuf buf) {
        String s = buf.toString(StandardCharsets.UTF_8);
        buf.readerIndex(buf.writerIndex());
        return s;
    }

    public static int lenencIntSize(long v) {
        if (v >= 0 && v < 251) {
            return 1;
        } else if (v >= 0 && v < (1 << 16)) {
            return 3;
        } else if (v >= 0 && v < (1 << 24)) {
            return 4;
        }
        return 9;
    }

    public static void writeLenencInt(ByteBuf buf, long v) {
        if (v >= 0 && v < 251) {
            buf.writeByte((int) v);
        } else if (v >= 0 && v < (1 << 16)) {
            buf.writeByte(0xFC);
            buf.writeShortLE((int) v);
        } else if (v >= 0 && v < (1 << 24)) {
            buf.writeByte(0xFD);
            buf.writeMediumLE((int) v);
        } else {
            buf.writeByte(0xFE);
            buf.writeLongLE(v);
        }
    }

    public static void writeLenencString(ByteBuf buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeLenencInt(buf, b.length);
        buf.writeBytes(b);
    }

    public static void writeLenencBytes(ByteBuf buf, byte[] b) {
        writeLenencInt(buf, b.length);
        buf.writeBytes(b);
    }

    public static void writeNulString(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
