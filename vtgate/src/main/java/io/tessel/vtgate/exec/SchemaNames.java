package io.tessel.vtgate.exec;

import io.tessel.proto.Query.BindVariable;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Token.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The database an introspection statement is about, so vtgate can send it to that keyspace instead of the
 * session's: {@code SHOW TABLES FROM ks}, {@code SHOW [FULL] COLUMNS FROM t FROM ks}, {@code SHOW INDEX FROM
 * ks.t}, {@code SHOW CREATE TABLE ks.t}, {@code DESCRIBE ks.t}, and {@code information_schema} queries with
 * {@code table_schema = 'ks'} (or {@code schema_name}, or {@code LIKE} without wildcards; a prepared
 * statement's parameter counts). A shard's database is named as its keyspace, so the statement goes on
 * unchanged. Stateless.
 */
final class SchemaNames {
    /** SHOW kinds whose FROM names a database. */
    private static final Set<String> FROM_DATABASE = Set.of("tables", "status", "triggers", "events");
    /** SHOW kinds whose first FROM names a table and a second FROM a database. */
    private static final Set<String> FROM_TABLE = Set.of("columns", "fields", "index", "indexes", "keys");
    private static final Set<String> CREATE_KINDS = Set.of("table", "view", "trigger", "procedure", "function", "event");

    private SchemaNames() {}

    /** The database a SHOW, DESCRIBE or EXPLAIN-of-a-table statement names, if any. */
    static Optional<String> ofShow(List<Token> t) {
        int i = 1;
        while (t.get(i).is("full") || t.get(i).is("extended") || t.get(i).is("open") || t.get(i).is("table")) {
            i++; // SHOW FULL TABLES, SHOW EXTENDED COLUMNS, SHOW OPEN TABLES, SHOW TABLE STATUS
        }
        Token kind = t.get(i);
        if (t.get(0).is("describe") || t.get(0).is("desc") || t.get(0).is("explain")) {
            return qualifier(t, 1);
        }
        if (kind.is("create")) {
            Token what = t.get(i + 1);
            if (what.is("database") || what.is("schema")) {
                return name(t.get(t.get(i + 2).is("if") ? i + 5 : i + 2)); // SHOW CREATE DATABASE [IF NOT EXISTS] db
            }
            return CREATE_KINDS.contains(what.text().toLowerCase(java.util.Locale.ROOT)) ? qualifier(t, i + 2) : Optional.empty();
        }
        boolean isTableKind = kind.kind() == Kind.IDENT && FROM_TABLE.contains(kind.text().toLowerCase(java.util.Locale.ROOT));
        boolean isDatabaseKind = kind.kind() == Kind.IDENT
                && FROM_DATABASE.contains(kind.text().toLowerCase(java.util.Locale.ROOT));
        if (!isTableKind && !isDatabaseKind) {
            return Optional.empty();
        }
        int from = nextFrom(t, i + 1);
        if (from < 0) {
            return Optional.empty();
        }
        if (isDatabaseKind) {
            return name(t.get(from + 1));
        }
        Optional<String> qualified = qualifier(t, from + 1);
        int second = nextFrom(t, from + 2);
        return second >= 0 ? name(t.get(second + 1)) : qualified;
    }

    /**
     * The schemas an information_schema query compares {@code table_schema} or {@code schema_name} with after its
     * WHERE ({@code = 'x'}, or {@code LIKE 'x'} without wildcards), in order; the caller takes the first that is a
     * keyspace (a select list may compare with 'mysql' in a CASE). {@code params} are a prepared statement's
     * parameters ({@code :v1 ..}).
     */
    static List<String> ofInformationSchema(String sql, List<Token> t, Map<String, BindVariable> params) {
        if (!mentionsInformationSchema(sql)) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < t.size() && !t.get(i).is("where")) {
            i++;
        }
        for (; i + 2 < t.size(); i++) {
            if (!(t.get(i).is("table_schema") || t.get(i).is("schema_name"))) {
                continue; // also matches a qualified t.table_schema: the column name is its own token
            }
            Token op = t.get(i + 1);
            boolean isLike = op.is("like");
            if (!op.isPunct("=") && !isLike) {
                continue;
            }
            Optional<String> value = value(t, i + 2, params);
            if (value.isPresent() && !(isLike && (value.get().contains("%") || value.get().contains("_")))) {
                out.add(value.get());
            }
        }
        return out;
    }

    /** A cheap check without copying the text: does it mention information_schema (any case)? */
    static boolean mentionsInformationSchema(String sql) {
        int n = "information_schema".length();
        for (int i = 0; i + n <= sql.length(); i++) {
            char c = sql.charAt(i);
            if ((c == 'i' || c == 'I') && sql.regionMatches(true, i, "information_schema", 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> value(List<Token> t, int i, Map<String, BindVariable> params) {
        Token v = t.get(i);
        if (v.kind() == Kind.STRING) {
            return Optional.of(v.text());
        }
        if (v.isPunct(":") && t.get(i + 1).kind() == Kind.IDENT && params.containsKey(t.get(i + 1).text())) {
            return Optional.of(params.get(t.get(i + 1).text()).getValue().toStringUtf8());
        }
        return Optional.empty();
    }

    private static int nextFrom(List<Token> t, int i) {
        for (; t.get(i).kind() != Kind.EOF; i++) {
            if (t.get(i).is("from") || t.get(i).is("in")) {
                return i;
            }
            if (t.get(i).is("like") || t.get(i).is("where")) {
                return -1;
            }
        }
        return -1;
    }

    /** The qualifier of a name {@code db.t} starting at {@code i}, if it is qualified. */
    private static Optional<String> qualifier(List<Token> t, int i) {
        return isName(t.get(i)) && t.get(i + 1).isPunct(".") && isName(t.get(i + 2)) ? name(t.get(i)) : Optional.empty();
    }

    private static Optional<String> name(Token t) {
        return isName(t) ? Optional.of(t.text()) : Optional.empty();
    }

    private static boolean isName(Token t) {
        return t.kind() == Kind.IDENT || t.kind() == Kind.QUOTED_IDENT;
    }
}
