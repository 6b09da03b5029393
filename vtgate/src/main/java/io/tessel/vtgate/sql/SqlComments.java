package io.tessel.vtgate.sql;

import static io.tessel.vtgate.sql.LiteralText.isSpace;

/**
 * Where MySQL comments start and end: {@code # ..} and {@code -- ..} (a double dash followed by a space or
 * control character) to the end of the line, {@code /* .. *}{@code /} blocks. Of the blocks,
 * {@code /*! .. *}{@code /} (version comments, executable SQL) and {@code /*+ .. *}{@code /} (optimizer
 * hints) are meaningful to MySQL and are kept by the normalizer; {@code /*vt+ .. *}{@code /} carries
 * Vitess directives. Stateless.
 */
final class SqlComments {
    private SqlComments() {}

    /** True when a line comment starts at {@code i}. */
    static boolean isLineComment(String sql, int i) {
        char c = sql.charAt(i);
        return c == '#' || (c == '-' && sql.startsWith("--", i) && (i + 2 == sql.length() || sql.charAt(i + 2) <= ' '));
    }

    /** The index just past the line comment at {@code i} (its newline included). */
    static int lineEnd(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        return nl < 0 ? sql.length() : nl + 1;
    }

    static boolean isBlockComment(String sql, int i) {
        return i + 1 < sql.length() && sql.charAt(i) == '/' && sql.charAt(i + 1) == '*';
    }

    /** True for a block comment MySQL reads: a version comment or an optimizer hint. */
    static boolean isKept(String sql, int i) {
        return i + 2 < sql.length() && (sql.charAt(i + 2) == '!' || sql.charAt(i + 2) == '+');
    }

    static boolean isDirective(String sql, int i) {
        return sql.startsWith(CommentDirectives.PREAMBLE, i);
    }

    /** The index just past the block comment at {@code i}, or -1 when it is not closed. */
    static int blockEnd(String sql, int i) {
        int close = sql.indexOf("*/", i + 2);
        return close < 0 ? -1 : close + 2;
    }

    /**
     * The first index from {@code i} that is neither space nor inside a plain comment (not kept, not a
     * directive); -1 when a comment is not closed.
     */
    static int skipPlain(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            if (isSpace(sql.charAt(i))) {
                i++;
            } else if (isLineComment(sql, i)) {
                i = lineEnd(sql, i);
            } else if (isBlockComment(sql, i) && !isKept(sql, i) && !isDirective(sql, i)) {
                i = blockEnd(sql, i);
                if (i < 0) {
                    return -1;
                }
            } else {
                return i;
            }
        }
        return n;
    }
}
