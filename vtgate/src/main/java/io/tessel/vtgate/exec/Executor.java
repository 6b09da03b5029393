package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.Type;
import com.google.protobuf.ByteString;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.engine.ResultSink;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.engine.ShardQuery;
import io.tessel.vtgate.exec.SystemVariables.Assignment;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.insights.QueryInsights;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.gateway.TabletGateway;
import io.tessel.vtgate.mysql.SqlHandler;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.plan.PlanCache;
import io.tessel.vtgate.plan.PlanContext;
import io.tessel.vtgate.plan.PlanKey;
import io.tessel.vtgate.plan.Planner;
import io.tessel.vtgate.plan.FieldQuery;
import io.tessel.vtgate.sql.NormalizedQuery;
import io.tessel.vtgate.sql.Normalizer;
import io.tessel.vtgate.sql.Placeholders;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessel.vtgate.exec.QueryMeters.Timing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * vtgate's engine entry point: classifies each statement, answers what vtgate owns (transaction
 * control, USE, SET, SELECT of system variables and LAST_INSERT_ID(), the SHOW statements of
 * {@link ShowStatements}, VEXPLAIN PLAN), plans and runs queries and DML through the {@link Planner}, sends
 * DDL to every shard of the keyspace, and passes other statements to a shard. A session targeting one
 * shard ({@code ks:-80}) sends statements there unplanned. Thread-safe.
 */
public final class Executor implements SqlHandler {
    private static final ExecuteOptions OPTIONS = ExecuteOptions.newBuilder()
            .setIncludedFields(ExecuteOptions.IncludedFields.ALL).build();
    private static final ExecuteOptions OPTIONS_FOUND_ROWS = OPTIONS.toBuilder().setClientFoundRows(true).build();
    private static final ExecuteOptions OPTIONS_OLAP = OPTIONS.toBuilder().setWorkload(Workload.OLAP).build();
    private static final ExecuteOptions OPTIONS_OLAP_FOUND_ROWS = OPTIONS_FOUND_ROWS.toBuilder()
            .setWorkload(Workload.OLAP).build();

    /** Vitess's {@code max_memory_rows} default: the most rows a primitive may hold at vtgate. */
    public static final long DEFAULT_MAX_MEMORY_ROWS = 300_000;

    /**
     * What every statement execution shares; {@code planner} plans the queries lookup vindexes run through
     * vtgate ({@link VCursorImpl#vindexCursor()}).
     */
    record Services(ServingGraph graph, TabletGateway gateway, TxConn txConn, long maxMemoryRows,
            BiFunction<String, PlanContext, Plan> planner) {}

    private final ServingGraph graph;
    private final TxConn txConn;
    private final TransactionSettings transactions;
    private final TwoPcMeters twoPcMeters;
    private final Services services;
    private final SystemVariables systemVariables;
    private final TabletType defaultTabletType;
    private final Planner planner;
    private final ShowStatements shows;
    private final Introspection introspection;
    private final ReservedSettings reservedSettings;
    private final PlanCache<Plan> plans = new PlanCache<>();
    private final QueryInsights insights = new QueryInsights();
    private final QueryMeters meters;
    private volatile QueryLog queryLog = QueryLog.DISABLED;
    private volatile VSchema plannedWith;

    public Executor(ServingGraph graph, TabletGateway gateway, String serverVersion, int maxAllowedPacket) {
        this(graph, gateway, serverVersion, maxAllowedPacket, new CompositeMeterRegistry());
    }

    /** An executor whose query, error and plan-cache meters ({@link QueryMeters}) go to {@code registry}. */
    public Executor(ServingGraph graph, TabletGateway gateway, String serverVersion, int maxAllowedPacket,
                    MeterRegistry registry) {
        this(graph, gateway, serverVersion, maxAllowedPacket, registry, TransactionSettings.DEFAULTS);
    }

