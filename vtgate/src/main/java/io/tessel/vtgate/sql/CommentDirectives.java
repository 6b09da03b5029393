package io.tessel.vtgate.sql;

import java.util.Locale;
import java.util.Map;

/**
 * Reads Vitess's directive comments, {@code /*vt+ KEY=VALUE FLAG KEY2='a b' *}{@code /}: space-separated
 * entries, a value optionally quoted ({@code '..'}, {@code ".."} or {@code `..`}, quotes removed), an
 * entry without {@code =} meaning {@code true}. Keys are case-insensitive as in Vitess and are stored
 * upper-cased ({@code QUERY_TIMEOUT_MS}); a later entry replaces an earlier one. Stateless.
 */
final class CommentDirectives {
    /** What a directive comment starts with. */
    static final String PREAMBLE = "/*vt+";

    private CommentDirectives() {}

    /** Adds the entries found in {@code sql[from, to)} (the comment's body, without its markers). */
    static void parse(String sql, int from, int to, Map<String, String> into) {
        int i = from;
        while (i < to) {
            while (i < to && Character.isWhitespace(sql.charAt(i))) {
                i++;
            }
            int start = i;
            int eq = -1;
            while (i < to && !Character.isWhitespace(sql.charAt(i))) {
                char c = sql.charAt(i);
                if (c == '=' && eq < 0) {
                    eq = i;
                    if (i + 1 < to && isQuote(sql.charAt(i + 1))) {
                        i = quotedEnd(sql, i + 1, to);
                        continue;
                    }
                }
                i++;
            }
            if (i > start) {
                put(sql, start, eq, i, into);
            }
        }
    }

    private static void put(String sql, int start, int eq, int end, Map<String, String> into) {
        if (eq == start) {
            return; // "=value" names nothing
        }
        int keyEnd = eq < 0 ? end : eq;
        String key = sql.substring(start, keyEnd).toUpperCase(Locale.ROOT);
        into.put(key, eq < 0 ? "true" : unquote(sql.substring(eq + 1, end)));
    }

    private static int quotedEnd(String sql, int open, int to) {
        int close = sql.indexOf(sql.charAt(open), open + 1);
        return close < 0 || close >= to ? to : close + 1;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && isQuote(v.charAt(0)) && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"' || c == '`';
    }
}
