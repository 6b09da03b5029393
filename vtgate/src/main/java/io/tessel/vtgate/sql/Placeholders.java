package io.tessel.vtgate.sql;

/**
 * The {@code ?} parameter markers of a prepared statement. {@link #of} finds them outside quoted
 * strings, quoted names and comments (inside a {@code /*! .. *}{@code /} version comment they count,
 * it is SQL) and rewrites the statement with the markers as bind variables {@code :v1 .. :vN}, in order,
 * so that an execution goes through the same normalize, plan-cache and routing path as a literal query.
 *
 * @param sql   the statement with each {@code ?} replaced by {@code :vK}
 * @param count how many markers there were
 */
public record Placeholders(String sql, int count) {
    /** The bind-variable name of the 1-based parameter {@code k}. */
    public static String name(int k) {
        return "v" + k;
    }

    public static Placeholders of(String sql) {
        if (sql.indexOf('?') < 0) {
            return new Placeholders(sql, 0);
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = sql.length();
        int copied = 0;
        int count = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '?') {
                out.append(sql, copied, i).append(':').append(name(++count));
                copied = ++i;
                if (i < n && LiteralText.isWordChar(sql.charAt(i))) {
                    out.append(' '); // ?x must not read as :v1x
                }
            } else {
                i = skip(sql, i, c);
            }
        }
        return new Placeholders(out.append(sql, copied, n).toString(), count);
    }

    /** The index just past the quoted run or comment at {@code i}, or {@code i + 1}. */
    private static int skip(String sql, int i, char c) {
        int n = sql.length();
        return switch (c) {
            case '\'', '"', '`' -> orLength(LiteralText.quotedEnd(sql, i), n);
            case '#' -> SqlComments.lineEnd(sql, i);
            case '-' -> SqlComments.isLineComment(sql, i) ? SqlComments.lineEnd(sql, i) : i + 1;
            case '/' -> {
                if (!SqlComments.isBlockComment(sql, i)) {
                    yield i + 1;
                }
                if (sql.startsWith("/*!", i)) {
                    yield i + 3; // a version comment's body is SQL: scan it
                }
                yield orLength(SqlComments.blockEnd(sql, i), n);
            }
            default -> i + 1;
        };
    }

    private static int orLength(int end, int n) {
        return end < 0 ? n : end;
    }
}