    /** An executor with transaction settings (the default transaction mode, two-phase commit's fault hook). */
    public Executor(ServingGraph graph, TabletGateway gateway, String serverVersion, int maxAllowedPacket,
                    MeterRegistry registry, TransactionSettings transactions) {
        this.graph = graph;
        this.meters = new QueryMeters(registry, plans);
        this.transactions = transactions;
        this.twoPcMeters = new TwoPcMeters(registry);
        this.txConn = new TxConn(gateway, twoPcMeters, transactions.fault());
        this.planner = new Planner(new SequenceCache());
        this.services = new Services(graph, gateway, txConn, DEFAULT_MAX_MEMORY_ROWS, this::planLookup);
        this.systemVariables = new SystemVariables(serverVersion, maxAllowedPacket);
        this.defaultTabletType = TabletType.PRIMARY;
        this.shows = new ShowStatements(graph);
        this.introspection = new Introspection(graph, txConn, defaultTabletType);
        this.reservedSettings = new ReservedSettings(txConn);
    }

    /** The query, error and plan-cache meters. */
    public QueryMeters meters() {
        return meters;
    }

    /** The two-phase commit meters, which the resolver shares. */
    public TwoPcMeters twoPcMeters() {
        return twoPcMeters;
    }

    @Override
    public Session newSession(int connectionId, String user, List<String> roles) {
        Session session = new Session(connectionId, user, roles);
        session.setTransactionMode(transactions.defaultMode());
        return session;
    }

    @Override
    public boolean databaseExists(String name) {
        TargetString t = TargetString.parse(name, defaultTabletType);
        return graph.shards(t.keyspace()).map(shards -> t.shard().isEmpty() || shards.contains(t.shard())).orElse(false);
    }

    @Override
    public QueryResult query(Session session, String sql) {
        Timing timing = new Timing();
        timing.log = queryLog.start(session.connectionId(), session.user(), sql);
        boolean isDiagnosticsRead = Diagnostics.isRead(Tokenizer.first(sql), sql); // SHOW WARNINGS keeps them
        if (!isDiagnosticsRead) {
            session.diagnostics().start();
        }
        try {
            QueryResult r = query(session, sql, timing);
            if (timing.log != null) {
                timing.log.result(r);
            }
            return isDiagnosticsRead ? r : session.diagnostics().finish(r);
        } catch (VtException e) {
            if (!isDiagnosticsRead) {
                session.diagnostics().fail(e);
            }
            throw afterError(session, logFailure(timing, e));
        } catch (RuntimeException e) {
            throw logFailure(timing, e);
        } finally {
            record(session, timing);
        }
    }

    private QueryResult query(Session session, String sql, Timing timing) {
        Token first = Tokenizer.first(sql);
        String keyword = first.kind() == Token.Kind.IDENT ? first.text().toLowerCase(Locale.ROOT)
                : first.isPunct("(") ? "select" : ""; // (select ...) union (select ...)
        timing.planType = QueryMeters.statementType(keyword);
        return switch (keyword) {
            case "select" -> select(session, sql, timing);
            case "insert", "update", "delete", "replace", "with" -> planned(session, sql, Map.of(), timing);
            case "begin" -> begin(session);
            case "start" -> isStartTransaction(sql) ? begin(session) : route(session, sql);
            case "commit" -> commit(session);
            case "rollback" -> isPlainRollback(sql) ? rollback(session) : route(session, sql);
            case "use" -> use(session, sql);
            case "set" -> set(session, sql);
            case "show" -> show(session, sql);
            case "vexplain", "explain", "describe", "desc" -> explain(session, sql);
            case "drop" -> SqlPrepared.isDropPrepare(sql) ? deallocate(session, sql) : ddl(session, sql);
            case "create", "alter", "truncate", "rename" -> ddl(session, sql);
            case "prepare" -> {
                session.sqlPrepared().prepare(sql, session.userVariables());
                yield QueryResult.newBuilder().setInfo("Statement prepared").build();
            }
            case "execute" -> {
                SqlPrepared.Execution e = session.sqlPrepared().execute(sql, session.userVariables());
                yield e.params().isEmpty() ? query(session, e.sql(), timing) : bound(session, e.sql(), e.params(), timing);
            }
            case "deallocate" -> deallocate(session, sql);
            default -> route(session, sql);
        };
    }

    private static QueryResult deallocate(Session session, String sql) {
        session.sqlPrepared().deallocate(sql);
        return QueryResult.getDefaultInstance();
    }

