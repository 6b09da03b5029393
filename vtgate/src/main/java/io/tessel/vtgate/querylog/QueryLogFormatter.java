package io.tessel.vtgate.querylog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessel.proto.Query.BindVariable;
import io.tessel.vtgate.sql.NormalizedQuery;
import io.tessel.vtgate.sql.Normalizer;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link QueryLogEntry} into one JSON line. The SQL is the normalized text (a statement vtgate did
 * not plan is normalized here, on the writer's thread). Without {@code includeValues}, every literal the
 * normalizer leaves (in statements it does not rewrite, such as SET, SHOW or DDL, and in places such as
 * {@code ORDER BY 1}) becomes {@code ?}, comments go, and neither bind variables nor error messages (which
 * may quote values) are written; with it, the normalized text is written as it is, with {@code bind_vars}
 * and {@code error_message}. Stateless.
 */
public final class QueryLogFormatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean includeValues;

    public QueryLogFormatter(boolean includeValues) {
        this.includeValues = includeValues;
    }

    /** The entry as one line of JSON, newline-terminated. */
    public String format(QueryLogEntry e) {
        String normalized = e.normalizedSql();
        Map<String, BindVariable> vars = e.bindVars();
        if (normalized == null) {
            NormalizedQuery q = Normalizer.normalize(e.sql());
            normalized = q.sql();
            vars = q.bindVars();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("time", e.start().plusNanos(e.durationNanos()).toString());
        o.put("start", e.start().toString());
        o.put("duration_ms", e.durationNanos() / 1e6);
        o.put("connection_id", e.connectionId());
        o.put("user", e.user());
        o.put("sql", includeValues ? normalized : redact(normalized));
        if (includeValues) {
            bindVars(o.putObject("bind_vars"), vars == null ? Map.of() : vars);
        }
        o.put("keyspace", e.keyspace());
        o.put("shard", e.shard());
        o.put("tablet_type", e.tabletType());
        o.put("plan_type", e.planType());
        o.put("shard_queries", e.shardQueries());
        ArrayNode shards = o.putArray("shards");
        e.shards().forEach(shards::add);
        o.put("rows_returned", e.rowsReturned());
        o.put("rows_affected", e.rowsAffected());
        o.put("error_code", e.errorCode());
        o.put("errno", e.errno());
        o.put("sqlstate", e.sqlState());
        if (includeValues && e.isError()) {
            o.put("error_message", e.errorMessage());
        }
        return o.toString() + "\n";
    }

    private static void bindVars(ObjectNode out, Map<String, BindVariable> vars) {
        new TreeMap<>(vars).forEach((name, v) -> value(out.putObject(name), v));
    }

    private static void value(ObjectNode out, BindVariable v) {
        out.put("type", v.getType().name());
        if (v.getValuesCount() > 0) {
            ArrayNode values = out.putArray("values");
            v.getValuesList().forEach(x -> values.addObject().put("type", x.getType().name())
                    .put("value", x.getValue().toStringUtf8()));
        } else {
            out.put("value", v.getValue().toStringUtf8());
        }
    }

    /**
     * {@code sql} with every string and number literal replaced by {@code ?} and comments dropped: the text
     * between tokens is kept only when it is whitespace. Text that does not tokenize is not written at all.
     */
    static String redact(String sql) {
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(sql);
        } catch (RuntimeException e) {
            return "/* unparsable statement of " + sql.length() + " characters */";
        }
        StringBuilder out = new StringBuilder(sql.length());
        int at = 0;
        for (Token t : tokens) {
            if (t.kind() == Token.Kind.EOF) {
                break;
            }
            String gap = sql.substring(at, t.start());
            if (!gap.isEmpty()) {
                out.append(gap.isBlank() ? gap : " ");
            }
            boolean isLiteral = t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER;
            out.append(isLiteral ? "?" : sql, isLiteral ? 0 : t.start(), isLiteral ? 1 : t.end());
            at = t.end();
        }
        return out.toString().strip();
    }
}
