package io.tessel.vtgate.evalengine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * MySQL's comparison of two values, NULL first (as ORDER BY ... ASC puts it), as Vitess's
 * {@code evalengine.NullsafeCompare}. The rules, by the kinds of the two values:
 * <ul>
 *   <li>two integers (signed or unsigned, full 64-bit range) compare as integers; integers and DECIMALs
 *       exactly as decimals; a FLOAT/DOUBLE against any number as doubles;</li>
 *   <li>a number against a string compares as doubles (the string's numeric prefix); against a date/time
 *       value as the date's digits ({@code 20240102});</li>
 *   <li>DATE, DATETIME and TIMESTAMP against each other or a string compare as text once a DATE gets
 *       {@code 00:00:00} and a fraction's trailing zeros are dropped (MySQL's text forms sort as bytes);
 *       TIME against TIME or a string by its signed duration ({@code -01:00:00 < 00:00:00 < 100:00:00});</li>
 *   <li>two texts under the collation given (see {@link Collations}); a binary string against any string
 *       bytewise; hex literals as their bytes against strings and as numbers against numbers.</li>
 * </ul>
 * Two values are equal for GROUP BY and DISTINCT when this returns 0. Stateless.
 */
public final class ValueComparison {
    private enum Kind { NULL, NUMBER, HEX, DATETIME, TIME, TEXT, BINARY }

    private ValueComparison() {}

    /**
     * Compares two column values as read from a row ({@code null} is SQL NULL) with their fields' types. Two
     * texts use the first text field's collation ({@code Field.charset}).
     */
    public static int compare(byte[] a, Field fieldA, byte[] b, Field fieldB) {
        Value left = a == null ? Value.NULL : new Value(fieldA.getType(), a);
        Value right = b == null ? Value.NULL : new Value(fieldB.getType(), b);
        return compare(left, right, collationOf(fieldA, fieldB));
    }

    /** The collation two fields compare under: the first text field's, else utf8mb4_general_ci. */
    public static int collationOf(Field fieldA, Field fieldB) {
        if (isText(fieldA.getType()) && fieldA.getCharset() != 0) {
            return fieldA.getCharset();
        }
        if (isText(fieldB.getType()) && fieldB.getCharset() != 0) {
            return fieldB.getCharset();
        }
        return Collations.UTF8MB4_GENERAL_CI;
    }

    /** Compares two values; texts under {@code collation} (0 for utf8mb4_general_ci). */
    public static int compare(Value a, Value b, int collation) {
        Kind kindA = kindOf(a.type());
        Kind kindB = kindOf(b.type());
        if (kindA == Kind.NULL || kindB == Kind.NULL) {
            return Boolean.compare(kindA != Kind.NULL, kindB != Kind.NULL);
        }
        if (kindA == Kind.NUMBER || kindB == Kind.NUMBER) {
            return compareNumbers(Numbers.of(a), Numbers.of(b));
        }
        if (kindA == Kind.DATETIME && isDateTimeLike(kindB) || kindB == Kind.DATETIME && isDateTimeLike(kindA)) {
            return compareText(dateTimeKey(a), dateTimeKey(b));
        }
        if (kindA == Kind.TIME && isTimeLike(kindB) || kindB == Kind.TIME && isTimeLike(kindA)) {
            return compareTimes(a, b);
        }
        if (kindA == Kind.TEXT && kindB == Kind.TEXT) {
            return Collations.compare(a.bytes(), b.bytes(), collation);
        }
        return Collations.compareBytes(Numbers.literalBytes(a), Numbers.literalBytes(b));
    }

    /** True for the types compared under a collation: CHAR, VARCHAR, TEXT, ENUM, SET, JSON. */
    public static boolean isText(Type type) {
        return kindOf(type) == Kind.TEXT;
    }

    /** Compares two numbers exactly (integers and decimals) or as doubles when either is a double. */
    public static int compareNumbers(Numeric a, Numeric b) {
        if (a instanceof Numeric.Int x && b instanceof Numeric.Int y) {
            return compareIntegers(x, y);
        }
        if (a instanceof Numeric.Dbl || b instanceof Numeric.Dbl) {
            double x = a.toDouble();
            double y = b.toDouble();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        BigDecimal x = a.toBigDecimal();
        return x.compareTo(b.toBigDecimal());
    }

    private static int compareIntegers(Numeric.Int a, Numeric.Int b) {
        if (a.isUnsigned() == b.isUnsigned()) {
            return a.isUnsigned() ? Long.compareUnsigned(a.value(), b.value()) : Long.compare(a.value(), b.value());
        }
        Numeric.Int signed = a.isUnsigned() ? b : a;
        int sign = a.isUnsigned() ? 1 : -1;
        if (signed.value() < 0) {
            return sign;
        }
        return Long.compareUnsigned(a.value(), b.value());
    }

    private static Kind kindOf(Type type) {
        return switch (type) {
            case NULL_TYPE -> Kind.NULL;
            case INT8, INT16, INT24, INT32, INT64, UINT8, UINT16, UINT24, UINT32, UINT64, YEAR, DECIMAL, FLOAT32,
                    FLOAT64 -> Kind.NUMBER;
            case HEXNUM, HEXVAL, BITNUM -> Kind.HEX;
            case DATE, DATETIME, TIMESTAMP -> Kind.DATETIME;
            case TIME -> Kind.TIME;
            case VARCHAR, CHAR, TEXT, ENUM, SET, JSON -> Kind.TEXT;
            case VARBINARY, BINARY, BLOB, BIT, GEOMETRY -> Kind.BINARY;
            case TUPLE, EXPRESSION, UNRECOGNIZED -> throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "values of type " + type + " cannot be compared");
        };
    }

    private static boolean isDateTimeLike(Kind kind) {
        return kind == Kind.DATETIME || kind == Kind.TEXT || kind == Kind.BINARY;
    }

    private static boolean isTimeLike(Kind kind) {
        return kind == Kind.TIME || kind == Kind.TEXT || kind == Kind.BINARY;
    }

    private static int compareText(String a, String b) {
        return a.compareTo(b);
    }

    /** {@code 2024-01-02} as {@code 2024-01-02 00:00:00}; a fraction without its trailing zeros. */
    private static String dateTimeKey(Value value) {
        String text = value.text().trim();
        if (text.length() == 10) {
            return text + " 00:00:00";
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            return text;
        }
        int end = text.length();
        while (end > dot + 1 && text.charAt(end - 1) == '0') {
            end--;
        }
        return text.substring(0, end == dot + 1 ? dot : end);
    }

    private static int compareTimes(Value a, Value b) {
        BigDecimal x = timeSeconds(a);
        BigDecimal y = timeSeconds(b);
        if (x == null || y == null) {
            return Collations.compareBytes(a.bytes(), b.bytes());
        }
        return x.compareTo(y);
    }

    /** {@code [-]H:MM:SS[.frac]} as signed seconds; null when the text is not a time. */
    private static BigDecimal timeSeconds(Value value) {
        String text = new String(value.bytes(), StandardCharsets.US_ASCII).trim();
        boolean isNegative = text.startsWith("-");
        String[] parts = (isNegative ? text.substring(1) : text).split(":");
        if (parts.length != 3) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60)
                    .add(new BigDecimal(parts[2]));
            return isNegative ? seconds.negate() : seconds;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