    /**
     * Streams a query's result in OLAP sessions: a SELECT that vtgate does not answer itself is planned and
     * run through its plan's {@code stream}, so rows go to {@code sink} as the shards send them, in bounded
     * memory and without row limits. Everything else, and every statement of an OLTP session, runs as
     * {@link #query} and is sent as one part.
     */
    @Override
    public void streamQuery(Session session, String sql, ResultSink sink) {
        Token first = Tokenizer.first(sql);
        boolean isSelect = first.is("select") || first.isPunct("(");
        if (!session.isStreaming() || !isSelect || SystemVariables.mayAnswer(sql)) {
            sink.accept(query(session, sql));
            return;
        }
        Timing timing = new Timing();
        timing.log = queryLog.start(session.connectionId(), session.user(), sql);
        try {
            stream(session, sql, timing, sink);
        } catch (VtException e) {
            throw afterError(session, logFailure(timing, e));
        } catch (RuntimeException e) {
            throw logFailure(timing, e);
        } finally {
            record(session, timing);
        }
    }

    /** Streams a planned SELECT, recording it in the insights and the query log as {@link #planned} does. */
    private void stream(Session session, String sql, Timing timing, ResultSink sink) {
        Statement statement = statement(session, sql);
        long start = System.nanoTime();
        long[] rows = {0};
        boolean isFailed = true;
        try {
            Plan plan = plan(statement);
            timing.planType = plan.type();
            timing.keyspace = statement.ts().keyspace().isEmpty() ? plan.keyspace() : statement.ts().keyspace();
            timing.tabletType = statement.ts().tabletType();
            if (timing.log != null) {
                timing.log.planned(statement.normalizedSql(), statement.bindVars());
                statement.vcursor().trackShards();
            }
            plan.root().stream(statement.vcursor(), statement.bindVars(), limitRows(session, part -> {
                rows[0] += part.getRowsCount();
                return sink.accept(part);
            }));
            isFailed = false;
        } finally {
            if (timing.log != null) {
                timing.log.touched(statement.vcursor().shardQueries(), statement.vcursor().shardsTouched());
                timing.log.streamed(rows[0]);
            }
            insights.record(statement.normalizedSql(), System.nanoTime() - start, rows[0], 0,
                    statement.vcursor().shardQueries(), isFailed);
        }
    }

    /**
     * A prepared statement's execution. With parameters, a query or DML statement goes through the same
     * normalize, plan-cache and routing path as its literal form, the parameters ({@code :v1 .. :vN}) joining
     * the normalizer's bind variables, so a prepared point select reaches one shard. Other statements take
     * no parameters here.
     */
    @Override
    public QueryResult execute(Session session, String sql, Map<String, BindVariable> params) {
        if (params.isEmpty()) {
            return query(session, sql);
        }
        Timing timing = new Timing();
        timing.log = queryLog.start(session.connectionId(), session.user(), sql);
        session.diagnostics().start();
        try {
            QueryResult r = bound(session, sql, params, timing);
            if (timing.log != null) {
                timing.log.result(r);
            }
            return session.diagnostics().finish(r);
        } catch (VtException e) {
            session.diagnostics().fail(e);
            throw afterError(session, logFailure(timing, e));
        } catch (RuntimeException e) {
            throw logFailure(timing, e);
        } finally {
            record(session, timing);
        }
    }

    /** A statement with parameters ({@code :v1 .. :vN}) and their values. */
    private QueryResult bound(Session session, String sql, Map<String, BindVariable> params, Timing timing) {
        Token first = Tokenizer.first(sql);
        String keyword = first.kind() == Token.Kind.IDENT ? first.text().toLowerCase(Locale.ROOT) : first.text();
        return switch (keyword) {
            case "select" -> limitRows(session,
                    planned(session, sql, params, introspection.keyspaceOf(sql, params), timing));
            case "(" -> limitRows(session, planned(session, sql, params, timing));
            case "insert", "update", "delete", "replace", "with" -> planned(session, sql, params, timing);
            default -> throw SystemVariables.unsupported("parameters in a prepared statement starting with '"
                    + keyword + "'");
        };
    }

