package io.tessel.vtgate.evalengine;

import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number as MySQL computes with it: a 64-bit integer (signed, or unsigned with the bits of a uint64), an
 * exact decimal, or a double. Immutable.
 */
public sealed interface Numeric {
    BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    /** A BIGINT; when {@code isUnsigned} the bits are a uint64 ({@code -1} is 18446744073709551615). */
    record Int(long value, boolean isUnsigned) implements Numeric {
        /** The value as a BigInteger (unsigned bits read as unsigned). */
        public BigInteger toBigInteger() {
            BigInteger big = BigInteger.valueOf(value);
            return isUnsigned && value < 0 ? big.add(TWO_TO_64) : big;
        }
    }

    /** A DECIMAL; its scale is the number of decimals shown. */
    record Dec(BigDecimal value) implements Numeric {}

    /** A DOUBLE. */
    record Dbl(double value) implements Numeric {}

    /** The exact value (a double's exact binary value). */
    default BigDecimal toBigDecimal() {
        return switch (this) {
            case Int i -> new BigDecimal(i.toBigInteger());
            case Dec d -> d.value();
            case Dbl d -> BigDecimal.valueOf(d.value());
        };
    }

    default double toDouble() {
        return switch (this) {
            case Int i -> i.isUnsigned() ? i.toBigInteger().doubleValue() : i.value();
            case Dec d -> d.value().doubleValue();
            case Dbl d -> d.value();
        };
    }

    /** True unless the number is zero: MySQL's truth of a number. */
    default boolean isTrue() {
        return switch (this) {
            case Int i -> i.value() != 0;
            case Dec d -> d.value().signum() != 0;
            case Dbl d -> d.value() != 0;
        };
    }

    /** The MySQL value: INT64 or UINT64, DECIMAL (plain digits, scale kept), FLOAT64 (MySQL's text form). */
    default Value toValue() {
        return switch (this) {
            case Int i -> i.isUnsigned() ? Value.ofUint64(i.value()) : Value.ofInt64(i.value());
            case Dec d -> Value.of(Type.DECIMAL, d.value().toPlainString());
            case Dbl d -> Value.of(Type.FLOAT64, DoubleText.format(d.value()));
        };
    }
}
