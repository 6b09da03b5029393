package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.exec.SystemVariables.Assignment;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Token.Kind;
import io.tessel.vtgate.sql.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * User variables as Vitess keeps them: {@code SET @x = ...} stores the value in the vtgate session, and a
 * statement that reads {@code @x} has it replaced by the bind variable {@code :__vtudvx} holding the value
 * (NULL when never set), so the statement is planned and routed like any other and the tablets see the value.
 * A select item that is just {@code @x} keeps its MySQL column name through an alias. Assigning a user
 * variable inside a statement ({@code @x := 1}, {@code SELECT ... INTO @x}) would need the value back from a
 * shard and is refused. Stateless.
 */
final class UserVariables {
    /** The prefix of the bind variables user variables become, as in Vitess. */
    static final String PREFIX = "__vtudv";
    private static final Pattern SIMPLE_NAME = Pattern.compile("[a-z0-9_$]+");
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();

    private UserVariables() {}

    /** A statement with its user variables as bind variables, and their values. */
    record Rewritten(String sql, Map<String, BindVariable> bindVars) {}

    /** {@code sql} with every {@code @x} replaced, or null when it reads no user variable. */
    static Rewritten rewrite(String sql, Map<String, BindVariable> values) {
        if (sql.indexOf('@') < 0) {
            return null;
        }
        List<Token> t = Tokenizer.tokenize(sql);
        StringBuilder out = null;
        Map<String, BindVariable> vars = new HashMap<>();
        boolean isSelectList = t.get(0).is("select");
        int depth = 0;
        int copied = 0;
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            depth += tok.isPunct("(") ? 1 : tok.isPunct(")") ? -1 : 0;
            isSelectList &= !(depth == 0 && tok.is("from"));
            if (tok.kind() != Kind.USER_VAR) {
                continue;
            }
            String name = name(tok, t.get(i + 1), i > 0 ? t.get(i - 1) : null);
            out = out == null ? new StringBuilder(sql.length() + 32) : out;
            out.append(sql, copied, tok.start()).append(':').append(PREFIX).append(name);
            boolean isWholeItem = isSelectList && depth == 0 && i > 0 && isItemStart(t.get(i - 1))
                    && isItemEnd(t.get(i + 1));
            if (isWholeItem) { // MySQL names the column as the variable was written
                out.append(" as `").append(sql.substring(tok.start(), tok.end()).replace("`", "``")).append('`');
            }
            copied = tok.end();
            vars.put(PREFIX + name, values.getOrDefault(name, NULL));
        }
        return out == null ? null : new Rewritten(out.append(sql, copied, sql.length()).toString(), vars);
    }

    private static String name(Token tok, Token next, Token previous) {
        if (next.isPunct(":=")) {
            throw SystemVariables.unsupported("assigning user variable @" + tok.text() + " inside a statement");
        }
        if (previous != null && previous.is("into")) {
            throw SystemVariables.unsupported("SELECT ... INTO @" + tok.text());
        }
        String name = tok.text().toLowerCase(Locale.ROOT);
        if (!SIMPLE_NAME.matcher(name).matches()) {
            throw SystemVariables.unsupported("user variable name '" + tok.text() + "'");
        }
        return name;
    }

    private static boolean isItemStart(Token previous) {
        return previous.is("select") || previous.is("distinct") || previous.isPunct(",");
    }

    private static boolean isItemEnd(Token next) {
        return next.kind() == Kind.EOF || next.isPunct(",") || next.is("from") || next.is("where")
                || next.is("group") || next.is("having") || next.is("order") || next.is("limit") || next.is("union");
    }

    /** The variable's name in the session: lower case, without the {@code @}. */
    static String sessionName(Assignment a) {
        String name = a.name().substring(1).toLowerCase(Locale.ROOT);
        if (!SIMPLE_NAME.matcher(name).matches()) {
            throw SystemVariables.unsupported("user variable name '" + a.name() + "'");
        }
        return name;
    }

    /** The value of a literal: an integer, a decimal or float number, a string, or NULL. */
    static BindVariable literal(Assignment a) {
        String sql = a.literalSql();
        if (a.value() == null) {
            return NULL;
        }
        if (sql.startsWith("'")) {
            return of(Type.VARCHAR, a.value());
        }
        if (sql.equalsIgnoreCase("true") || sql.equalsIgnoreCase("false")) {
            return of(Type.INT64, sql.equalsIgnoreCase("true") ? "1" : "0");
        }
        if (sql.matches("[0-9]+")) {
            return of(sql.length() < 19 ? Type.INT64 : Type.DECIMAL, sql);
        }
        if (sql.matches("[0-9]*\\.[0-9]+|[0-9]+\\.[0-9]*")) {
            return of(Type.DECIMAL, sql);
        }
        if (sql.matches("[0-9.]+[eE][-+]?[0-9]+")) {
            return of(Type.FLOAT64, sql);
        }
        return null; // a keyword or other text: the caller evaluates it as an expression
    }

    /** The first value of a one-row result with its column's type; NULL for no row or SQL NULL. */
    static BindVariable fromResult(QueryResult r) {
        String value = r.getRowsCount() == 0 ? null : SystemVariables.cell(r, 0);
        if (value == null) {
            return NULL;
        }
        Type type = r.getFields(0).getType();
        return of(ReservedSettings.isNumber(type) ? type : Type.VARBINARY.equals(type) ? type : Type.VARCHAR, value);
    }

    private static BindVariable of(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build();
    }
}
