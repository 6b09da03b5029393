package io.tessel.vtgate.evalengine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.function.Supplier;

/**
 * MySQL arithmetic on {@link Numeric}s. Two integers give a BIGINT (BIGINT UNSIGNED when either is unsigned,
 * or for {@code %} when the dividend is), failing like MySQL when the result does not fit; integers and
 * DECIMALs give an exact DECIMAL; a DOUBLE on either side gives a DOUBLE. Division by zero gives
 * {@code null} (SQL NULL). Stateless.
 */
public final class NumericOps {
    /** MySQL's {@code div_precision_increment} default. */
    public static final int DIV_PRECISION_INCREMENT = 4;
    /** The largest scale of a MySQL DECIMAL. */
    public static final int MAX_DECIMAL_SCALE = 30;

    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UINT64_MAX = Numeric.TWO_TO_64.subtract(BigInteger.ONE);

    private NumericOps() {}

    /**
     * {@code a op b}; null when dividing by zero.
     *
     * @param sql the expression's text for an out-of-range message, e.g. {@code (`a` + 1)}
     */
    public static Numeric apply(ArithmeticOp op, Numeric a, Numeric b, Supplier<String> sql) {
        if (op == ArithmeticOp.INTEGER_DIVIDE) {
            return integerDivide(a, b, sql);
        }
        if (a instanceof Numeric.Int x && b instanceof Numeric.Int y && op != ArithmeticOp.DIVIDE) {
            return integers(op, x, y, sql);
        }
        if (a instanceof Numeric.Dbl || b instanceof Numeric.Dbl) {
            return doubles(op, a.toDouble(), b.toDouble(), sql);
        }
        return decimals(op, a.toBigDecimal(), b.toBigDecimal());
    }

    /** {@code -a}; an unsigned operand gives a signed BIGINT. */
    public static Numeric negate(Numeric a, Supplier<String> sql) {
        return switch (a) {
            case Numeric.Int i when i.isUnsigned() -> toInt(i.toBigInteger().negate(), false, sql);
            case Numeric.Int i -> {
                if (i.value() == Long.MIN_VALUE) {
                    throw outOfRange("BIGINT", sql);
                }
                yield new Numeric.Int(-i.value(), false);
            }
            case Numeric.Dec d -> new Numeric.Dec(d.value().negate());
            case Numeric.Dbl d -> new Numeric.Dbl(-d.value());
        };
    }

    private static Numeric integers(ArithmeticOp op, Numeric.Int a, Numeric.Int b, Supplier<String> sql) {
        if (op == ArithmeticOp.MODULO) {
            return modulo(a, b, sql);
        }
        boolean isUnsigned = a.isUnsigned() || b.isUnsigned();
        if (!isUnsigned) {
            try {
                return new Numeric.Int(switch (op) {
                    case ADD -> Math.addExact(a.value(), b.value());
                    case SUBTRACT -> Math.subtractExact(a.value(), b.value());
                    case MULTIPLY -> Math.multiplyExact(a.value(), b.value());
                    default -> throw new IllegalStateException("BUG: " + op + " on integers");
                }, false);
            } catch (ArithmeticException e) {
                throw outOfRange("BIGINT", sql);
            }
        }
        BigInteger x = a.toBigInteger();
        BigInteger y = b.toBigInteger();
        BigInteger result = switch (op) {
            case ADD -> x.add(y);
            case SUBTRACT -> x.subtract(y);
            case MULTIPLY -> x.multiply(y);
            default -> throw new IllegalStateException("BUG: " + op + " on integers");
        };
        return toInt(result, true, sql);
    }

    private static Numeric modulo(Numeric.Int a, Numeric.Int b, Supplier<String> sql) {
        if (b.value() == 0) {
            return null;
        }
        if (!a.isUnsigned() && !b.isUnsigned()) {
            return new Numeric.Int(a.value() % b.value(), false);
        }
        return toInt(a.toBigInteger().remainder(b.toBigInteger()), a.isUnsigned(), sql);
    }

    private static Numeric integerDivide(Numeric a, Numeric b, Supplier<String> sql) {
        boolean isUnsigned = a instanceof Numeric.Int x && x.isUnsigned() || b instanceof Numeric.Int y && y.isUnsigned();
        if (a instanceof Numeric.Int x && b instanceof Numeric.Int y) {
            if (y.value() == 0) {
                return null;
            }
            return toInt(x.toBigInteger().divide(y.toBigInteger()), isUnsigned, sql);
        }
        BigDecimal divisor = b.toBigDecimal();
        if (divisor.signum() == 0) {
            return null;
        }
        BigInteger quotient = a.toBigDecimal().divideToIntegralValue(divisor).toBigInteger();
        return toInt(quotient, isUnsigned, sql);
    }

    private static Numeric doubles(ArithmeticOp op, double x, double y, Supplier<String> sql) {
        if ((op == ArithmeticOp.DIVIDE || op == ArithmeticOp.MODULO) && y == 0) {
            return null;
        }
        double result = switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            case MODULO -> x % y;
            case INTEGER_DIVIDE -> throw new IllegalStateException("BUG: DIV on doubles");
        };
        if (Double.isInfinite(result) || Double.isNaN(result)) {
            throw outOfRange("DOUBLE", sql);
        }
        return new Numeric.Dbl(result);
    }

    private static Numeric decimals(ArithmeticOp op, BigDecimal x, BigDecimal y) {
        BigDecimal result = switch (op) {
            case ADD -> x.add(y);
            case SUBTRACT -> x.subtract(y);
            case MULTIPLY -> x.multiply(y);
            case DIVIDE -> y.signum() == 0 ? null
                    : x.divide(y, Math.min(MAX_DECIMAL_SCALE, scale(x) + DIV_PRECISION_INCREMENT), RoundingMode.HALF_UP);
            case MODULO -> y.signum() == 0 ? null : x.remainder(y).setScale(Math.max(scale(x), scale(y)));
            case INTEGER_DIVIDE -> throw new IllegalStateException("BUG: DIV on decimals");
        };
        if (result == null) {
            return null;
        }
        if (result.scale() > MAX_DECIMAL_SCALE) {
            result = result.setScale(MAX_DECIMAL_SCALE, RoundingMode.HALF_UP);
        }
        return new Numeric.Dec(result);
    }

    private static int scale(BigDecimal value) {
        return Math.max(0, value.scale());
    }

    private static Numeric.Int toInt(BigInteger value, boolean isUnsigned, Supplier<String> sql) {
        if (isUnsigned) {
            if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
                throw outOfRange("BIGINT UNSIGNED", sql);
            }
            return new Numeric.Int(value.longValue(), true);
        }
        if (value.compareTo(INT64_MIN) < 0 || value.compareTo(INT64_MAX) > 0) {
            throw outOfRange("BIGINT", sql);
        }
        return new Numeric.Int(value.longValue(), false);
    }

    private static VtException outOfRange(String type, Supplier<String> sql) {
        return VtException.of(ErrorCode.OUT_OF_RANGE, SqlError.ER_DATA_OUT_OF_RANGE,
                type + " value is out of range in '" + sql.get() + "'");
    }
}
