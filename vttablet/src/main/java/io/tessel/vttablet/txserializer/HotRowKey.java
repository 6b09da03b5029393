package io.tessel.vttablet.txserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the row a DML statement writes, cheaply from its text: an {@code UPDATE t SET ... WHERE ...} or
 * {@code DELETE FROM t WHERE ...} on one table whose WHERE is only {@code column = literal} equalities
 * joined by AND (optionally followed by ORDER BY or LIMIT). The key is the table plus those equalities in
 * a canonical order, so {@code where id = 5} from two transactions names the same row. Vitess keys by
 * table plus WHERE text the same way; like it, the tablet does not check that the columns form the
 * primary key, so a unique-key equality counts too, and a non-unique one serializes a set of rows.
 * Anything else (ranges, OR, IN, joins, functions) has no key and is never queued. Stateless.
 */
public final class HotRowKey {
    private HotRowKey() {}

    /** The row key of a statement, e.g. {@code commerce.t where id=5}, or null when it has none. */
    public static String of(String sql) {
        List<String> t = tokens(sql);
        int i = 0;
        String verb = word(t, i++);
        if ("update".equals(verb)) {
            i = skipWords(t, i, "low_priority", "ignore");
        } else if ("delete".equals(verb)) {
            i = skipWords(t, i, "low_priority", "quick", "ignore");
            if (!"from".equals(word(t, i++))) {
                return null;
            }
        } else {
            return null;
        }
        int tableStart = i;
        i = skipName(t, i);
        if (i < 0) {
            return null;
        }
        StringBuilder table = new StringBuilder();
        t.subList(tableStart, i).forEach(part -> table.append(unquote(part)));
        if ("update".equals(verb)) {
            if (!"set".equals(word(t, i))) {
                return null; // an alias or a join
            }
            i = whereAfterSet(t, i + 1);
        }
        if (i < 0 || !"where".equals(word(t, i))) {
            return null;
        }
        String where = equalities(t, i + 1);
        return where == null ? null : table + " where " + where;
    }

    /** The index of the WHERE ending a SET list (outside parentheses), or -1. */
    private static int whereAfterSet(List<String> t, int i) {
        int depth = 0;
        for (; i < t.size(); i++) {
            String tok = t.get(i);
            if (tok.equals("(")) {
                depth++;
            } else if (tok.equals(")")) {
                depth--;
            } else if (depth == 0 && "where".equals(word(t, i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code col=lit and col=lit} sorted by column, or null when the condition is anything else. */
    private static String equalities(List<String> t, int i) {
        List<String> terms = new ArrayList<>();
        while (true) {
            i = skipName(t, i);
            if (i < 0 || !"=".equals(at(t, i)) || !isLiteral(at(t, i + 1))) {
                return null;
            }
            String column = unquote(t.get(i - 1)); // the last part of a qualified name
            terms.add(column + "=" + t.get(i + 1));
            i += 2;
            String next = word(t, i);
            if (next == null || next.equals("order") || next.equals("limit")) {
                break;
            }
            if (!next.equals("and")) {
                return null;
            }
            i++;
        }
        terms.sort(null);
        return String.join(" and ", terms);
    }

    /** Past a name of up to three dotted parts, or -1 when there is none. */
    private static int skipName(List<String> t, int i) {
        if (!isIdentifier(at(t, i))) {
            return -1;
        }
        i++;
        for (int parts = 1; parts < 3 && ".".equals(at(t, i)) && isIdentifier(at(t, i + 1)); parts++) {
            i += 2;
        }
        return i;
    }

    /** A name without backticks, in lower case: MySQL table names may be case-sensitive, but a shared key only over-serializes. */
    private static String unquote(String name) {
        String bare = name.length() >= 2 && name.startsWith("`") && name.endsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
        return bare.toLowerCase(Locale.ROOT);
    }

    private static int skipWords(List<String> t, int i, String... words) {
        for (String w : words) {
            if (w.equals(word(t, i))) {
                i++;
            }
        }
        return i;
    }

    private static String at(List<String> t, int i) {
        return i < t.size() ? t.get(i) : null;
    }

    /** The token as a lower-case keyword, or null when it is not a bare word or past the end. */
    private static String word(List<String> t, int i) {
        String tok = at(t, i);
        return tok != null && isWordStart(tok.charAt(0)) ? tok.toLowerCase(Locale.ROOT) : null;
    }

    private static boolean isIdentifier(String tok) {
        return tok != null && (isWordStart(tok.charAt(0)) || tok.charAt(0) == '`');
    }

    private static boolean isLiteral(String tok) {
        if (tok == null) {
            return false;
        }
        char c = tok.charAt(0);
        return c == '\'' || c == '"' || (c >= '0' && c <= '9') || ((c == '-' || c == '.') && tok.length() > 1);
    }

    /** Words, quoted names, strings, numbers and one-char symbols; comments and whitespace dropped. */
    static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                continue;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
                continue;
            } else if (c == '\'' || c == '"' || c == '`') {
                end = quotedEnd(sql, i, c);
            } else if (isWordStart(c) || Character.isDigit(c)) {
                end = i + 1;
                while (end < n && (isWordStart(sql.charAt(end)) || Character.isDigit(sql.charAt(end)) || sql.charAt(end) == '.'
                        && Character.isDigit(c))) {
                    end++;
                }
            } else if (c == '-' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)) && isAfterOperator(out)) {
                end = i + 1;
                while (end < n && (Character.isDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
            } else {
                end = i + 1;
            }
            out.add(sql.substring(i, end));
            i = end;
        }
        return out;
    }

    /** A minus sign starts a negative number only where a value is expected, after "=". */
    private static boolean isAfterOperator(List<String> tokens) {
        return !tokens.isEmpty() && tokens.getLast().equals("=");
    }

    private static int quotedEnd(String sql, int i, char quote) {
        int n = sql.length();
        int j = i + 1;
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
        return n;
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }
}
