package io.tessel.vtgate.mysql.packet;

import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_DATE;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_DATETIME;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_DOUBLE;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_FLOAT;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_INT24;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_LONG;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_LONGLONG;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_NULL;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_SHORT;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_TIME;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_TIMESTAMP;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_TINY;
import static io.tessel.common.sqltypes.MysqlTypes.MYSQL_TYPE_YEAR;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessel.common.sqltypes.MysqlTypes;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.mysql.MysqlBuf;
import io.tessel.vtgate.sql.Placeholders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the parameter section of COM_STMT_EXECUTE (NULL bitmap, new-params-bound flag, a type and
 * unsigned flag per parameter, then the binary values) into typed bind variables {@code v1 .. vN}, the
 * names {@link Placeholders} gives the markers. Integers become INT8..INT64 or UINT8..UINT64 as the
 * unsigned flag says, FLOAT and DOUBLE their decimal text (a FLOAT as the double MySQL widens it to),
 * dates and times their MySQL text, strings and blobs their bytes. A parameter with long data
 * (COM_STMT_SEND_LONG_DATA) has no value in the packet; its collected bytes are used. Stateless.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 */
public final class BinaryParams {
    /** The unsigned flag in the second byte of a parameter's type. */
    public static final int PARAM_UNSIGNED = 0x80;

    /** The bind variables, and the types they were read with (kept for executions that send none). */
    public record Bound(Map<String, BindVariable> bindVars, int[] types) {}

    private BinaryParams() {}

    /**
     * Reads {@code count} parameters. {@code previousTypes} are the types bound by an earlier execution
     * (null if none); {@code longData} holds the collected long data by parameter index (entries may be null).
     */
    public static Bound read(byte[] section, int count, int[] previousTypes, byte[][] longData) {
        if (count == 0) {
            return new Bound(Map.of(), new int[0]);
        }
        ByteBuf buf = Unpooled.wrappedBuffer(section);
        byte[] nulls = MysqlBuf.readFixedBytes(buf, (count + 7) / 8, "NULL bitmap");
        int bound = MysqlBuf.readInt1(buf, "new-params-bound flag");
        int[] types;
        if (bound == 1) {
            types = new int[count];
            for (int k = 0; k < count; k++) {
                types[k] = MysqlBuf.readInt2(buf, "parameter type");
            }
        } else if (previousTypes != null) {
            types = previousTypes;
        } else {
            throw MysqlBuf.malformed("COM_STMT_EXECUTE without parameter types");
        }
        Map<String, BindVariable> vars = new LinkedHashMap<>(count * 2);
        for (int k = 0; k < count; k++) {
            BindVariable v;
            if (longData != null && longData[k] != null) {
                v = bytesOf(types[k], longData[k]);
            } else if ((nulls[k / 8] & (1 << (k % 8))) != 0 || (types[k] & 0xFF) == MYSQL_TYPE_NULL) {
                v = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();
            } else {
                v = value(buf, types[k]);
            }
            vars.put(Placeholders.name(k + 1), v);
        }
        return new Bound(vars, types);
    }

    private static BindVariable value(ByteBuf buf, int typeAndFlag) {
        int type = typeAndFlag & 0xFF;
        boolean unsigned = (typeAndFlag & (PARAM_UNSIGNED << 8)) != 0;
        return switch (type) {
            case MYSQL_TYPE_TINY -> integer(unsigned ? Type.UINT8 : Type.INT8,
                    unsigned ? MysqlBuf.readInt1(buf, "TINY") : (byte) MysqlBuf.readInt1(buf, "TINY"));
            case MYSQL_TYPE_SHORT, MYSQL_TYPE_YEAR -> integer(type == MYSQL_TYPE_YEAR ? Type.YEAR
                    : unsigned ? Type.UINT16 : Type.INT16,
                    unsigned || type == MYSQL_TYPE_YEAR ? MysqlBuf.readInt2(buf, "SHORT") : (short) MysqlBuf.readInt2(buf, "SHORT"));
            case MYSQL_TYPE_LONG, MYSQL_TYPE_INT24 -> integer(unsigned ? Type.UINT32 : Type.INT32,
                    unsigned ? MysqlBuf.readInt4(buf, "LONG") : (int) MysqlBuf.readInt4(buf, "LONG"));
            case MYSQL_TYPE_LONGLONG -> {
                long v = readInt8(buf);
                yield text(unsigned ? Type.UINT64 : Type.INT64, unsigned ? Long.toUnsignedString(v) : Long.toString(v));
            }
            case MYSQL_TYPE_FLOAT -> text(Type.FLOAT64,
                    Double.toString(Float.intBitsToFloat((int) MysqlBuf.readInt4(buf, "FLOAT"))));
            case MYSQL_TYPE_DOUBLE -> text(Type.FLOAT64, Double.toString(Double.longBitsToDouble(readInt8(buf))));
            case MYSQL_TYPE_DATE, MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP -> datetime(buf, type);
            case MYSQL_TYPE_TIME -> time(buf);
            default -> bytesOf(typeAndFlag, MysqlBuf.readLenencBytes(buf, "parameter value"));
        };
    }

