package io.tessel.vttablet.consolidate;

import java.util.List;

/**
 * Decides cheaply, from the SQL text alone, whether a statement is a plain read that may share another
 * caller's execution: it must be a SELECT, and must not lock rows ({@code FOR UPDATE}, {@code FOR SHARE},
 * {@code LOCK IN SHARE MODE}), write ({@code INTO}), take named locks, touch sequences, or ask about its
 * own connection ({@code LAST_INSERT_ID()}, {@code FOUND_ROWS()}, {@code CONNECTION_ID()}...). Any of
 * those words anywhere in the text, even inside a string, rules it out: a missed consolidation costs one
 * more execution, a wrong one a wrong answer. Stateless and thread-safe.
 */
public final class Consolidatable {
    private static final List<String> RULED_OUT = List.of("update", "share", "into", "get_lock", "release_lock",
            "release_all_locks", "is_free_lock", "is_used_lock", "last_insert_id", "found_rows", "row_count",
            "connection_id", "nextval", "lastval", "setval", "next");

    private Consolidatable() {}

    /** True when {@code sql} is a SELECT without locking reads, writes or per-connection functions. */
    public static boolean isConsolidatable(String sql) {
        int start = firstWord(sql);
        if (!isWordAt(sql, start, "select")) {
            return false;
        }
        int n = sql.length();
        int i = start + 6;
        while (i < n) {
            char c = sql.charAt(i);
            if (isWordStart(c) && !isWordChar(sql.charAt(i - 1))) {
                for (String word : RULED_OUT) {
                    if (isWordAt(sql, i, word)) {
                        return false;
                    }
                }
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return true;
    }

    /** The index of the first word, past whitespace, comments and opening parentheses. */
    private static int firstWord(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else {
                return i;
            }
        }
        return n;
    }

    private static boolean isWordAt(String sql, int i, String word) {
        int end = i + word.length();
        return sql.regionMatches(true, i, word, 0, word.length()) && (end >= sql.length() || !isWordChar(sql.charAt(end)));
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordChar(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9') || c == '$';
    }
}
