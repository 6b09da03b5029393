package io.tessel.vtgate.sql;

import io.tessel.proto.Query.Type;

/**
 * Character-level helpers for reading MySQL literals in the default sql_mode (backslash escapes on,
 * {@code ".."} a string): where a quoted run ends, the value a string literal stands for, and the type of
 * an integer literal. Stateless.
 */
final class LiteralText {
    private static final String INT64_MAX = "9223372036854775807";
    private static final String INT64_MIN_ABS = "9223372036854775808";
    private static final String UINT64_MAX = "18446744073709551615";

    private LiteralText() {}

    /**
     * The index just past the quoted run opened at {@code open}, or -1 when it is not closed. A doubled
     * quote stands for itself; backslash escapes a character except in backquoted names.
     */
    static int quotedEnd(String sql, int open) {
        char quote = sql.charAt(open);
        int n = sql.length();
        int j = open + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\' && quote != '`') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    /** The index just past the {@code @var}, {@code @@sys.var} or {@code @'quoted'} at {@code at}; -1 if unclosed. */
    static int variableEnd(String sql, int at) {
        int n = sql.length();
        int j = at + 1 < n && sql.charAt(at + 1) == '@' ? at + 2 : at + 1;
        if (j < n && (sql.charAt(j) == '\'' || sql.charAt(j) == '"' || sql.charAt(j) == '`')) {
            return quotedEnd(sql, j);
        }
        while (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.')) {
            j++;
        }
        return j;
    }

    /** The value of the string literal {@code sql[open, end)}, quotes included, under MySQL's escapes. */
    static String unescape(String sql, int open, int end) {
        char quote = sql.charAt(open);
        int from = open + 1;
        int to = end - 1;
        int k = from;
        while (k < to && sql.charAt(k) != '\\' && sql.charAt(k) != quote) {
            k++;
        }
        if (k == to) {
            return sql.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        sb.append(sql, from, k);
        for (int i = k; i < to; i++) {
            char c = sql.charAt(i);
            if (c == '\\') {
                appendEscaped(sb, sql.charAt(++i));
            } else {
                sb.append(c);
                if (c == quote) {
                    i++; // a doubled quote: skip its twin
                }
            }
        }
        return sb.toString();
    }

    /** MySQL's meaning of backslash + {@code c}; {@code \%} and {@code \_} keep the backslash (LIKE escapes). */
    private static void appendEscaped(StringBuilder sb, char c) {
        switch (c) {
            case '0' -> sb.append('\0');
            case 'b' -> sb.append('\b');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'Z' -> sb.append((char) 26);
            case '%', '_' -> sb.append('\\').append(c);
            default -> sb.append(c);
        }
    }

    /** The end of the run of name characters starting at {@code i}. */
    static int wordEnd(String sql, int i) {
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of the run of ASCII digits starting at {@code i}. */
    static int digitsEnd(String sql, int i) {
        while (i < sql.length() && isDigit(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    /** True when {@code sql[from, to)} is all hex digits ({@code binary}: all 0 or 1). */
    static boolean isDigits(String sql, int from, int to, boolean binary) {
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            boolean ok = binary ? c == '0' || c == '1'
                    : isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The integer {@code sql[from, to)} (digits only) without leading zeros, negated when asked. */
    static String integerValue(String sql, int from, int to, boolean negative) {
        int k = from;
        while (k < to - 1 && sql.charAt(k) == '0') {
            k++;
        }
        if (to - k == 1 && sql.charAt(k) == '0') {
            return "0";
        }
        return negative ? "-" + sql.substring(k, to) : sql.substring(k, to);
    }

    /** INT64, UINT64 above Long.MAX_VALUE, DECIMAL beyond (as MySQL reads an over-long integer literal). */
    static Type integerType(String value) {
        boolean negative = value.charAt(0) == '-';
        int digits = value.length() - (negative ? 1 : 0);
        if (digits < 19) {
            return Type.INT64;
        }
        String abs = negative ? value.substring(1) : value;
        if (digits == 19) {
            if (abs.compareTo(negative ? INT64_MIN_ABS : INT64_MAX) <= 0) {
                return Type.INT64;
            }
            return negative ? Type.DECIMAL : Type.UINT64;
        }
        return !negative && digits == 20 && abs.compareTo(UINT64_MAX) <= 0 ? Type.UINT64 : Type.DECIMAL;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A character of an unquoted name: letters, digits, {@code _}, {@code $} and anything past ASCII. */
    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }

    /** MySQL's whitespace. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
