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
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's query service over one MySQL: checks the target, substitutes bind variables, and hands the
 * statement to the query, transaction or stream pool, with the tablet's protections on the way:
 * consolidation of identical reads, row limits, the query and transaction timeouts, bounded pool waits
 * and hot-row protection. Reserved connections keep a vtgate session's settings (its SET statements, sent
 * as pre-queries) on a connection of their own ({@link ReservedCalls}); the two-phase commit calls are
 * in {@link TwoPcCalls}. Every call passes the {@link CallGate}. vtcombo uses it in-process;
 * {@code TabletGrpcServer} serves it over gRPC. After {@link #stopServing} (graceful shutdown) it refuses
 * new work but lets calls in open transactions continue, so they can finish while {@link #awaitIdle} waits.
 * Its meters ({@link TabletMeters}) go to the registry it is given. Thread-safe; calls block, so run them
 * on virtual threads, never on an event loop.
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
    private final CallGate gate;
    private final ReservedCalls reserved;
    private final TwoPcCalls twoPcCalls;

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
        this.gate = new CallGate(config, health);
        this.reserved = new ReservedCalls(gate, txEngine, executor, alias, this::hotRowSlot);
        this.twoPcCalls = new TwoPcCalls(gate, twoPc, txEngine, config.twopcEnable(), logPrefix);
        this.meters = new TabletMeters(this, registry, config.keyspace(), config.shard());
        gate.setMeters(meters);
        log.info("{}: serving {} from database {}", logPrefix, config.tabletType(), config.dbName());
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        return gate.call(Method.EXECUTE, request.getTarget(), request.getTransactionId() != 0, () -> {
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
        });
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
        gate.run(Method.STREAM_EXECUTE, request.getTarget(), request.getTransactionId() != 0, () -> {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long held = held(request.getTransactionId(), request.getReservedId());
            Function<DbConn, Void> stream = conn -> {
                executor.stream(conn, sql, options, sink);
                return null;
            };
            if (held != 0) {
                txEngine.run(held, stream);
            } else {
                withConnection(PoolKind.STREAM, stream);
            }
        });
    }

    /** The connection a request runs on: its transaction's, else its reservation's (the same when both); 0 for none. */
    static long held(long transactionId, long reservedId) {
        return transactionId != 0 ? transactionId : reservedId;
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return gate.call(Method.BEGIN, request.getTarget(), false, () -> BeginResponse.newBuilder()
                .setTransactionId(txEngine.begin(request.getOptions())).setTabletAlias(alias).build());
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return gate.call(Method.COMMIT, request.getTarget(), true, () ->
                CommitResponse.newBuilder().setReservedId(txEngine.commit(request.getTransactionId())).build());
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return gate.call(Method.ROLLBACK, request.getTarget(), true, () ->
                RollbackResponse.newBuilder().setReservedId(txEngine.rollback(request.getTransactionId())).build());
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
        return gate.call(Method.BEGIN_EXECUTE, request.getTarget(), false, () -> {
            String sql = sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = beginFor(request, sql, options);
            BeginExecuteResponse.Builder response = BeginExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                QueryResult result = txEngine.runAll(id, request.getPreQueriesList(), sql, options);
                return response.setTransactionId(id).setResult(result).build();
            } catch (VtException e) {
                return response.setTransactionId(txEngine.isActive(id) ? id : 0).setError(RpcErrors.toProto(e)).build();
            }
        });
    }

    /** Begins {@code beginExecute}'s transaction: an XA branch, on the session's reserved connection, or plain. */
    private long beginFor(BeginExecuteRequest request, String sql, ExecuteOptions options) {
        if (!request.getDtid().isEmpty()) { // a branch of an atomic distributed transaction
            twoPcCalls.check("an atomic (TWOPC) transaction");
            if (request.getReservedId() != 0) {
                throw VtException.of(ErrorCode.UNIMPLEMENTED,
                        "VT12001: unsupported: an atomic (TWOPC) transaction on a reserved connection");
            }
            return txEngine.begin(options, hotRowSlot(sql), twoPc.xid(request.getDtid()));
        }
        if (request.getReservedId() != 0) { // the transaction begins on the session's reserved connection
            txEngine.beginOn(request.getReservedId(), options, hotRowSlot(sql));
            return request.getReservedId();
        }
        return txEngine.begin(options, hotRowSlot(sql));
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return reserved.reserveExecute(request);
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return reserved.reserveBeginExecute(request);
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        reserved.reserveStreamExecute(request, sink);
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return reserved.release(request);
    }

    // Two-phase commit (docs/design/twopc.md), in TwoPcCalls.

    @Override
    public PrepareResponse prepare(PrepareRequest request) {
        return twoPcCalls.prepare(request);
    }

    @Override
    public CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return twoPcCalls.commitPrepared(request);
    }

    @Override
    public RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return twoPcCalls.rollbackPrepared(request);
    }

    @Override
    public CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return twoPcCalls.createTransaction(request);
    }

    @Override
    public StartCommitResponse startCommit(StartCommitRequest request) {
        return twoPcCalls.startCommit(request);
    }

    @Override
    public SetRollbackResponse setRollback(SetRollbackRequest request) {
        return twoPcCalls.setRollback(request);
    }

    @Override
    public ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return twoPcCalls.concludeTransaction(request);
    }

    @Override
    public ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return twoPcCalls.readTransaction(request);
    }

    @Override
    public UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        return twoPcCalls.unresolvedTransactions(request);
    }

    /** A place in the queue of the row the statement writes; none when protection is off or it writes no single row. */
    private TxSerializer.Slot hotRowSlot(String sql) {
        if (!config.hotRows().isActive()) {
            return TxSerializer.Slot.NONE;
        }
        String key = HotRowKey.of(sql);
        return key == null ? TxSerializer.Slot.NONE : serializer.acquire(key, config.queryTimeout());
    }

    private <T> T withConnection(PoolKind kind, Function<DbConn, T> work) {
        DbConn conn = pools.get(kind);
        try {
            return work.apply(conn);
        } finally {
            pools.giveBack(conn);
        }
    }

    static String sql(BoundQuery query) {
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
        gate.stopServing();
        health.stopServing();
        health.close();
    }

    /**
     * Waits until no call is running and no transaction is open, for a graceful shutdown after
     * {@link #stopServing}; false when {@code timeout} passed first.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return ShutdownWait.until(() -> gate.inFlight() == 0 && txEngine.transactionCount() == 0, timeout);
    }

    /** Why the tablet is not serving (MySQL unreachable, shutting down), or empty while it serves; for /readyz. */
    public Optional<String> notServingReason() {
        if (gate.isClosed()) {
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
        return gate.inFlight();
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
        if (!gate.close()) {
            return;
        }
        stopServing();
        txEngine.close();
        watchdog.close();
        pools.close();
        meters.close();
        log.info("{}: closed", logPrefix);
    }
}