    /** Records a statement; one vtgate did not plan is labelled with the session's target. */
    private void record(Session session, Timing timing) {
        if (timing.keyspace == null) {
            TargetString ts = session.targetString().isEmpty() ? null : TargetString.parse(session.targetString(),
                    defaultTabletType);
            timing.keyspace = ts == null ? "" : ts.keyspace();
            timing.tabletType = ts == null ? defaultTabletType : ts.tabletType();
        }
        meters.record(timing);
        if (timing.log != null) {
            String shard = session.targetString().isEmpty() ? ""
                    : TargetString.parse(session.targetString(), defaultTabletType).shard();
            queryLog.finish(timing.log, System.nanoTime() - timing.startNanos, timing.keyspace, shard,
                    timing.tabletType.name().toLowerCase(Locale.ROOT), timing.planType);
        }
    }

    private static <E extends RuntimeException> E logFailure(Timing timing, E e) {
        if (timing.log != null) {
            timing.log.failed(e);
        }
        return e;
    }

    /**
     * Sends every statement {@code log} samples to it when it finishes ({@link QueryLog#DISABLED} for none).
     * The executor does not close it.
     */
    public void setQueryLog(QueryLog log) {
        queryLog = java.util.Objects.requireNonNull(log);
    }

    /**
     * A deadlock (1213) makes MySQL roll the whole transaction back, and the tablet forgets it; vtgate then
     * rolls back the transaction's other shards too and leaves the transaction, so the session continues as
     * a MySQL session would (a following BEGIN or COMMIT finds no dead transaction id) and no shard keeps
     * half of a transaction the client was told is gone.
     */
    private VtException afterError(Session session, VtException e) {
        if (e.hasErrno() && e.errno() == SqlError.ER_LOCK_DEADLOCK.errno() && session.isInTransaction()) {
            txConn.rollbackAfterAbort(session);
        }
        return e;
    }

