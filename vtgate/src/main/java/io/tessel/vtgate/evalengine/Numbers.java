package io.tessel.vtgate.evalengine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.math.BigDecimal;

/**
 * Reads values as numbers the way MySQL does in a numeric context: integer types as BIGINT (signed or
 * unsigned), DECIMAL exactly, FLOAT/DOUBLE as doubles, temporal values as their digits
 * ({@code DATE '2024-01-02'} is 20240102, a fractional DATETIME a decimal), hex and bit literals and BIT
 * columns as unsigned integers, and every other string as a double from its numeric prefix. Stateless.
 */
public final class Numbers {
    private Numbers() {}

    /** The number, or {@code null} for SQL NULL. */
    public static Numeric of(Value value) {
        if (value.isNull()) {
            return null;
        }
        try {
            return parse(value);
        } catch (NumberFormatException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "could not parse value: '" + value.text() + "' as "
                    + value.type());
        }
    }

    private static Numeric parse(Value value) {
        String text = value.text();
        return switch (value.type()) {
            case INT8, INT16, INT24, INT32, INT64 -> new Numeric.Int(Long.parseLong(text), false);
            case UINT8, UINT16, UINT24, UINT32, UINT64, YEAR -> new Numeric.Int(Long.parseUnsignedLong(text), true);
            case DECIMAL -> new Numeric.Dec(new BigDecimal(text));
            case FLOAT32, FLOAT64 -> new Numeric.Dbl(Double.parseDouble(text));
            case DATE, DATETIME, TIMESTAMP, TIME -> temporal(text);
            case BIT -> bytesAsUnsigned(value.bytes());
            case HEXNUM, HEXVAL, BITNUM -> bytesAsUnsigned(literalBytes(value));
            case TUPLE, EXPRESSION, UNRECOGNIZED -> throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "value of type " + value.type() + " used as a number");
            default -> new Numeric.Dbl(DoubleText.parsePrefix(text));
        };
    }

    /** The digits of a date/time value: an integer, or a decimal when it has a fraction. */
    private static Numeric temporal(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.' || (c == '-' && i == 0)) {
                digits.append(c);
            }
        }
        String number = digits.toString();
        return number.indexOf('.') >= 0 ? new Numeric.Dec(new BigDecimal(number))
                : new Numeric.Int(Long.parseLong(number), false);
    }

    private static Numeric bytesAsUnsigned(byte[] bytes) {
        int first = 0;
        while (first < bytes.length && bytes[first] == 0) {
            first++;
        }
        if (bytes.length - first > 8) {
            throw VtException.of(ErrorCode.OUT_OF_RANGE, SqlError.ER_DATA_OUT_OF_RANGE,
                    "BIGINT UNSIGNED value is out of range for a " + (bytes.length * 8) + "-bit binary value");
        }
        long value = 0;
        for (int i = first; i < bytes.length; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return new Numeric.Int(value, true);
    }

    /**
     * The bytes a hex or bit literal stands for: {@code HEXNUM 0x4142}, {@code HEXVAL X'4142'} and
     * {@code BITNUM 0b0100000101000010} are all "AB". Other values give their own bytes.
     */
    public static byte[] literalBytes(Value value) {
        String text = value.text();
        return switch (value.type()) {
            case HEXNUM -> hex(text.substring(2));
            case HEXVAL -> hex(text.substring(2, text.length() - 1));
            case BITNUM -> bits(text.substring(2));
            default -> value.bytes();
        };
    }

    private static byte[] hex(String digits) {
        String even = digits.length() % 2 == 0 ? digits : "0" + digits;
        byte[] out = new byte[even.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(even.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] bits(String digits) {
        int length = (digits.length() + 7) / 8;
        byte[] out = new byte[length];
        for (int i = 0; i < digits.length(); i++) {
            int bit = digits.length() - 1 - i;
            if (digits.charAt(i) == '1') {
                out[length - 1 - bit / 8] |= (byte) (1 << (bit % 8));
            } else if (digits.charAt(i) != '0') {
                throw new NumberFormatException("bad bit literal");
            }
        }
        return out;
    }

    /** True for the integer types, signed or unsigned (YEAR included). */
    public static boolean isIntegral(Type type) {
        return switch (type) {
            case INT8, INT16, INT24, INT32, INT64, UINT8, UINT16, UINT24, UINT32, UINT64, YEAR -> true;
            default -> false;
        };
    }

    /** True for the unsigned integer types (YEAR included). */
    public static boolean isUnsigned(Type type) {
        return switch (type) {
            case UINT8, UINT16, UINT24, UINT32, UINT64, YEAR -> true;
            default -> false;
        };
    }

    /** True for types MySQL computes with as numbers without conversion: integers, DECIMAL, FLOAT, DOUBLE. */
    public static boolean isNumber(Type type) {
        return isIntegral(type) || type == Type.DECIMAL || type == Type.FLOAT32 || type == Type.FLOAT64;
    }
}
