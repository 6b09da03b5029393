package io.tessel.vtgate.sql;

import static io.tessel.vtgate.sql.LiteralText.digitsEnd;
import static io.tessel.vtgate.sql.LiteralText.isWordChar;

import io.tessel.proto.Query.Type;

/**
 * A token that starts with a digit (or a dot and a digit), read as MySQL's lexer reads it: a number, a
 * {@code 0x..}/{@code 0b..} literal, or a name such as {@code 123abc} or {@code 1e5x}.
 */
record NumberToken(int end, Kind kind) {
    enum Kind {
        INTEGER, DECIMAL, FLOAT, HEXNUM, BITNUM,
        /** a name that starts with digits */
        NAME,
        /** a number the tablet's substituter cannot write back ({@code 1.e5}): kept as written */
        VERBATIM
    }

    /** True for a plain number, to which a unary minus may be joined. */
    boolean isSignable() {
        return kind == Kind.INTEGER || kind == Kind.DECIMAL || kind == Kind.FLOAT;
    }

    /** The bind-variable value of {@code sql[from, end)}, negated when asked (integers lose leading zeros). */
    String value(String sql, int from, boolean negative) {
        if (kind == Kind.INTEGER) {
            return LiteralText.integerValue(sql, from, end, negative);
        }
        return negative ? "-" + sql.substring(from, end) : sql.substring(from, end);
    }

    /** The bind-variable type of {@link #value}. */
    Type type(String value) {
        return switch (kind) {
            case INTEGER -> LiteralText.integerType(value);
            case DECIMAL -> Type.DECIMAL;
            case FLOAT -> Type.FLOAT64;
            case HEXNUM -> Type.HEXNUM;
            case BITNUM -> Type.BITNUM;
            case NAME, VERBATIM -> throw new IllegalStateException("not a literal: " + kind);
        };
    }

    /** Scans the token at {@code i}, which is a digit or a dot followed by a digit. */
    static NumberToken scan(String sql, int i) {
        int n = sql.length();
        if (sql.charAt(i) == '0' && i + 2 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'b')) {
            boolean isBinary = sql.charAt(i + 1) == 'b';
            int end = i + 2;
            while (end < n && LiteralText.isDigits(sql, end, end + 1, isBinary)) {
                end++;
            }
            if (end > i + 2 && (end == n || !isWordChar(sql.charAt(end)))) {
                return new NumberToken(end, isBinary ? Kind.BITNUM : Kind.HEXNUM);
            }
        }
        int end = digitsEnd(sql, i);
        boolean hasDot = end < n && sql.charAt(end) == '.';
        boolean hasFraction = hasDot && digitsEnd(sql, end + 1) > end + 1;
        end = hasDot ? digitsEnd(sql, end + 1) : end;
        int exponentEnd = exponentEnd(sql, end);
        boolean hasExponent = exponentEnd > end;
        end = exponentEnd;
        if (end < n && isWordChar(sql.charAt(end))) {
            while (end < n && isWordChar(sql.charAt(end))) {
                end++;
            }
            return new NumberToken(end, Kind.NAME);
        }
        Kind kind = hasExponent ? (hasDot && !hasFraction ? Kind.VERBATIM : Kind.FLOAT)
                : hasDot ? Kind.DECIMAL : Kind.INTEGER;
        return new NumberToken(end, kind);
    }

    /** The end of an exponent {@code e[+-]digits} at {@code i}, or {@code i} when there is none. */
    private static int exponentEnd(String sql, int i) {
        int n = sql.length();
        if (i >= n || (sql.charAt(i) != 'e' && sql.charAt(i) != 'E')) {
            return i;
        }
        int digits = i + 1 < n && (sql.charAt(i + 1) == '+' || sql.charAt(i + 1) == '-') ? i + 2 : i + 1;
        int end = digitsEnd(sql, digits);
        return end > digits ? end : i;
    }
}
