package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletHealth;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The SHOW statements vtgate answers from its own state, as Vitess does: {@code SHOW DATABASES} (also
 * SCHEMAS, KEYSPACES), {@code SHOW VITESS_SHARDS}, {@code SHOW VITESS_TABLETS}, {@code SHOW VITESS_TARGET},
 * {@code SHOW VSCHEMA TABLES} and {@code SHOW VSCHEMA VINDEXES}, and from the session's diagnostics {@code SHOW
 * WARNINGS}, {@code SHOW ERRORS} and their counts. Others go to a tablet. Stateless.
 */
final class ShowStatements {
    private final ServingGraph graph;

    ShowStatements(ServingGraph graph) {
        this.graph = graph;
    }

    /** The answer, or empty when a tablet should answer. {@code t} are the statement's tokens. */
    Optional<QueryResult> tryAnswer(Session session, List<Token> t) {
        QueryResult diagnostics = session.diagnostics().show(t);
        if (diagnostics != null) {
            return Optional.of(diagnostics);
        }
        boolean isEnd2 = t.get(2).kind() == Token.Kind.EOF;
        boolean isEnd3 = t.size() > 3 && t.get(3).kind() == Token.Kind.EOF;
        if ((t.get(1).is("databases") || t.get(1).is("schemas") || t.get(1).is("keyspaces")) && isEnd2) {
            return Optional.of(table(List.of("Database"), new TreeSet<>(graph.keyspaces()).stream().map(List::of).toList()));
        }
        if (t.get(1).is("vitess_shards") && isEnd2) {
            List<List<String>> rows = new ArrayList<>();
            for (String ks : new TreeSet<>(graph.keyspaces())) {
                graph.shards(ks).orElse(List.of()).forEach(shard -> rows.add(List.of(ks + "/" + shard)));
            }
            return Optional.of(table(List.of("Shards"), rows));
        }
        if (t.get(1).is("vitess_tablets") && isEnd2) {
            return Optional.of(tablets());
        }
        if (t.get(1).is("vitess_target") && isEnd2) {
            return Optional.of(table(List.of("Target"), List.of(List.of(session.targetString()))));
        }
        if (t.get(1).is("vschema") && t.get(2).is("tables") && isEnd3) {
            KeyspaceSchema ks = keyspaceSchema(session);
            List<List<String>> rows = new TreeSet<>(ks.tables().keySet()).stream().map(List::of).toList();
            return Optional.of(table(List.of("Tables"), rows));
        }
        if (t.get(1).is("vschema") && t.get(2).is("vindexes") && isEnd3) {
            KeyspaceSchema ks = keyspaceSchema(session);
            List<List<String>> rows = new ArrayList<>();
            ks.vindexes().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                    .forEach(v -> rows.add(List.of(ks.name(), v.name(), v.getClass().getSimpleName())));
            return Optional.of(table(List.of("Keyspace", "Name", "Type"), rows));
        }
        return Optional.empty();
    }

    private KeyspaceSchema keyspaceSchema(Session session) {
        if (session.targetString().isEmpty()) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_NO_DB_ERROR, "No database selected");
        }
        String keyspace = TargetString.parse(session.targetString(), null).keyspace();
        return graph.vschema().keyspace(keyspace).orElseGet(() ->
                new KeyspaceSchema(keyspace, false, java.util.Map.of(), java.util.Map.of()));
    }

    private QueryResult tablets() {
        List<List<String>> rows = new ArrayList<>();
        for (TabletHealth h : graph.tabletHealth()) {
            var tablet = h.tablet();
            rows.add(List.of(tablet.getAlias().getCell(), tablet.getKeyspace(), tablet.getShard(),
                    tablet.getType().name(), h.isServing() ? "SERVING" : "NOT_SERVING", h.aliasString(),
                    tablet.getHostname()));
        }
        rows.sort((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
        return table(List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname"), rows);
    }

    /** A result of VARCHAR columns. */
    static QueryResult table(List<String> columns, List<List<String>> rows) {
        QueryResult.Builder r = QueryResult.newBuilder();
        columns.forEach(c -> r.addFields(Field.newBuilder().setName(c).setType(Type.VARCHAR).setColumnLength(256)
                .setCharset(255)));
        for (List<String> row : rows) {
            Row.Builder b = Row.newBuilder();
            ByteString.Output out = ByteString.newOutput();
            for (String value : row) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                b.addLengths(bytes.length);
                out.write(bytes, 0, bytes.length);
            }
            r.addRows(b.setValues(out.toByteString()));
        }
        return r.build();
    }
}
