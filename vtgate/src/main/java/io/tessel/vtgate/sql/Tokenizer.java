package io.tessel.vtgate.sql;

import io.tessel.vtgate.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A small MySQL tokenizer for the statements vtgate answers or classifies itself (transaction control,
 * SET, USE, SELECT of system variables). Skips whitespace and comments; the body of a
 * {@code /*!NNNNN ... *}{@code /} version comment is read as SQL, as MySQL does. Stateless.
 */
public final class Tokenizer {
    private Tokenizer() {}

    public static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (true) {
            i = skipSpaceAndComments(sql, i);
            if (i >= n) {
                out.add(new Token(Kind.EOF, "", n, n));
                return out;
            }
            Token t = next(sql, i);
            out.add(t);
            i = t.end();
        }
    }

    /** The first token, for cheap statement classification. */
    public static Token first(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        return i >= sql.length() ? new Token(Kind.EOF, "", i, i) : next(sql, i);
    }

    static int skipSpaceAndComments(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i)) || (c == '-' && sql.startsWith("--", i) && i + 2 == n)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && sql.startsWith("/*!", i)) {
                i += 3;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '*' && sql.startsWith("*/", i)) {
                i += 2; // the end of a version comment whose body we read
            } else {
                return i;
            }
        }
        return i;
    }

    private static Token next(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            return quoted(sql, i, c, Kind.STRING);
        }
        if (c == '`') {
            return quoted(sql, i, c, Kind.QUOTED_IDENT);
        }
        if (c == '@') {
            boolean system = sql.startsWith("@@", i);
            int start = i + (system ? 2 : 1);
            if (start < sql.length() && (sql.charAt(start) == '`' || sql.charAt(start) == '\'' || sql.charAt(start) == '"')) {
                Token q = quoted(sql, start, sql.charAt(start), Kind.STRING);
                return new Token(system ? Kind.SYSTEM_VAR : Kind.USER_VAR, q.text(), i, q.end());
            }
            int end = scanWord(sql, start, true);
            return new Token(system ? Kind.SYSTEM_VAR : Kind.USER_VAR, sql.substring(start, end), i, end);
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1)))) {
            int end = i;
            while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                end++;
            }
            return new Token(Kind.NUMBER, sql.substring(i, end), i, end);
        }
        if (isWordChar(c)) {
            int end = scanWord(sql, i, false);
            return new Token(Kind.IDENT, sql.substring(i, end), i, end);
        }
        for (String op : new String[] {":=", "<=>", "<=", ">=", "!=", "<>"}) {
            if (sql.startsWith(op, i)) {
                return new Token(Kind.PUNCT, op, i, i + op.length());
            }
        }
        return new Token(Kind.PUNCT, String.valueOf(c), i, i + 1);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }

    private static int scanWord(String sql, int i, boolean allowDot) {
        int end = i;
        while (end < sql.length() && (isWordChar(sql.charAt(end)) || (allowDot && sql.charAt(end) == '.'))) {
            end++;
        }
        return end;
    }

    private static Token quoted(String sql, int i, char quote, Kind kind) {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (c == '\\' && quote != '`' && j + 1 < sql.length()) {
                sb.append(unescape(sql.charAt(j + 1)));
                j += 2;
            } else if (c == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    sb.append(quote);
                    j += 2;
                } else {
                    return new Token(kind, sb.toString(), i, j + 1);
                }
            } else {
                sb.append(c);
                j++;
            }
        }
        return new Token(kind, sb.toString(), i, sql.length()); // unterminated: MySQL will reject it
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '0' -> '\0';
            case 'b' -> '\b';
            case 'Z' -> (char) 26;
            default -> c;
        };
    }
}
