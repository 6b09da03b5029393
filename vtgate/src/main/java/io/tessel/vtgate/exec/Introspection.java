package io.tessel.vtgate.exec;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where introspection goes: statements about a keyspace's tables go to that keyspace ({@link SchemaNames}),
 * whatever the session's keyspace, and a listing of {@code information_schema.schemata} that names no schema is
 * answered by every keyspace (one shard each: a shard's database is named as its keyspace), merged. Stateless.
 */
final class Introspection {
    private final ServingGraph graph;
    private final TxConn txConn;
    private final TabletType tabletType;

    Introspection(ServingGraph graph, TxConn txConn, TabletType tabletType) {
        this.graph = graph;
        this.txConn = txConn;
        this.tabletType = tabletType;
    }

    /**
     * The keyspace an information_schema query is about ({@code table_schema = 'ks'}), when that is a keyspace:
     * the query goes there. Null otherwise.
     */
    String keyspaceOf(String sql, Map<String, BindVariable> params) {
        if (!SchemaNames.mentionsInformationSchema(sql)) {
            return null;
        }
        return SchemaNames.ofInformationSchema(sql, Tokenizer.tokenize(sql), params).stream()
                .filter(ks -> graph.shards(ks).isPresent()).findFirst().orElse(null);
    }

    /** The shard a SHOW or DESCRIBE naming a keyspace ({@code SHOW TABLES FROM ks}) goes to, if it names one. */
    Optional<Target> showTarget(List<Token> tokens) {
        return SchemaNames.ofShow(tokens).flatMap(this::firstShard);
    }

    /**
     * True for a query of {@code information_schema.schemata} alone that names no schema and no keyspace function:
     * a listing of databases, which {@link #everyKeyspace} answers.
     */
    static boolean isSchemataListing(String sql) {
        if (!SchemaNames.mentionsInformationSchema(sql)) {
            return false;
        }
        List<Token> t = Tokenizer.tokenize(sql);
        int from = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is("database") || t.get(i).is("schema") || t.get(i).is("join") || t.get(i).is("select") && i > 0) {
                return false; // database(), a join or a subquery: not a plain listing
            }
            if (t.get(i).is("from")) {
                from = i;
            }
        }
        boolean isSchemata = from > 0 && t.get(from + 1).is("information_schema") && t.get(from + 2).isPunct(".")
                && t.get(from + 3).is("schemata");
        return isSchemata && !t.get(from + 4).isPunct(",")
                && SchemaNames.ofInformationSchema(sql, t, Map.of()).isEmpty();
    }

    /**
     * Runs a schemata listing on the first shard of every keyspace and merges the rows: each distinct row once,
     * sorted when the query has an ORDER BY (the drivers' catalog listings order by their one column).
     */
    QueryResult everyKeyspace(Session session, String sql, ExecuteOptions options) {
        QueryResult first = null;
        Set<Row> rows = new LinkedHashSet<>();
        for (String keyspace : new TreeSet<>(graph.keyspaces())) {
            Optional<Target> target = firstShard(keyspace);
            if (target.isEmpty()) {
                continue;
            }
            QueryResult r = txConn.execute(session, target.get(), BoundQuery.newBuilder().setSql(sql).build(), options);
            first = first == null ? r : first;
            rows.addAll(r.getRowsList());
        }
        if (first == null) {
            throw io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.UNAVAILABLE,
                    "no keyspace is serving");
        }
        List<Row> merged = new ArrayList<>(rows);
        if (Tokenizer.tokenize(sql).stream().anyMatch(tok -> tok.is("order"))) {
            merged.sort(Comparator.comparing(row -> row.getValues().toStringUtf8()));
        }
        return first.toBuilder().clearRows().addAllRows(merged).build();
    }

    /** The first shard of keyspace {@code name}, if it is one. */
    Optional<Target> firstShard(String name) {
        return graph.shards(name).filter(shards -> !shards.isEmpty()).map(shards -> Target.newBuilder()
                .setKeyspace(name).setShard(shards.get(0)).setTabletType(tabletType).build());
    }
}
