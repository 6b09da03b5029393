package io.tessel.vtgate.vindex;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A SQL value as vindexes see it: a Vitess {@link Type} and the value's MySQL text form (the ASCII digits
 * of an integer, the raw bytes of a string), like Vitess's {@code sqltypes.Value}. The array is never
 * modified after construction; callers must not modify what {@link #bytes()} returns.
 */
public record Value(Type type, byte[] bytes) {
    /** SQL NULL: type {@code NULL_TYPE}, no bytes. */
    public static final Value NULL = new Value(Type.NULL_TYPE, new byte[0]);

    // Type-number flags, as in Vitess's query.proto Flag enum.
    private static final int IS_INTEGRAL = 256;
    private static final int IS_UNSIGNED = 512;

    public Value {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(bytes, "bytes");
    }

    public static Value ofInt64(long value) {
        return new Value(Type.INT64, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** A UINT64 value; {@code value} is read as unsigned, so -1 is 18446744073709551615. */
    public static Value ofUint64(long value) {
        return new Value(Type.UINT64, Long.toUnsignedString(value).getBytes(StandardCharsets.US_ASCII));
    }

    public static Value ofVarchar(String text) {
        return new Value(Type.VARCHAR, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Value ofVarbinary(byte[] bytes) {
        return new Value(Type.VARBINARY, bytes.clone());
    }

    /** A value of any type from its text form, e.g. {@code of(Type.INT32, "7")}. */
    public static Value of(Type type, String text) {
        return new Value(type, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Value fromProto(Query.Value value) {
        return new Value(value.getType(), value.getValue().toByteArray());
    }

    public Query.Value toProto() {
        return Query.Value.newBuilder().setType(type).setValue(ByteString.copyFrom(bytes)).build();
    }

    public boolean isNull() {
        return type == Type.NULL_TYPE;
    }

    /** True for the signed integer types (INT8 to INT64). */
    public boolean isSigned() {
        return (flags() & (IS_INTEGRAL | IS_UNSIGNED)) == IS_INTEGRAL;
    }

    /** True for the unsigned integer types (UINT8 to UINT64, and YEAR). */
    public boolean isUnsigned() {
        return (flags() & (IS_INTEGRAL | IS_UNSIGNED)) == (IS_INTEGRAL | IS_UNSIGNED);
    }

    /**
     * The value as a uint64, as Vitess's {@code evalengine.ToUint64}: signed types must hold a non-negative
     * int64, unsigned types a uint64, FLOAT and DECIMAL values a whole number ({@code 200.0} is 200, as MySQL
     * compares it with an integer column: node's mysql2 binds every number as a DOUBLE), and any other type
     * (VARCHAR "7") whichever of the two parses.
     *
     * @throws VtException INVALID_ARGUMENT if the value is NULL, not a base-10 integer, or negative
     */
    public long toUint64() {
        if (isFloatOrDecimal()) {
            java.math.BigInteger n = wholeNumber();
            if (n.signum() < 0 || n.bitLength() > 64) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, "number out of uint64 range: " + text());
            }
            return n.longValue();
        }
        try {
            if (isUnsigned()) {
                return DecimalText.parseUint64(bytes);
            }
            return isSigned() ? nonNegative(DecimalText.parseInt64(bytes)) : parseUntyped();
        } catch (DecimalText.BadNumber e) {
            throw unparsable();
        }
    }

    /**
     * The value as a uint64 where a signed value's int64 bit pattern is kept ({@code -1} gives
     * {@code 0xFFFFFFFFFFFFFFFF}); other types as {@link #toUint64()}. This is the conversion of the hash vindex.
     *
     * @throws VtException INVALID_ARGUMENT if the value cannot be converted
     */
    public long toCastUint64() {
        if (isFloatOrDecimal() && wholeNumber().signum() < 0) { // -1.0 hashes as -1 does
            java.math.BigInteger n = wholeNumber();
            if (n.bitLength() > 63) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, "number out of int64 range: " + text());
            }
            return n.longValue();
        }
        if (!isSigned()) {
            return toUint64();
        }
        try {
            return DecimalText.parseInt64(bytes);
        } catch (DecimalText.BadNumber e) {
            throw unparsable();
        }
    }

    /** The text form as a string (UTF-8), for messages. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Value that && type == that.type && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return isNull() ? "NULL" : type + "(" + text() + ")";
    }

    /** Best effort for a value without an integer type: int64 first (so "-1" is negative), then uint64. */
    private long parseUntyped() {
        long value;
        try {
            value = DecimalText.parseInt64(bytes);
        } catch (DecimalText.BadNumber e) {
            return DecimalText.parseUint64(bytes);
        }
        return nonNegative(value);
    }

    private static long nonNegative(long value) {
        if (value < 0) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "negative number cannot be converted to unsigned: " + value);
        }
        return value;
    }

    private boolean isFloatOrDecimal() {
        return type == Type.FLOAT64 || type == Type.FLOAT32 || type == Type.DECIMAL;
    }

    /** A FLOAT or DECIMAL value as the whole number it is ("200.0", "2e2"); a fraction cannot route. */
    private java.math.BigInteger wholeNumber() {
        try {
            return new java.math.BigDecimal(text()).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw unparsable();
        }
    }

    private VtException unparsable() {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, "could not parse value: '" + text() + "'");
    }

    private int flags() {
        return type == Type.UNRECOGNIZED ? 0 : type.getNumber();
    }
}
