package io.tessel.vtgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits the text of one COM_QUERY into its statements at the semicolons that end them, as MySQL does
 * for CLIENT_MULTI_STATEMENTS. A semicolon does not split inside a quoted string or name, a comment, a
 * {@code /*! .. *}{@code /} version comment, or the body of a stored program ({@code CREATE PROCEDURE,
 * FUNCTION, TRIGGER, EVENT} with a {@code BEGIN .. END} block, nesting counted by BEGIN/CASE against END).
 * Statements that are only space and comments are dropped. Text that does not scan (an unclosed quote or
 * comment) ends the last statement, for MySQL to reject. Stateless.
 */
public final class StatementSplitter {
    private StatementSplitter() {}

    /** The statements of {@code sql}, each without its terminating semicolon; empty when there are none. */
    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>(2);
        int n = sql.length();
        int start = 0;
        int i = 0;
        Block block = new Block();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';' && block.depth == 0) {
                add(out, sql, start, i);
                start = i + 1;
                block = new Block();
                i++;
            } else {
                i = skip(sql, i, c, block);
            }
        }
        add(out, sql, start, n);
        return out;
    }

    /** True when {@code sql} holds more than one statement. */
    public static boolean isMulti(String sql) {
        return sql.indexOf(';') >= 0 && split(sql).size() > 1;
    }

    private static void add(List<String> out, String sql, int from, int to) {
        int first = SqlComments.skipPlain(sql, from);
        if (first >= 0 && first < to) {
            out.add(sql.substring(from, to).strip());
        } else if (first < 0) {
            out.add(sql.substring(from, to).strip()); // an unclosed comment: let MySQL reject it
        }
    }

    /** The index just past the token (quoted run, comment, word or one character) at {@code i}. */
    private static int skip(String sql, int i, char c, Block block) {
        int n = sql.length();
        return switch (c) {
            case '\'', '"', '`' -> endOrLength(LiteralText.quotedEnd(sql, i), n);
            case '#' -> SqlComments.lineEnd(sql, i);
            case '-' -> SqlComments.isLineComment(sql, i) ? SqlComments.lineEnd(sql, i) : i + 1;
            case '/' -> SqlComments.isBlockComment(sql, i) ? endOrLength(SqlComments.blockEnd(sql, i), n) : i + 1;
            default -> {
                if (LiteralText.isWordChar(c) && (i == 0 || !LiteralText.isWordChar(sql.charAt(i - 1)))) {
                    int end = LiteralText.wordEnd(sql, i);
                    block.word(sql.substring(i, end).toLowerCase(Locale.ROOT));
                    yield end;
                }
                yield i + 1;
            }
        };
    }

    private static int endOrLength(int end, int n) {
        return end < 0 ? n : end;
    }

    /** Tracks whether a statement is a stored program and how deep its BEGIN/CASE blocks nest. */
    private static final class Block {
        private int words;
        private boolean isCreate;
        private boolean isProgram;
        private boolean isAfterEnd;
        private int depth;

        void word(String w) {
            words++;
            if (words == 1) {
                isCreate = w.equals("create");
                return;
            }
            if (!isProgram) {
                isProgram = isCreate && (w.equals("procedure") || w.equals("function") || w.equals("trigger")
                        || w.equals("event"));
                return;
            }
            if (isAfterEnd) { // END IF / END LOOP ... close blocks not counted; END CASE closes a CASE
                isAfterEnd = false;
                if (w.equals("if") || w.equals("loop") || w.equals("while") || w.equals("repeat")) {
                    depth++; // undo the decrement of the END before it
                    return;
                }
                if (w.equals("case")) {
                    return;
                }
            }
            switch (w) {
                case "begin", "case" -> depth++;
                case "end" -> {
                    depth = Math.max(0, depth - 1);
                    isAfterEnd = true;
                }
                default -> { }
            }
        }
    }
}