    /**
     * The columns a prepared SELECT will return, for COM_STMT_PREPARE: its {@link FieldQuery} (no rows read
     * anywhere) planned and run with every parameter bound to 0. Other statements, and a SELECT whose field
     * query cannot be made or run, describe no columns.
     */
    @Override
    public List<Field> prepareFields(Session session, String sql, int paramCount) {
        Token first = Tokenizer.first(sql);
        if (!(first.is("select") || first.is("with") || first.isPunct("("))) {
            return List.of();
        }
        Map<String, BindVariable> params = new HashMap<>();
        BindVariable zero = BindVariable.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("0")).build();
        for (int k = 1; k <= paramCount; k++) {
            params.put(Placeholders.name(k), zero);
        }
        try {
            return FieldQuery.of(sql).map(q -> planned(session, q, params, (Timing) null).getFieldsList()).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of(); // the execution reply still carries the columns
        }
    }

    private QueryResult select(Session session, String sql, Timing timing) {
        String keyspace = introspection.keyspaceOf(sql, Map.of());
        if (keyspace != null) {
            return planned(session, sql, Map.of(), keyspace, timing);
        }
        if (Introspection.isSchemataListing(sql)) {
            return introspection.everyKeyspace(session, sql, options(session));
        }
        if (!SystemVariables.mayAnswer(sql)) {
            return limitRows(session, planned(session, sql, Map.of(), timing)); // the common case: no variables
        }
        List<Token> tokens = Tokenizer.tokenize(sql);
        return limitRows(session, systemVariables.trySelect(session, sql, tokens, q -> routeAnywhere(session, q))
                .orElseGet(() -> planned(session, sql, Map.of(), timing)));
    }

    /** A SELECT's result cut to the session's {@code sql_select_limit}, which vtgate applies to what the client gets. */
    private static QueryResult limitRows(Session session, QueryResult result) {
        long limit = session.sqlSelectLimit();
        if (limit == 0 || result.getRowsCount() <= limit) {
            return result;
        }
        return result.toBuilder().clearRows().addAllRows(result.getRowsList().subList(0, (int) limit)).build();
    }

    /** A sink passing at most the session's {@code sql_select_limit} rows on, then asking for no more. */
    private static ResultSink limitRows(Session session, ResultSink sink) {
        long limit = session.sqlSelectLimit();
        if (limit == 0) {
            return sink;
        }
        long[] sent = {0};
        return part -> {
            long room = limit - sent[0];
            QueryResult kept = part.getRowsCount() <= room ? part
                    : part.toBuilder().clearRows().addAllRows(part.getRowsList().subList(0, (int) room)).build();
            sent[0] += kept.getRowsCount();
            return sink.accept(kept) && sent[0] < limit;
        };
    }

    /**
     * Plans and runs a query or DML statement. A session targeting one shard ({@code ks:-80}) gets a
     * by-destination route that sends it there as it is, as Vitess does.
     */
    private QueryResult planned(Session session, String sql) {
        return planned(session, sql, Map.of(), (Timing) null);
    }

    /** Plans and runs; {@code timing}, when given, learns the plan's type, keyspace and tablet type. */
    private QueryResult planned(Session session, String sql, Map<String, BindVariable> params, Timing timing) {
        return planned(session, sql, params, null, timing);
    }

    /** With {@code keyspace} (null for none), the query is planned as if that keyspace were the session's. */
    private QueryResult planned(Session session, String sql, Map<String, BindVariable> params, String keyspace,
                                Timing timing) {
        Statement statement = statement(session, sql, keyspace);
        long start = System.nanoTime();
        QueryResult result = null;
        try {
            Plan plan = plan(statement);
            if (timing != null) {
                timing.planType = plan.type();
                timing.keyspace = statement.ts().keyspace().isEmpty() ? plan.keyspace() : statement.ts().keyspace();
                timing.tabletType = statement.ts().tabletType();
            }
            Map<String, BindVariable> bindVars = statement.bindVars();
            if (!params.isEmpty()) {
                bindVars = new HashMap<>(statement.bindVars());
                bindVars.putAll(params);
            }
            if (timing != null && timing.log != null) {
                timing.log.planned(statement.normalizedSql(), bindVars);
                statement.vcursor().trackShards();
            }
            result = plan.root().execute(statement.vcursor(), bindVars);
            return result;
        } finally {
            if (timing != null && timing.log != null) {
                timing.log.touched(statement.vcursor().shardQueries(), statement.vcursor().shardsTouched());
            }
            insights.record(statement.normalizedSql(), System.nanoTime() - start, result == null ? 0 : result.getRowsCount(),
                    result == null ? 0 : result.getRowsAffected(), statement.vcursor().shardQueries(), result == null);
        }
    }

    /** The plan cache ({@code /debug/plans}). */
    public PlanCache<Plan> plans() {
        return plans;
    }

    /** Per query pattern telemetry of the planned statements ({@code /debug/insights}). */
    public QueryInsights insights() {
        return insights;
    }

    /** A statement ready to plan: normalized, with its target, bind variables and the cursor to run it with. */
    private record Statement(TargetString ts, VSchema vschema, String normalizedSql, Map<String, BindVariable> bindVars,
                             VCursorImpl vcursor) {}

    /**
     * A statement normalized for planning; the user variables it reads ({@code @x}) become bind variables
     * holding the session's values ({@link UserVariables}).
     */
    private Statement statement(Session session, String sql) {
        return statement(session, sql, null);
    }

    /** With {@code keyspace} (null for none), the statement is planned as if that keyspace were the session's. */
    private Statement statement(Session session, String sql, String keyspace) {
        UserVariables.Rewritten withUserVariables = UserVariables.rewrite(sql, session.userVariables());
        if (withUserVariables != null) {
            Statement statement = statement(session, withUserVariables.sql(), keyspace);
            Map<String, BindVariable> bindVars = new HashMap<>(statement.bindVars());
            bindVars.putAll(withUserVariables.bindVars());
            return new Statement(statement.ts(), statement.vschema(), statement.normalizedSql(), bindVars,
                    statement.vcursor());
        }
        TargetString ts = keyspace == null ? targetString(session) : new TargetString(keyspace, "", defaultTabletType);
        VSchema vschema = graph.vschema();
        if (vschema != plannedWith) { // a new VSchema snapshot: plans made with the old one may route wrongly
            plannedWith = vschema;
            plans.clear();
        }
        NormalizedQuery query = Normalizer.normalize(sql);
        return new Statement(ts, vschema, query.sql(), query.bindVars(), new VCursorImpl(session, services,
                ts.tabletType(), options(session)));
    }

    /** The statement's plan, from the cache. */
    private Plan plan(Statement statement) {
        TargetString ts = statement.ts();
        return plans.get(new PlanKey(ts.keyspace() + ":" + ts.shard(), statement.normalizedSql(), 0),
                key -> planner.plan(key.normalizedSql(), new PlanContext(ts.keyspace(), ts.shard(), statement.vschema(),
                        graph)));
    }

    /**
     * Plans a lookup vindex's query, cached like a client's query in a session without a keyspace (its text
     * holds bind variables and no literals, so it needs no normalizing).
     */
    private Plan planLookup(String sql, PlanContext context) {
        return plans.get(new PlanKey(":", sql, 0), key -> planner.plan(sql, context));
    }

    private TargetString targetString(Session session) {
        if (session.targetString().isEmpty()) {
            return new TargetString("", "", defaultTabletType);
        }
        return TargetString.parse(session.targetString(), defaultTabletType);
    }

    private static boolean isStartTransaction(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        return t.get(1).is("transaction");
    }

    private static boolean isPlainRollback(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        return t.get(1).kind() == Token.Kind.EOF || (t.get(1).is("work") && t.get(2).kind() == Token.Kind.EOF);
    }

    private QueryResult begin(Session session) {
        if (session.isInTransaction()) {
            txConn.commit(session); // MySQL commits an open transaction on BEGIN
        }
        session.setInTransaction(true);
        return QueryResult.getDefaultInstance();
    }

    private QueryResult commit(Session session) {
        txConn.commit(session);
        return QueryResult.getDefaultInstance();
    }

    private QueryResult rollback(Session session) {
        txConn.rollback(session);
        return QueryResult.getDefaultInstance();
    }

    private QueryResult ddl(Session session, String sql) {
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

    private static ExecuteOptions options(Session session) {
        if (session.isStreaming()) {
            return session.isClientFoundRows() ? OPTIONS_OLAP_FOUND_ROWS : OPTIONS_OLAP;
        }
        return session.isClientFoundRows() ? OPTIONS_FOUND_ROWS : OPTIONS;
    }

    private QueryResult use(Session session, String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        Token db = t.get(1);
        if (db.kind() == Token.Kind.EOF || t.get(2).kind() != Token.Kind.EOF) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                    "You have an error in your SQL syntax near '" + sql + "'");
        }
        useDatabase(session, db.kind() == Token.Kind.QUOTED_IDENT ? db.text() : sql.substring(db.start(), db.end()));
        return QueryResult.getDefaultInstance();
    }

    @Override
    public void useDatabase(Session session, String name) {
        if (name.startsWith("@") && !session.targetString().isEmpty()) { // USE @replica: same keyspace, other type
            String current = session.targetString();
            int at = current.lastIndexOf('@');
            name = (at < 0 ? current : current.substring(0, at)) + name;
        }
        if (!databaseExists(name)) {
            throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_BAD_DB_ERROR, "Unknown database '" + name + "'");
        }
        session.setTargetString(name);
    }

    private QueryResult set(Session session, String sql) {
        List<Assignment> assignments = SystemVariables.parseSet(sql, Tokenizer.tokenize(sql));
        for (Assignment a : assignments) {
            if (a.name().equals("workload")) {
                session.setWorkload(workload(a));
            } else if (a.name().equals("transaction_mode")) {
                if (!a.isLiteral()) {
                    throw SystemVariables.unsupported("SET transaction_mode to an expression");
                }
                session.setTransactionMode(TransactionMode.parse(a.value()));
            } else if (a.name().equals("autocommit")) {
                if (!a.isLiteral()) {
                    throw SystemVariables.unsupported("SET autocommit to an expression");
                }
                setAutocommit(session, a.value());
            } else if (a.isUserVariable()) {
                session.userVariables().put(UserVariables.sessionName(a), userVariable(session, a));
            } else if (a.name().equals("sql_select_limit")) {
                session.setSqlSelectLimit(ReservedSettings.selectLimit(a));
            } else if (SystemVariables.isKept(a)) {
                SystemVariables.apply(session, a, q -> routeAnywhere(session, q));
            } else {
                reservedSettings.apply(session, a, q -> routeAnywhere(session, q), options(session));
            }
        }
        return QueryResult.getDefaultInstance();
    }

    /** A user variable's new value: a literal as it is, an expression evaluated like a SELECT of it. */
    private BindVariable userVariable(Session session, Assignment a) {
        BindVariable literal = a.isLiteral() ? UserVariables.literal(a) : null;
        if (literal != null) {
            return literal;
        }
        String expression = a.isLiteral() ? a.literalSql() : a.expression();
        return UserVariables.fromResult(planned(session, "select " + expression));
    }

    /** {@code SET workload = 'oltp' | 'olap' | 'dba'}, as Vitess takes it. */
    private static Workload workload(Assignment a) {
        if (!a.isLiteral()) {
            throw SystemVariables.unsupported("SET workload to an expression");
        }
        String value = a.value() == null ? "" : a.value().toUpperCase(Locale.ROOT);
        return switch (value) {
            case "OLTP" -> Workload.OLTP;
            case "OLAP" -> Workload.OLAP;
            case "DBA" -> Workload.DBA;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'workload' can't be set to the value of '" + a.value() + "'");
        };
    }

    private void setAutocommit(Session session, String value) {
        boolean on = switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "1", "on", "true" -> true;
            case "0", "off", "false" -> false;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'autocommit' can't be set to the value of '" + value + "'");
        };
        if (on && !session.isAutocommit() && session.isInTransaction()) {
            txConn.commit(session); // turning autocommit on commits the open transaction, as in MySQL
        }
        session.setAutocommit(on);
    }

    /**
     * {@code VEXPLAIN PLAN <stmt>} and {@code EXPLAIN FORMAT=VITESS <stmt>} print vtgate's plan as JSON (column
     * {@code JSON}) without running it; other EXPLAIN and DESCRIBE forms go to a tablet.
     */
    private QueryResult explain(Session session, String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        int start;
        if (t.get(0).is("vexplain") && t.get(1).is("plan")) {
            start = t.get(2).start();
        } else if (t.get(0).is("explain") && t.get(1).is("format") && t.get(2).isPunct("=") && t.get(3).is("vitess")) {
            start = t.get(4).start();
        } else if (t.get(0).is("vexplain")) {
            throw SystemVariables.unsupported("VEXPLAIN " + t.get(1).text() + " (only VEXPLAIN PLAN)");
        } else {
            return show(session, sql);
        }
        TargetString ts = targetString(session);
        Plan plan = planner.plan(sql.substring(start), new PlanContext(ts.keyspace(), graph.vschema(), graph));
        String json = plan.root().describeTree().toJson().toPrettyString();
        return ShowStatements.table(List.of("JSON"), List.of(List.of(json)));
    }

    /**
     * SHOW statements vtgate does not answer go to a shard: of the keyspace they name ({@code SHOW TABLES FROM
     * ks}, {@code SHOW COLUMNS FROM ks.t}), else of the session's keyspace (its first shard when sharded: every
     * shard has the same tables).
     */
    private QueryResult show(Session session, String sql) {
        List<Token> tokens = Tokenizer.tokenize(sql);
        return shows.tryAnswer(session, tokens).orElseGet(() -> txConn.execute(session,
                introspection.showTarget(tokens).orElseGet(() -> target(session, true)),
                BoundQuery.newBuilder().setSql(sql).build(), options(session)));
    }

    private QueryResult route(Session session, String sql) {
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
    private QueryResult routeAnywhere(Session session, String sql) {
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
    private Target target(Session session, boolean isAnyShard) {
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

    @Override
    public QueryResult fieldList(Session session, String table) {
        QueryResult r = planned(session, "select * from `" + table.replace("`", "``") + "` limit 0");
        return QueryResult.newBuilder().addAllFields(r.getFieldsList()).build();
    }

    /** COM_RESET_CONNECTION: rolls back, releases reserved connections and forgets every session variable. */
    @Override
    public void resetSession(Session session) {
        try {
            txConn.release(session);
        } finally {
            session.setAutocommit(true);
            session.setWorkload(Workload.OLTP);
            session.setTransactionMode(transactions.defaultMode());
            session.setSqlSelectLimit(0);
            session.systemVariables().clear();
            session.settings().clear();
            session.userVariables().clear();
            session.sqlPrepared().clear();
        }
    }

    /** The client is gone: rolls back its transaction and releases its reserved connections. */
    @Override
    public void closeSession(Session session) {
        if (!session.shardSessions().isEmpty()) {
            txConn.release(session);
        }
    }
}
