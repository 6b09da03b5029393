package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.engine.ShardQuery;
import io.tessel.vtgate.gateway.ServingGraph;
import java.util.List;

/**
 * The statements vtgate sends to tablets unplanned, as they are: to the shard of the session's target
 * (statements vtgate neither answers nor plans), to any shard (system variables), or to every shard of a
 * sharded keyspace (DDL). Also the session's target and the execute options its statements carry.
 * Thread-safe.
 */
final class Passthrough {
    private static final ExecuteOptions OPTIONS = ExecuteOptions.newBuilder()
            .setIncludedFields(ExecuteOptions.IncludedFields.ALL).build();
    private static final ExecuteOptions OPTIONS_FOUND_ROWS = OPTIONS.toBuilder().setClientFoundRows(true).build();
    private static final ExecuteOptions OPTIONS_OLAP = OPTIONS.toBuilder().setWorkload(Workload.OLAP).build();
    private static final ExecuteOptions OPTIONS_OLAP_FOUND_ROWS = OPTIONS_FOUND_ROWS.toBuilder()
            .setWorkload(Workload.OLAP).build();

    private final ServingGraph graph;
    private final TxConn txConn;
    private final Executor.Services services;
    private final TabletType defaultTabletType;

    Passthrough(Executor.Services services, TabletType defaultTabletType) {
        this.graph = services.graph();
        this.txConn = services.txConn();
        this.services = services;
        this.defaultTabletType = defaultTabletType;
    }

    /** The options of the session's statements: its workload and whether it counts found rows. */
    static ExecuteOptions options(Session session) {
        if (session.isStreaming()) {
            return session.isClientFoundRows() ? OPTIONS_OLAP_FOUND_ROWS : OPTIONS_OLAP;
        }
        return session.isClientFoundRows() ? OPTIONS_FOUND_ROWS : OPTIONS;
    }

    /** The session's target; no keyspace when it has none. */
    TargetString targetString(Session session) {
        if (session.targetString().isEmpty()) {
            return new TargetString("", "", defaultTabletType);
        }
        return TargetString.parse(session.targetString(), defaultTabletType);
    }

    /** Runs a statement on the shard of the session's target ({@link #target}). */
    QueryResult route(Session session, String sql) {
        QueryResult r = txConn.execute(session, target(session, false), BoundQuery.newBuilder().setSql(sql).build(),
                options(session));
        if (r.getInsertId() != 0) {
            session.setLastInsertId(r.getInsertId());
        }
        return r;
    }

    /**
     * Runs a statement that any tablet can answer (system variables need no database): on the session's
     * target when it has one, else on the first shard of the first keyspace.
     */
    QueryResult routeAnywhere(Session session, String sql) {
        if (!session.targetString().isEmpty() || graph.keyspaces().size() == 1) {
            // any shard: a sharded keyspace's first one answers as well as any
            return txConn.execute(session, target(session, true), BoundQuery.newBuilder().setSql(sql).build(),
                    options(session));
        }
        String keyspace = graph.keyspaces().stream().sorted().findFirst().orElseThrow(() ->
                VtException.of(ErrorCode.UNAVAILABLE, "no keyspace is serving"));
        Target target = Target.newBuilder().setKeyspace(keyspace).setShard(graph.shards(keyspace).orElseThrow().get(0))
                .setTabletType(defaultTabletType).build();
        return txConn.execute(session, target, BoundQuery.newBuilder().setSql(sql).build(), options(session));
    }

    /**
     * The shard a statement goes to: the session's keyspace must be unsharded or name a shard; with
     * {@code isAnyShard}, a sharded keyspace's first shard (for SHOW statements any shard can answer).
     */
    Target target(Session session, boolean isAnyShard) {
        TargetString ts;
        if (session.targetString().isEmpty()) {
            if (graph.keyspaces().size() != 1) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_NO_DB_ERROR, "No database selected");
            }
            ts = new TargetString(graph.keyspaces().iterator().next(), "", defaultTabletType);
        } else {
            ts = TargetString.parse(session.targetString(), defaultTabletType);
        }
        List<String> shards = graph.shards(ts.keyspace()).orElseThrow(() -> VtException.of(ErrorCode.NOT_FOUND,
                SqlError.ER_BAD_DB_ERROR, "Unknown database '" + ts.keyspace() + "'"));
        String shard = ts.shard();
        if (shard.isEmpty()) {
            if (shards.size() != 1 && !isAnyShard) {
                throw SystemVariables.unsupported("this statement on the sharded keyspace '" + ts.keyspace()
                        + "' without a shard target");
            }
            shard = shards.get(0);
        }
        return Target.newBuilder().setKeyspace(ts.keyspace()).setShard(shard).setTabletType(ts.tabletType()).build();
    }

    /**
     * DDL commits an open transaction first, as MySQL does implicitly; on a sharded keyspace (no shard
     * targeted) it changes every shard's copy of the table, else it goes where {@link #route} sends it.
     */
    QueryResult ddl(Session session, String sql) {
        if (session.isInTransaction()) {
            txConn.commit(session); // DDL commits implicitly in MySQL; do it before, on every shard
        }
        TargetString ts = targetString(session);
        List<String> shards = ts.keyspace().isEmpty() || !ts.shard().isEmpty() ? List.of()
                : graph.shards(ts.keyspace()).orElse(List.of());
        if (shards.size() <= 1) {
            return route(session, sql);
        }
        // DDL on a sharded keyspace changes every shard's copy of the table
        List<ShardQuery> queries = shards.stream().map(shard -> new ShardQuery(ts.keyspace(), shard,
                BoundQuery.newBuilder().setSql(sql).build())).toList();
        List<QueryResult> results = new VCursorImpl(session, services, ts.tabletType(), options(session))
                .executeMultiShard(queries, false);
        return results.getFirst();
    }
}
