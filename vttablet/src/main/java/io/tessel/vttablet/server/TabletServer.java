package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.VtException;
import io.tessel.common.lifecycle.ShutdownWait;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BeginResponse;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.CommitResponse;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.ExecuteResponse;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.ReleaseRequest;
import io.tessel.proto.Query.ReleaseResponse;
import io.tessel.proto.Query.ReserveBeginExecuteRequest;
import io.tessel.proto.Query.ReserveBeginExecuteResponse;
import io.tessel.proto.Query.ReserveExecuteRequest;
import io.tessel.proto.Query.ReserveExecuteResponse;
import io.tessel.proto.Query.ReserveStreamExecuteRequest;
import io.tessel.proto.Query.ReserveStreamExecuteResponse;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.RollbackResponse;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.PrepareRequest;
import io.tessel.proto.Query.PrepareResponse;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.CommitPreparedResponse;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.RollbackPreparedResponse;
import io.tessel.proto.Query.CreateTransactionRequest;
import io.tessel.proto.Query.CreateTransactionResponse;
import io.tessel.proto.Query.StartCommitRequest;
import io.tessel.proto.Query.StartCommitResponse;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.SetRollbackResponse;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.ConcludeTransactionResponse;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.ReadTransactionResponse;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.health.HealthReporter;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.DbPools;
import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.pool.PoolStats;
import io.tessel.vttablet.consolidate.Consolidatable;
import io.tessel.vttablet.consolidate.ConsolidatedQueries;
import io.tessel.vttablet.consolidate.Consolidator;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.txserializer.HotRowKey;
import io.tessel.vttablet.txserializer.TxSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessel.vttablet.server.TabletMeters.Method;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's query service over one MySQL: checks the target, substitutes bind variables, and hands the
 * statement to the query, transaction or stream pool, with the tablet's protections on the way:
 * consolidation of identical reads, row limits, the query and transaction timeouts, bounded pool waits
 * and hot-row protection. Reserved connections keep a vtgate session's settings (its SET statements, sent
 * as pre-queries) on a connection of their own. vtcombo uses it in-process; {@code TabletGrpcServer} serves it over gRPC.
 * After {@link #stopServing} (graceful shutdown) it refuses new work but lets calls in open transactions
 * continue, so they can finish while {@link #awaitIdle} waits. Its meters ({@link TabletMeters}) go to the
 * registry it is given. Thread-safe; calls block, so run them on virtual threads, never on an event loop.
 */
public final class TabletServer implements QueryService {
    private static final Logger log = LoggerFactory.getLogger(TabletServer.class);

    private final TabletConfig config;
    private final TabletAlias alias;
    private final String logPrefix;
    private final DbPools pools;
    private final QueryWatchdog watchdog;
    private final QueryExecutor executor;
    private final Consolidator consolidator;
    private final TxSerializer serializer;
    private final TxEngine txEngine;
    private final TwoPc twoPc;
    private final HealthReporter health;
    private final TabletMeters meters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean isStopping;
    private volatile boolean isClosed;

    /**
     * Opens the pools to the configured MySQL, without meters; no gRPC server is started.
     *
     * @throws VtException UNAVAILABLE when MySQL cannot be reached
     */
    public TabletServer(TabletConfig config) {
        this(config, new CompositeMeterRegistry());
    }

    /**
     * Opens the pools to the configured MySQL and registers the tablet's and its pools' meters (HikariCP's
     * {@code hikaricp_*}) in {@code registry}; no gRPC server is started.
     *
     * @throws VtException UNAVAILABLE when MySQL cannot be reached
     */
    public TabletServer(TabletConfig config, MeterRegistry registry) {
        this.config = config;
        this.alias = config.alias();
        this.logPrefix = config.logPrefix();
        this.pools = new DbPools(config.poolConfig(), logPrefix, registry);
        this.watchdog = new QueryWatchdog(pools, config.queryTimeout(), logPrefix);
        this.executor = new QueryExecutor(config.maxResultSize(), config.warnResultSize(), watchdog);
        this.consolidator = new Consolidator(config.consolidator().waiterCap(), ConsolidatorConfig.TOP_QUERIES);
        this.serializer = new TxSerializer(config.hotRows(), logPrefix);
        this.txEngine = new TxEngine(pools, executor, logPrefix, config.transactionTimeout());
        this.twoPc = new TwoPc(pools, executor, config.keyspace(), config.shard(), logPrefix);
        if (config.twopcEnable()) {
            twoPc.createSchema();
        }
        Target target = Target.newBuilder().setKeyspace(config.keyspace()).setShard(config.shard())
                .setTabletType(config.tabletType()).build();
        this.health = new HealthReporter(target, alias, logPrefix, pools::isMysqlReachable,
                Duration.ofSeconds(1), 20);
        this.meters = new TabletMeters(this, registry, config.keyspace(), config.shard());
        log.info("{}: serving {} from database {}", logPrefix, config.tabletType(), config.dbName());
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        long start = admit(request.getTarget(), request.getTransactionId() != 0);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long held = held(request.getTransactionId(), request.getReservedId());
            QueryResult result;
            if (held != 0) {
                result = txEngine.run(held, conn -> executor.execute(conn, sql, options));
            } else if (isConsolidated(sql, options)) {
                result = consolidator.run(new Consolidator.Key(sql, options), () -> executeAutocommit(sql, options));
            } else {
                result = executeAutocommit(sql, options);
            }
            return ExecuteResponse.newBuilder().setResult(result).build();
        } finally {
            release(Method.EXECUTE, start);
        }
    }

    private QueryResult executeAutocommit(String sql, ExecuteOptions options) {
        return withConnection(PoolKind.query(options.getClientFoundRows()), conn -> executor.execute(conn, sql, options));
    }

    /** Whether a read outside a transaction may share an identical read's execution: the request decides, else the flags. */
    private boolean isConsolidated(String sql, ExecuteOptions options) {
        boolean isReplica = config.tabletType() != TabletType.PRIMARY;
        boolean isWanted = switch (options.getConsolidator()) {
            case CONSOLIDATOR_DISABLED -> false;
            case CONSOLIDATOR_ENABLED -> true;
            case CONSOLIDATOR_ENABLED_REPLICAS -> isReplica;
            case CONSOLIDATOR_UNSPECIFIED, UNRECOGNIZED ->
                    config.consolidator().isEnabled() || (config.consolidator().isEnabledReplicas() && isReplica);
        };
        return isWanted && Consolidatable.isConsolidatable(sql);
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, Consumer<QueryResult> sink) {
        long start = admit(request.getTarget(), request.getTransactionId() != 0);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long held = held(request.getTransactionId(), request.getReservedId());
            if (held != 0) {
                txEngine.run(held, conn -> {
                    executor.stream(conn, sql, options, sink);
                    return null;
                });
                return;
            }
            withConnection(PoolKind.STREAM, conn -> {
                executor.stream(conn, sql, options, sink);
                return null;
            });
        } finally {
            release(Method.STREAM_EXECUTE, start);
        }
    }

    /** The connection a request runs on: its transaction's, else its reservation's (the same when both); 0 for none. */
    private static long held(long transactionId, long reservedId) {
        return transactionId != 0 ? transactionId : reservedId;
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        long start = admit(request.getTarget(), false);
        try {
            long id = txEngine.begin(request.getOptions());
            return BeginResponse.newBuilder().setTransactionId(id).setTabletAlias(alias).build();
        } finally {
            release(Method.BEGIN, start);
        }
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        long start = admit(request.getTarget(), true);
        try {
            return CommitResponse.newBuilder().setReservedId(txEngine.commit(request.getTransactionId())).build();
        } finally {
            release(Method.COMMIT, start);
        }
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        long start = admit(request.getTarget(), true);
        try {
            return RollbackResponse.newBuilder().setReservedId(txEngine.rollback(request.getTransactionId())).build();
        } finally {
            release(Method.ROLLBACK, start);
        }
    }

    /**
     * Begins, runs the pre-queries and the query in the new transaction. A failure before the transaction
     * exists is thrown; a failure after it is returned in the response's {@code error} together with the
     * transaction id, so the caller can roll back (the id is 0 if the failure already ended the transaction).
     * With hot-row protection, a query that writes one row first waits for its turn on that row, before
     * the transaction takes a connection, as in Vitess.
     */
    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        long start = admit(request.getTarget(), false);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id;
            if (!request.getDtid().isEmpty()) { // a branch of an atomic distributed transaction
                checkTwoPc("an atomic (TWOPC) transaction");
                if (request.getReservedId() != 0) {
                    throw VtException.of(ErrorCode.UNIMPLEMENTED,
                            "VT12001: unsupported: an atomic (TWOPC) transaction on a reserved connection");
                }
                id = txEngine.begin(options, hotRowSlot(sql), twoPc.xid(request.getDtid()));
            } else if (request.getReservedId() != 0) { // the transaction begins on the session's reserved connection
                id = request.getReservedId();
                txEngine.beginOn(id, options, hotRowSlot(sql));
            } else {
                id = txEngine.begin(options, hotRowSlot(sql));
            }
            BeginExecuteResponse.Builder response = BeginExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                QueryResult result = runAll(id, request.getPreQueriesList(), sql, options);
                return response.setTransactionId(id).setResult(result).build();
            } catch (VtException e) {
                return response.setTransactionId(txEngine.isActive(id) ? id : 0).setError(RpcErrors.toProto(e)).build();
            }
        } finally {
            release(Method.BEGIN_EXECUTE, start);
        }
    }

    /** Runs {@code before} and then the query on held connection {@code id}; the query's result. */
    private QueryResult runAll(long id, List<String> before, String sql, ExecuteOptions options) {
        return txEngine.run(id, conn -> {
            for (String pre : before) {
                executor.run(conn, pre);
            }
            return executor.execute(conn, sql, options);
        });
    }

    /**
     * Reserves a connection with the request's pre-queries (the session's settings) and runs the query on it;
     * with a transaction id, the transaction's connection becomes reserved. A query failure comes back in the
     * response with the reserved id, which the caller must release.
     */
    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        long start = admit(request.getTarget(), request.getTransactionId() != 0);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = reserve(request.getTransactionId(), options, request.getPreQueriesList());
            ReserveExecuteResponse.Builder response = ReserveExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                QueryResult result = runAll(id, List.of(), sql, options);
                return response.setReservedId(id).setResult(result).build();
            } catch (VtException e) {
                return response.setReservedId(txEngine.isActive(id) ? id : 0).setError(RpcErrors.toProto(e)).build();
            }
        } finally {
            release(Method.RESERVE_EXECUTE, start);
        }
    }

    /** A new reserved connection, or transaction {@code transactionId}'s connection made reserved; its id. */
    private long reserve(long transactionId, ExecuteOptions options, List<String> preQueries) {
        if (transactionId != 0) {
            txEngine.reserveTransaction(transactionId, preQueries);
            return transactionId;
        }
        return txEngine.reserve(options, preQueries);
    }

    /** Reserves a connection with the pre-queries, begins a transaction on it and runs the query. */
    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        long start = admit(request.getTarget(), false);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = txEngine.reserve(options, request.getPreQueriesList());
            ReserveBeginExecuteResponse.Builder response = ReserveBeginExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                txEngine.beginOn(id, options, hotRowSlot(sql));
                QueryResult result = runAll(id, request.getPostBeginQueriesList(), sql, options);
                return response.setReservedId(id).setTransactionId(id).setResult(result).build();
            } catch (VtException e) {
                boolean isHeld = txEngine.isActive(id);
                return response.setReservedId(isHeld ? id : 0).setTransactionId(isHeld ? id : 0)
                        .setError(RpcErrors.toProto(e)).build();
            }
        } finally {
            release(Method.RESERVE_BEGIN_EXECUTE, start);
        }
    }

    /**
     * Reserves a connection with the pre-queries, sends its id, then streams the query on it. A failure after
     * the id was sent is thrown; the connection stays reserved until released.
     */
    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        long start = admit(request.getTarget(), request.getTransactionId() != 0);
        try {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = reserve(request.getTransactionId(), options, request.getPreQueriesList());
            sink.accept(ReserveStreamExecuteResponse.newBuilder().setReservedId(id).setTabletAlias(alias).build());
            txEngine.run(id, conn -> {
                executor.stream(conn, sql, options,
                        part -> sink.accept(ReserveStreamExecuteResponse.newBuilder().setResult(part).build()));
                return null;
            });
        } finally {
            release(Method.RESERVE_STREAM_EXECUTE, start);
        }
    }

    /** Rolls back the transaction and closes the reserved connection; allowed while the tablet shuts down. */
    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        long start = admit(request.getTarget(), true);
        try {
            txEngine.release(held(request.getTransactionId(), request.getReservedId()));
            return ReleaseResponse.getDefaultInstance();
        } finally {
            release(Method.RELEASE, start);
        }
    }

    // Two-phase commit (docs/design/twopc.md). Calls on open transactions pass while the tablet shuts down.

    /** Prepares the transaction's XA branch, closes its connection and waits until MySQL has let go of it. */
    @Override
    public PrepareResponse prepare(PrepareRequest request) {
        return twoPcCall(Method.PREPARE, request.getTarget(), true, () -> {
            twoPc.awaitDetached(txEngine.prepare(request.getTransactionId(), twoPc.xid(request.getDtid())));
            return PrepareResponse.getDefaultInstance();
        });
    }

    @Override
    public CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return twoPcCall(Method.COMMIT_PREPARED, request.getTarget(), true, () -> {
            twoPc.commitPrepared(request.getDtid());
            return CommitPreparedResponse.getDefaultInstance();
        });
    }

    /** Rolls back the branch: the open transaction if the tablet still holds it (by id or xid), else the prepared one. */
    @Override
    public RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return twoPcCall(Method.ROLLBACK_PREPARED, request.getTarget(), true, () -> {
            String xid = twoPc.xid(request.getDtid());
            long id = request.getTransactionId() != 0 && txEngine.isActive(request.getTransactionId())
                    ? request.getTransactionId() : txEngine.findXa(xid);
            if (id != 0) {
                txEngine.rollback(id);
            } else {
                twoPc.rollbackPrepared(request.getDtid());
            }
            return RollbackPreparedResponse.getDefaultInstance();
        });
    }

    @Override
    public CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return twoPcCall(Method.CREATE_TRANSACTION, request.getTarget(), true, () -> {
            twoPc.createTransaction(request.getDtid(), request.getParticipantsList());
            return CreateTransactionResponse.getDefaultInstance();
        });
    }

    @Override
    public StartCommitResponse startCommit(StartCommitRequest request) {
        return twoPcCall(Method.START_COMMIT, request.getTarget(), true, () -> {
            twoPc.transition(request.getDtid(), TransactionState.COMMIT);
            return StartCommitResponse.getDefaultInstance();
        });
    }

    @Override
    public SetRollbackResponse setRollback(SetRollbackRequest request) {
        return twoPcCall(Method.SET_ROLLBACK, request.getTarget(), true, () -> {
            twoPc.transition(request.getDtid(), TransactionState.ROLLBACK);
            return SetRollbackResponse.getDefaultInstance();
        });
    }

    @Override
    public ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return twoPcCall(Method.CONCLUDE_TRANSACTION, request.getTarget(), true, () -> {
            twoPc.conclude(request.getDtid());
            return ConcludeTransactionResponse.getDefaultInstance();
        });
    }

    @Override
    public ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return twoPcCall(Method.READ_TRANSACTION, request.getTarget(), false, () -> {
            ReadTransactionResponse.Builder out = ReadTransactionResponse.newBuilder();
            twoPc.read(request.getDtid()).ifPresent(out::setMetadata);
            return out.build();
        });
    }

    /** What a resolver should finish; nothing on a tablet without --twopc-enable. */
    @Override
    public UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        if (!config.twopcEnable()) {
            checkRequest(request.getTarget());
            return UnresolvedTransactionsResponse.getDefaultInstance();
        }
        return twoPcCall(Method.UNRESOLVED_TRANSACTIONS, request.getTarget(), false,
                () -> twoPc.unresolved(Duration.ofSeconds(request.getAbandonAgeSeconds())));
    }

    /** A two-phase commit call: refused without --twopc-enable; {@code isInTransaction} calls pass a shutdown. */
    private <T> T twoPcCall(Method method, Target target, boolean isInTransaction, java.util.function.Supplier<T> call) {
        checkTwoPc(method.name());
        long start = admit(target, isInTransaction);
        try {
            return call.get();
        } finally {
            release(method, start);
        }
    }

    private void checkTwoPc(String what) {
        if (!config.twopcEnable()) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, logPrefix + ": " + what
                    + " needs two-phase commit, which this tablet does not take part in (start it with --twopc-enable)");
        }
    }

    /** A place in the queue of the row the statement writes; none when protection is off or it writes no single row. */
    private TxSerializer.Slot hotRowSlot(String sql) {
        if (!config.hotRows().isActive()) {
            return TxSerializer.Slot.NONE;
        }
        String key = HotRowKey.of(sql);
        return key == null ? TxSerializer.Slot.NONE : serializer.acquire(key, config.queryTimeout());
    }

    private <T> T withConnection(PoolKind kind, java.util.function.Function<DbConn, T> work) {
        DbConn conn = pools.get(kind);
        try {
            return work.apply(conn);
        } finally {
            pools.giveBack(conn);
        }
    }

    private static String sql(BoundQuery query) {
        return BindVarSubstituter.substitute(query.getSql(), query.getBindVariablesMap());
    }

    @Override
    public HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError) {
        return health.subscribe(listener, onError);
    }

    /**
     * Ahead of a graceful shutdown: tells health subscribers the tablet is not serving, then ends their
     * streams so a gRPC server can stop without waiting on them. From now on calls that would start new work
     * (outside a transaction, or a new transaction) fail with CLUSTER_EVENT (refused before doing anything, so
     * vtgate's buffer may send them again); calls already running, and
     * statements, commits and rollbacks of open transactions, continue.
     */
    public void stopServing() {
        isStopping = true;
        health.stopServing();
        health.close();
    }

    /**
     * Waits until no call is running and no transaction is open, for a graceful shutdown after
     * {@link #stopServing}; false when {@code timeout} passed first.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return ShutdownWait.until(() -> inFlight.get() == 0 && txEngine.transactionCount() == 0, timeout);
    }

    /** Why the tablet is not serving (MySQL unreachable, shutting down), or empty while it serves; for /readyz. */
    public Optional<String> notServingReason() {
        if (isClosed) {
            return Optional.of("tablet is shut down");
        }
        StreamHealthResponse h = health.current();
        if (h.getServing()) {
            return Optional.empty();
        }
        String error = h.getRealtimeStats().getHealthError();
        return Optional.of(error.isEmpty() ? "not serving" : error);
    }

    /** How many query-service calls are running now. */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** Checks a call and counts it in flight; returns its start time for {@link #release}. */
    private long admit(Target target, boolean isInTransaction) {
        checkRequest(target);
        if (isStopping && !isInTransaction) {
            throw VtException.of(ErrorCode.CLUSTER_EVENT, logPrefix + ": tablet is shutting down, not serving new queries");
        }
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    private void release(Method method, long startNanos) {
        inFlight.decrementAndGet();
        meters.record(method, startNanos);
    }

    private void checkRequest(Target target) {
        if (isClosed) {
            throw VtException.of(ErrorCode.CLUSTER_EVENT, logPrefix + ": tablet is shut down");
        }
        health.recordQuery();
        checkTarget(target);
    }

    private void checkTarget(Target target) {
        if (!target.getKeyspace().isEmpty() && !target.getKeyspace().equals(config.keyspace())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid keyspace " + target.getKeyspace() + " does not match expected " + config.keyspace());
        }
        if (!target.getShard().isEmpty() && !target.getShard().equals(config.shard())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid shard " + target.getShard() + " does not match expected " + config.shard());
        }
        TabletType type = target.getTabletType();
        if (type != TabletType.UNKNOWN && type != config.tabletType()) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid tablet type: " + type + ", want: " + config.tabletType());
        }
    }

    public TabletConfig config() {
        return config;
    }

    /** Connection counts of one of the tablet's pools. */
    public PoolStats poolStats(PoolKind kind) {
        return pools.stats(kind);
    }

    /** How many transactions are open. */
    public int activeTransactions() {
        return txEngine.transactionCount();
    }

    /** How many reserved connections are held. */
    public int reservedConnections() {
        return txEngine.reservedCount();
    }

    /** The protection counters and pool counts now. */
    public TabletStats stats() {
        Map<PoolKind, PoolStats> poolStats = new EnumMap<>(PoolKind.class);
        for (PoolKind kind : PoolKind.values()) {
            poolStats.put(kind, pools.stats(kind));
        }
        return new TabletStats(consolidator.consolidations(), consolidator.waiters(), consolidator.waiterCapExceeded(),
                executor.resultsOverWarn(), executor.resultsOverMax(), executor.queryKills(), txEngine.kills(),
                executor.cancelKills(), txEngine.reservedKills(), serializer.stats(), poolStats);
    }

    /** The most consolidated queries, for {@code /debug/consolidations}. */
    public List<ConsolidatedQueries.Count> consolidatedQueries() {
        return consolidator.topQueries();
    }

    /** Rows with transactions running or queued under hot-row protection, for {@code /debug/hotrows}. */
    public List<TxSerializer.QueueLength> hotRows() {
        return serializer.queueLengths();
    }

    /** Rolls back transactions open longer than the transaction timeout at {@code nowNanos}; for tests. */
    int killExpiredTransactions(long nowNanos) {
        return txEngine.killExpired(nowNanos);
    }

    /** Rolls back open transactions and closes the pools. Idempotent. */
    @Override
    public void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        stopServing();
        txEngine.close();
        watchdog.close();
        pools.close();
        meters.close();
        log.info("{}: closed", logPrefix);
    }
}
