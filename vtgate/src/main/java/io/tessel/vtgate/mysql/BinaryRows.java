package io.tessel.vtgate.mysql;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes ProtocolBinary::ResultsetRow from a row in MySQL text form, as MySQL's binary protocol sends it
 * for each column type: integers little-endian in their width (TINY 1, SHORT and YEAR 2, INT24 and LONG 4,
 * LONGLONG 8 bytes; the same bits signed or unsigned), FLOAT and DOUBLE as IEEE 754, DATE/DATETIME/TIMESTAMP
 * and TIME in their shortest length-prefixed forms (zero parts omitted, as MySQL does), everything else
 * (DECIMAL, strings, BLOB, JSON, BIT, ENUM, SET, GEOMETRY) as a length-encoded string of the text bytes.
 * NULL is a bit in the bitmap, which starts at bit offset 2. Stateless.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html">Binary Protocol Resultset</a>
 */
public final class BinaryRows {
    private BinaryRows() {}

    /** Writes one row packet's payload: header 0x00, the NULL bitmap, then the non-NULL values. */
    public static void write(ByteBuf buf, List<Field> fields, Row row) {
        int columns = fields.size();
        buf.writeByte(0x00);
        int bitmapAt = buf.writerIndex();
        int bitmapLength = (columns + 7 + 2) / 8;
        buf.writeZero(bitmapLength);
        ByteString values = row.getValues();
        int offset = 0;
        for (int i = 0; i < columns; i++) {
            long len = row.getLengths(i);
            if (len < 0) {
                int bit = i + 2;
                int at = bitmapAt + bit / 8;
                buf.setByte(at, buf.getByte(at) | (1 << (bit % 8)));
                continue;
            }
            ByteString value = values.substring(offset, offset + (int) len);
            offset += (int) len;
            value(buf, fields.get(i).getType(), value);
        }
    }

    /** A size hint for a row: its text bytes plus room for the bitmap and per-value overhead. */
    public static int sizeHint(Row row, int columns) {
        return row.getValues().size() + columns * 9 + 8;
    }

    private static void value(ByteBuf buf, Type type, ByteString value) {
        switch (type) {
            case INT8, UINT8 -> buf.writeByte((int) parseLong(value, type));
            case INT16, UINT16, YEAR -> buf.writeShortLE((int) parseLong(value, type));
            case INT24, UINT24, INT32, UINT32 -> buf.writeIntLE((int) parseLong(value, type));
            case INT64 -> buf.writeLongLE(parseLong(value, type));
            case UINT64 -> buf.writeLongLE(Long.parseUnsignedLong(ascii(value)));
            case FLOAT32 -> buf.writeIntLE(Float.floatToIntBits(Float.parseFloat(ascii(value))));
            case FLOAT64 -> buf.writeLongLE(Double.doubleToLongBits(Double.parseDouble(ascii(value))));
            case DATE, DATETIME, TIMESTAMP -> datetime(buf, ascii(value));
            case TIME -> time(buf, ascii(value));
            default -> {
                MysqlBuf.writeLenencInt(buf, value.size());
                buf.writeBytes(value.asReadOnlyByteBuffer());
            }
        }
    }

    private static String ascii(ByteString value) {
        return value.toString(StandardCharsets.US_ASCII);
    }

    private static long parseLong(ByteString value, Type type) {
        String s = ascii(value);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw VtException.of(ErrorCode.INTERNAL, "a " + type + " value that is not an integer: '" + s + "'");
        }
    }

    /**
     * {@code YYYY-MM-DD[ HH:MM:SS[.ffffff]]} as length 0 (all zero), 4 (date only), 7 (no microseconds) or
     * 11, then year(2) month day hour minute second micros(4).
     */
    static void datetime(ByteBuf buf, String s) {
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = s.length() >= 19 ? digits(s, 11, 13) : 0;
        int minute = s.length() >= 19 ? digits(s, 14, 16) : 0;
        int second = s.length() >= 19 ? digits(s, 17, 19) : 0;
        int micros = s.length() > 20 ? micros(s, 20) : 0;
        int len = micros != 0 ? 11 : (hour | minute | second) != 0 ? 7 : (year | month | day) != 0 ? 4 : 0;
        buf.writeByte(len);
        if (len >= 4) {
            buf.writeShortLE(year).writeByte(month).writeByte(day);
        }
        if (len >= 7) {
            buf.writeByte(hour).writeByte(minute).writeByte(second);
        }
        if (len == 11) {
            buf.writeIntLE(micros);
        }
    }

    /**
     * {@code [-]H+:MM:SS[.ffffff]} as length 0 (zero), 8 or 12 (with microseconds), then is_negative,
     * days(4), hour (under 24), minute, second, micros(4).
     */
    static void time(ByteBuf buf, String s) {
        boolean negative = s.startsWith("-");
        int start = negative ? 1 : 0;
        int colon = s.indexOf(':', start);
        if (colon < 0 || s.length() < colon + 6) {
            throw VtException.of(ErrorCode.INTERNAL, "a TIME value that does not scan: '" + s + "'");
        }
        int hours = digits(s, start, colon);
        int minute = digits(s, colon + 1, colon + 3);
        int second = digits(s, colon + 4, colon + 6);
        int micros = s.length() > colon + 7 ? micros(s, colon + 7) : 0;
        int days = hours / 24;
        int hour = hours % 24;
        int len = micros != 0 ? 12 : (days | hour | minute | second) != 0 ? 8 : 0;
        buf.writeByte(len);
        if (len >= 8) {
            buf.writeByte(negative ? 1 : 0).writeIntLE(days).writeByte(hour).writeByte(minute).writeByte(second);
        }
        if (len == 12) {
            buf.writeIntLE(micros);
        }
    }

    private static int digits(String s, int from, int to) {
        if (to > s.length()) {
            throw VtException.of(ErrorCode.INTERNAL, "a temporal value that does not scan: '" + s + "'");
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw VtException.of(ErrorCode.INTERNAL, "a temporal value that does not scan: '" + s + "'");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The fraction digits from {@code from} as microseconds: ".5" is 500000. */
    private static int micros(String s, int from) {
        int end = Math.min(s.length(), from + 6);
        int v = digits(s, from, end);
        for (int k = end - from; k < 6; k++) {
            v *= 10;
        }
        return v;
    }
}
