package io.tessel.vttablet.server;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Query.Value;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Replaces {@code :name} and {@code ::name} bind variables in SQL text with MySQL literals, the way
 * Vitess's ParsedQuery does: numbers bare, strings quoted with backslash escapes, NULL as {@code null},
 * tuples as {@code (v1, v2)}. A small tokenizer skips quoted strings, quoted identifiers and comments, so
 * a colon inside them is left alone. Stateless and thread-safe.
 *
 * <p>Values that are not valid UTF-8 (binary BLOB/VARBINARY data) are written as hex literals
 * {@code X'..'}, because the SQL travels to MySQL as a Java string encoded in utf8mb4. Like Vitess, it
 * assumes the server does not run with {@code NO_BACKSLASH_ESCAPES}.
 */
public final class BindVarSubstituter {
    private static final int ISINTEGRAL = 256;
    private static final int ISFLOAT = 1024;
    private static final int ISQUOTED = 2048;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+\\.");
    private static final Pattern HEX_OR_BIT =
            Pattern.compile("0x[0-9a-fA-F]+|[xX]'[0-9a-fA-F]*'|0b[01]+|[bB]'[01]*'");

    private BindVarSubstituter() {}

    /** The SQL with every bind variable replaced; the SQL itself when there are no variables. */
    public static String substitute(String sql, Map<String, BindVariable> vars) {
        if (vars.isEmpty() || sql.indexOf(':') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int n = sql.length();
        int copied = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ':' && i + 1 < n && (isNameStart(sql.charAt(i + 1)) || isListStart(sql, i))) {
                boolean isList = sql.charAt(i + 1) == ':';
                int start = i + (isList ? 2 : 1);
                int end = nameEnd(sql, start);
                out.append(sql, copied, i);
                appendVariable(out, sql.substring(start, end), isList, vars);
                copied = end;
                i = end;
            } else {
                i = skipToken(sql, i, c);
            }
        }
        return out.append(sql, copied, n).toString();
    }

    /** The index just past the token starting at {@code i}: a quoted run, a comment, or one char. */
    private static int skipToken(String sql, int i, char c) {
        int n = sql.length();
        return switch (c) {
            case '\'', '"', '`' -> skipQuoted(sql, i, c);
            case '#' -> skipLine(sql, i);
            case '-' -> i + 2 < n && sql.charAt(i + 1) == '-' && isCommentSpace(sql.charAt(i + 2))
                    ? skipLine(sql, i) : i + 1;
            case '/' -> i + 1 < n && sql.charAt(i + 1) == '*' ? skipBlockComment(sql, i) : i + 1;
            default -> i + 1;
        };
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\' && quote != '`') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2; // a doubled quote stands for itself
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    private static int skipLine(String sql, int i) {
        int eol = sql.indexOf('\n', i);
        return eol < 0 ? sql.length() : eol + 1;
    }

    private static int skipBlockComment(String sql, int i) {
        int end = sql.indexOf("*/", i + 2);
        return end < 0 ? sql.length() : end + 2;
    }

    private static boolean isCommentSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isListStart(String sql, int i) {
        return sql.charAt(i + 1) == ':' && i + 2 < sql.length() && isNameStart(sql.charAt(i + 2));
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static int nameEnd(String sql, int start) {
        int j = start;
        while (j < sql.length() && (isNameStart(sql.charAt(j)) || Character.isDigit(sql.charAt(j)))) {
            j++;
        }
        return j;
    }

    private static void appendVariable(StringBuilder out, String name, boolean isList, Map<String, BindVariable> vars) {
        BindVariable bv = vars.get(name);
        if (bv == null) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "missing bind var " + name);
        }
        if (bv.getType() == Type.TUPLE) {
            appendTuple(out, name, bv);
        } else if (isList) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "unexpected list arg type (" + bv.getType() + ") for key " + name);
        } else {
            appendValue(out, name, bv.getType(), bv.getValue());
        }
    }

    private static void appendTuple(StringBuilder out, String name, BindVariable bv) {
        if (bv.getValuesCount() == 0) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "empty list supplied for " + name);
        }
        out.append('(');
        for (int k = 0; k < bv.getValuesCount(); k++) {
            Value v = bv.getValues(k);
            if (k > 0) {
                out.append(", ");
            }
            appendValue(out, name, v.getType(), v.getValue());
        }
        out.append(')');
    }

    /** Appends one value as a MySQL literal, checking that bare (unquoted) values cannot inject SQL. */
    static void appendValue(StringBuilder out, String name, Type type, ByteString value) {
        int code = type.getNumber();
        switch (type) {
            case NULL_TYPE -> out.append("null");
            case HEXNUM, HEXVAL, BITNUM -> out.append(checked(name, type, value, BindVarSubstituter::isHexOrBitLiteral));
            case TUPLE, EXPRESSION, UNRECOGNIZED ->
                    throw VtException.of(ErrorCode.INVALID_ARGUMENT, "bind var " + name + ": cannot encode type " + type);
            default -> {
                if ((code & ISQUOTED) != 0) {
                    appendQuoted(out, value);
                } else if ((code & (ISINTEGRAL | ISFLOAT)) != 0 || type == Type.DECIMAL) {
                    out.append(checked(name, type, value, BindVarSubstituter::isNumber));
                } else {
                    appendQuoted(out, value);
                }
            }
        }
    }

    private static String checked(String name, Type type, ByteString value, Predicate<String> ok) {
        String s = value.toStringUtf8();
        if (!ok.test(s)) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "bind var " + name + ": invalid " + type + " value '" + s + "'");
        }
        return s;
    }

    private static boolean isNumber(String s) {
        return NUMBER.matcher(s).matches();
    }

    private static boolean isHexOrBitLiteral(String s) {
        return HEX_OR_BIT.matcher(s).matches();
    }

    private static void appendQuoted(StringBuilder out, ByteString value) {
        String text = decodeUtf8(value);
        if (text == null) {
            appendHex(out, value);
            return;
        }
        out.ensureCapacity(out.length() + text.length() + 16);
        out.append('\'');
        int run = 0; // start of the pending run of characters that need no escape
        for (int k = 0; k < text.length(); k++) {
            String escape = escapeOf(text.charAt(k));
            if (escape != null) {
                out.append(text, run, k).append(escape);
                run = k + 1;
            }
        }
        out.append(text, run, text.length()).append('\'');
    }

    /** MySQL's backslash escape for a character, as Vitess's sqltypes writes it, or null if none is needed. */
    private static String escapeOf(char c) {
        return switch (c) {
            case 0 -> "\\0";
            case '\'' -> "\\'";
            case '"' -> "\\\"";
            case '\b' -> "\\b";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 26 -> "\\Z";
            case '\\' -> "\\\\";
            default -> null;
        };
    }

    private static void appendHex(StringBuilder out, ByteString value) {
        char[] hex = new char[value.size() * 2 + 3];
        hex[0] = 'X';
        hex[1] = '\'';
        int pos = 2;
        for (int k = 0; k < value.size(); k++) {
            int b = value.byteAt(k) & 0xFF;
            hex[pos++] = HEX[b >>> 4];
            hex[pos++] = HEX[b & 0xF];
        }
        hex[pos] = '\'';
        out.append(hex);
    }

    /** The value as text when it is valid UTF-8 (protobuf's check is strict), else null. */
    private static String decodeUtf8(ByteString value) {
        return value.isValidUtf8() ? value.toStringUtf8() : null;
    }
}
