package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletType;
import io.grpc.Context;
import io.tessel.vtgate.engine.ShardQuery;
import io.tessel.vtgate.engine.ShardStreams;
import io.tessel.vtgate.engine.VCursor;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletGateway;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.plan.PlanContext;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The VCursor of one statement execution: resolves keyspaces through the serving graph, runs shard queries
 * through {@link TxConn} in the session's transaction (several shards in parallel on virtual threads), and
 * records the session state plans change.
 */
final class VCursorImpl implements VCursor {
    private static final ExecutorService SHARD_THREADS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("vtgate-shard-", 0).factory());
    /** Resolvers by shard list: the serving graph hands out the same lists until the topology changes. */
    private static final ConcurrentHashMap<List<String>, ShardResolver> RESOLVERS = new ConcurrentHashMap<>();

    private final Session session;
    private final Executor.Services services;
    private final TxConn txConn;
    private final ServingGraph graph;
    private final TabletGateway gateway;
    private final TabletType tabletType;
    private final ExecuteOptions options;
    private final long maxMemoryRows;
    private long shardQueries; // touched by the statement's own thread only
    private Set<String> shardsTouched; // keyspace/shard names, collected only for the query log

    VCursorImpl(Session session, Executor.Services services, TabletType tabletType, ExecuteOptions options) {
        this.session = session;
        this.services = services;
        this.txConn = services.txConn();
        this.graph = services.graph();
        this.gateway = services.gateway();
        this.tabletType = tabletType;
        this.options = options;
        this.maxMemoryRows = services.maxMemoryRows();
    }

    @Override
    public ShardResolver resolver(String keyspace) {
        List<String> shards = graph.shards(keyspace).orElseThrow(() -> VtException.of(ErrorCode.NOT_FOUND,
                SqlError.ER_BAD_DB_ERROR, "Unknown database '" + keyspace + "'"));
        if (shards.isEmpty()) {
            throw VtException.of(ErrorCode.UNAVAILABLE, "keyspace " + keyspace + " has no serving shards");
        }
        if (RESOLVERS.size() > 1024) {
            RESOLVERS.clear(); // shard lists change only with the topology; keep the map from growing
        }
        return RESOLVERS.computeIfAbsent(shards, ShardResolver::of);
    }

    /** How many shard queries this execution sent (for query insights). */
    long shardQueries() {
        return shardQueries;
    }

    /** From now on, remember the shards queries go to ({@link #shardsTouched()}), for the query log. */
    void trackShards() {
        shardsTouched = new TreeSet<>();
    }

    /** The {@code keyspace/shard} names queries went to since {@link #trackShards()}; empty without it. */
    Set<String> shardsTouched() {
        return shardsTouched == null ? Set.of() : shardsTouched;
    }

    private void touch(List<ShardQuery> queries) {
        if (shardsTouched != null) {
            queries.forEach(q -> shardsTouched.add(q.keyspace() + "/" + q.shard()));
        }
    }

    @Override
    public List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite) {
        shardQueries += queries.size();
        touch(queries);
        if (queries.size() == 1) {
            return List.of(executeOne(queries.getFirst()));
        }
        if (!isWrite || session.isInTransaction() || !session.isAutocommit()) {
            return executeParallel(queries);
        }
        // A write on several shards outside a transaction runs in one, committed at the end (Vitess does the same).
        session.setInTransaction(true);
        List<QueryResult> results;
        try {
            results = executeParallel(queries);
        } catch (RuntimeException e) {
            txConn.rollback(session);
            throw e;
        }
        txConn.commit(session);
        return results;
    }

    private QueryResult executeOne(ShardQuery q) {
        return txConn.execute(session, target(q.keyspace(), q.shard()), q.query(), options);
    }

    private List<QueryResult> executeParallel(List<ShardQuery> queries) {
        List<Future<QueryResult>> futures = new ArrayList<>(queries.size());
        for (ShardQuery q : queries) { // under the statement's context: a client that goes away cancels them
            futures.add(SHARD_THREADS.submit(Context.current().wrap(() -> executeOne(q))));
        }
        List<QueryResult> results = new ArrayList<>(queries.size());
        RuntimeException first = null;
        for (Future<QueryResult> f : futures) { // wait for every shard, so the session's shard list is complete
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : VtException.of(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
                first = first == null ? cause : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(pending -> pending.cancel(true));
                throw VtException.of(ErrorCode.CANCELED, "interrupted while waiting for shards");
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    /**
     * Streams each query from its shard on a virtual thread of its own, under a context that closing the
     * streams cancels (ending the tablets' calls, which kill their statements). Inside a transaction, or
     * with autocommit off, the queries run through {@link #executeMultiShard} instead, so the shards join the
     * transaction as usual, and their results are read whole.
     */
    @Override
    public ShardStreams streamMultiShard(List<ShardQuery> queries) {
        if (session.isInTransaction() || !session.isAutocommit()) {
            return ShardStreams.of(executeMultiShard(queries, false));
        }
        shardQueries += queries.size();
        touch(queries);
        Context.CancellableContext context = Context.current().withCancellation();
        ShardStreams streams = new ShardStreams(queries.size(), ShardStreams.QUEUE_PARTS, () -> context.cancel(null));
        for (int i = 0; i < queries.size(); i++) {
            int shard = i;
            ShardQuery q = queries.get(i);
            SHARD_THREADS.execute(context.wrap(() -> streamOne(q, shard, streams)));
        }
        return streams;
    }

    private void streamOne(ShardQuery q, int shard, ShardStreams streams) {
        RuntimeException failure = null;
        try {
            txConn.streamExecute(session, target(q.keyspace(), q.shard()), q.query(), options, part -> {
                if (!streams.put(shard, part)) {
                    throw StreamClosed.INSTANCE;
                }
            });
        } catch (StreamClosed e) {
            // the consumer has what it wanted; closing the streams cancels the tablet's call
        } catch (RuntimeException e) {
            failure = e;
        }
        streams.end(shard, failure);
    }

    /** Unwinds a shard's stream once its consumer closed the streams; carries no stack trace. */
    private static final class StreamClosed extends RuntimeException {
        static final StreamClosed INSTANCE = new StreamClosed();

        private StreamClosed() {
            super("shard streams closed", null, false, false);
        }
    }

    @Override
    public QueryResult executeStandalone(String keyspace, String shard, BoundQuery query) {
        shardQueries++;
        if (shardsTouched != null) {
            shardsTouched.add(keyspace + "/" + shard);
        }
        Target target = target(keyspace, shard);
        return gateway.queryService(target).execute(ExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                .setOptions(options).build()).getResult();
    }

    @Override
    public long maxMemoryRows() {
        return maxMemoryRows;
    }

    @Override
    public void setLastInsertId(long id) {
        session.setLastInsertId(id);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (session.isInTransaction() || !session.isAutocommit()) {
            return work.get();
        }
        session.setInTransaction(true);
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            try {
                txConn.rollback(session);
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        txConn.commit(session);
        return result;
    }

    /**
     * Runs lookup-vindex queries: planned by the executor's planner as for a session without a default keyspace
     * (so an unqualified lookup table is found in the one keyspace whose VSchema has it), and executed in this
     * session, or in a fresh autocommit session of the same user for queries outside the transaction.
     */
    @Override
    public VindexCursor vindexCursor() {
        return new VindexCursor() {
            @Override
            public QueryResult execute(String sql, Map<String, BindVariable> bindVars, boolean isAutocommitOutsideTx) {
                Plan plan = services.planner().apply(sql, new PlanContext("", graph.vschema(), graph));
                if (!isAutocommitOutsideTx) {
                    return plan.root().execute(VCursorImpl.this, bindVars);
                }
                Session own = new Session(session.connectionId(), session.user(), session.roles());
                try {
                    return plan.root().execute(new VCursorImpl(own, services, tabletType, options), bindVars);
                } finally {
                    if (!own.shardSessions().isEmpty()) {
                        txConn.rollback(own); // not reached normally: an implicit transaction ends in the route
                    }
                }
            }

            @Override
            public QueryResult executeKeyspaceId(String keyspace, byte[] ksid, String sql,
                    Map<String, BindVariable> bindVars) {
                String shard = resolver(keyspace).shardFor(ksid);
                BoundQuery query = BoundQuery.newBuilder().setSql(sql).putAllBindVariables(bindVars).build();
                return executeMultiShard(List.of(new ShardQuery(keyspace, shard, query)), false).getFirst();
            }
        };
    }

    private Target target(String keyspace, String shard) {
        return Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(tabletType).build();
    }
}