    private static long readInt8(ByteBuf buf) {
        if (buf.readableBytes() < 8) {
            throw MysqlBuf.malformed("LONGLONG");
        }
        return buf.readLongLE();
    }

    private static BindVariable integer(Type type, long v) {
        return text(type, Long.toString(v));
    }

    private static BindVariable text(Type type, String text) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(text, StandardCharsets.US_ASCII)).build();
    }

    /** A string-like parameter: text, blob, decimal, JSON or BIT bytes. */
    private static BindVariable bytesOf(int typeAndFlag, byte[] bytes) {
        Type t = switch (typeAndFlag & 0xFF) {
            case MysqlTypes.MYSQL_TYPE_DECIMAL, MysqlTypes.MYSQL_TYPE_NEWDECIMAL -> Type.DECIMAL;
            case MysqlTypes.MYSQL_TYPE_TINY_BLOB, MysqlTypes.MYSQL_TYPE_MEDIUM_BLOB, MysqlTypes.MYSQL_TYPE_LONG_BLOB,
                 MysqlTypes.MYSQL_TYPE_BLOB, MysqlTypes.MYSQL_TYPE_GEOMETRY, MysqlTypes.MYSQL_TYPE_BIT -> Type.VARBINARY;
            default -> Type.VARCHAR;
        };
        return BindVariable.newBuilder().setType(t).setValue(ByteString.copyFrom(bytes)).build();
    }

    /** DATE, DATETIME, TIMESTAMP: length 0, 4, 7 or 11, then year(2) month day [hour minute second [micros(4)]]. */
    private static BindVariable datetime(ByteBuf buf, int type) {
        int len = MysqlBuf.readInt1(buf, "datetime length");
        if (len != 0 && len != 4 && len != 7 && len != 11) {
            throw MysqlBuf.malformed("datetime length " + len);
        }
        int year = len >= 4 ? MysqlBuf.readInt2(buf, "year") : 0;
        int month = len >= 4 ? MysqlBuf.readInt1(buf, "month") : 0;
        int day = len >= 4 ? MysqlBuf.readInt1(buf, "day") : 0;
        int hour = len >= 7 ? MysqlBuf.readInt1(buf, "hour") : 0;
        int minute = len >= 7 ? MysqlBuf.readInt1(buf, "minute") : 0;
        int second = len >= 7 ? MysqlBuf.readInt1(buf, "second") : 0;
        long micros = len == 11 ? MysqlBuf.readInt4(buf, "microseconds") : 0;
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (type == MYSQL_TYPE_DATE) {
            return text(Type.DATE, date);
        }
        return text(type == MYSQL_TYPE_TIMESTAMP ? Type.TIMESTAMP : Type.DATETIME,
                date + String.format(" %02d:%02d:%02d", hour, minute, second) + fraction(micros));
    }

    /** TIME: length 0, 8 or 12, then is_negative days(4) hour minute second [micros(4)]. */
    private static BindVariable time(ByteBuf buf) {
        int len = MysqlBuf.readInt1(buf, "time length");
        if (len != 0 && len != 8 && len != 12) {
            throw MysqlBuf.malformed("time length " + len);
        }
        boolean negative = len >= 8 && MysqlBuf.readInt1(buf, "time sign") == 1;
        long days = len >= 8 ? MysqlBuf.readInt4(buf, "days") : 0;
        int hour = len >= 8 ? MysqlBuf.readInt1(buf, "hour") : 0;
        int minute = len >= 8 ? MysqlBuf.readInt1(buf, "minute") : 0;
        int second = len >= 8 ? MysqlBuf.readInt1(buf, "second") : 0;
        long micros = len == 12 ? MysqlBuf.readInt4(buf, "microseconds") : 0;
        return text(Type.TIME, (negative ? "-" : "") + String.format("%02d:%02d:%02d", days * 24 + hour, minute, second)
                + fraction(micros));
    }

    private static String fraction(long micros) {
        return micros == 0 ? "" : String.format(".%06d", micros);
    }
}
