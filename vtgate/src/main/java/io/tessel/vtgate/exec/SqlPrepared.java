package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.sql.Placeholders;
import io.tessel.vtgate.sql.StatementSplitter;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Token.Kind;
import io.tessel.vtgate.sql.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL-level prepared statements, per session as MySQL keeps them: {@code PREPARE s FROM 'text' | @var},
 * {@code EXECUTE s [USING @a, ...]}, MariaDB's {@code EXECUTE IMMEDIATE 'text' | @var [USING ...]} and
 * {@code DEALLOCATE | DROP PREPARE s}. An execution binds the {@code ?} markers to the user variables' values
 * ({@link Placeholders}) and runs like COM_STMT_EXECUTE, so it is planned and routed like its literal form.
 * Statement names are case-insensitive. Not thread-safe: one per session, used by its connection.
 */
final class SqlPrepared {
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();

    /** A statement to run: its text with {@code :v1 .. :vN} for the markers, and their values. */
    record Execution(String sql, Map<String, BindVariable> params) {}

    private final Map<String, Placeholders> statements = new HashMap<>();

    /** True for {@code DROP PREPARE name}, which is not DDL. */
    static boolean isDropPrepare(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        return t.size() > 1 && t.get(0).is("drop") && t.get(1).is("prepare");
    }

    /** {@code PREPARE name FROM 'text' | @var}: checks and keeps the statement, replacing one of that name. */
    void prepare(String sql, Map<String, BindVariable> userVariables) {
        List<Token> t = Tokenizer.tokenize(sql);
        if (t.size() != 5 || !t.get(2).is("from")) {
            throw syntax(sql);
        }
        String name = name(t.get(1), sql);
        Placeholders text = text(t.get(3), userVariables, sql);
        statements.remove(name); // MySQL drops the old one even when the new text fails
        statements.put(name, text);
    }

    /** {@code EXECUTE name [USING @a, ...]} or {@code EXECUTE IMMEDIATE text [USING ...]}. */
    Execution execute(String sql, Map<String, BindVariable> userVariables) {
        List<Token> t = Tokenizer.tokenize(sql);
        if (t.size() < 3) {
            throw syntax(sql);
        }
        boolean isImmediate = t.get(1).is("immediate") && t.size() > 3
                && (t.get(2).kind() == Kind.STRING || t.get(2).kind() == Kind.USER_VAR);
        Placeholders text;
        String name;
        if (isImmediate) {
            text = text(t.get(2), userVariables, sql);
            name = "IMMEDIATE";
        } else {
            name = name(t.get(1), sql);
            text = statements.get(name);
            if (text == null) {
                throw unknown(name, "EXECUTE");
            }
        }
        List<BindVariable> values = using(t, isImmediate ? 3 : 2, userVariables, sql);
        if (values.size() != text.count()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_ARGUMENTS,
                    "Incorrect arguments to EXECUTE");
        }
        Map<String, BindVariable> params = new HashMap<>();
        for (int k = 1; k <= values.size(); k++) {
            params.put(Placeholders.name(k), values.get(k - 1));
        }
        return new Execution(text.sql(), params);
    }

    /** {@code DEALLOCATE PREPARE name} or {@code DROP PREPARE name}. */
    void deallocate(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        if (t.size() != 4 || !t.get(1).is("prepare")) {
            throw syntax(sql);
        }
        String name = name(t.get(2), sql);
        if (statements.remove(name) == null) {
            throw unknown(name, "DEALLOCATE PREPARE");
        }
    }

    /** COM_RESET_CONNECTION and COM_CHANGE_USER drop every statement. */
    void clear() {
        statements.clear();
    }

    private static List<BindVariable> using(List<Token> t, int at, Map<String, BindVariable> userVariables,
            String sql) {
        if (t.get(at).kind() == Kind.EOF) {
            return List.of();
        }
        if (!t.get(at).is("using")) {
            throw syntax(sql);
        }
        List<BindVariable> values = new ArrayList<>();
        for (int i = at + 1; ; i += 2) {
            Token v = t.get(i);
            if (v.kind() != Kind.USER_VAR) {
                throw syntax(sql);
            }
            values.add(userVariables.getOrDefault(v.text().toLowerCase(Locale.ROOT), NULL));
            if (t.get(i + 1).kind() == Kind.EOF) {
                return values;
            }
            if (!t.get(i + 1).isPunct(",")) {
                throw syntax(sql);
            }
        }
    }

    private static String name(Token t, String sql) {
        if (t.kind() != Kind.IDENT && t.kind() != Kind.QUOTED_IDENT) {
            throw syntax(sql);
        }
        return t.text().toLowerCase(Locale.ROOT);
    }

    /** The statement text of a string literal or a user variable, checked to be one preparable statement. */
    private static Placeholders text(Token t, Map<String, BindVariable> userVariables, String sql) {
        String text;
        if (t.kind() == Kind.STRING) {
            text = t.text();
        } else if (t.kind() == Kind.USER_VAR) {
            BindVariable v = userVariables.get(t.text().toLowerCase(Locale.ROOT));
            if (v == null || v.getType() == Type.NULL_TYPE) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR, "You have an error in "
                        + "your SQL syntax; check the manual that corresponds to your MariaDB server version for the "
                        + "right syntax to use near 'NULL' at line 1");
            }
            text = v.getValue().toString(StandardCharsets.UTF_8);
        } else {
            throw syntax(sql);
        }
        List<String> parts = StatementSplitter.split(text);
        if (parts.isEmpty()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_EMPTY_QUERY, "Query was empty");
        }
        Token first = Tokenizer.first(parts.get(0));
        if (parts.size() > 1 || first.is("prepare") || first.is("execute") || first.is("deallocate")) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_UNSUPPORTED_PS,
                    "This command is not supported in the prepared statement protocol yet");
        }
        return Placeholders.of(parts.get(0));
    }

    private static VtException unknown(String name, String command) {
        return VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_UNKNOWN_STMT_HANDLER,
                "Unknown prepared statement handler (" + name + ") given to " + command);
    }

    private static VtException syntax(String sql) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR, "You have an error in your SQL "
                + "syntax; check the manual that corresponds to your MariaDB server version for the right syntax "
                + "to use near '" + sql + "' at line 1");
    }
}
