package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.engine.ResultSink;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.exec.QueryMeters.Timing;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletGateway;
import io.tessel.vtgate.insights.QueryInsights;
import io.tessel.vtgate.mysql.SqlHandler;
import io.tessel.vtgate.plan.FieldQuery;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.plan.PlanCache;
import io.tessel.vtgate.plan.PlanContext;
import io.tessel.vtgate.plan.PlanKey;
import io.tessel.vtgate.plan.Planner;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.sql.NormalizedQuery;
import io.tessel.vtgate.sql.Normalizer;
import io.tessel.vtgate.sql.Placeholders;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import io.tessel.vtgate.vindex.VSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * vtgate's engine entry point: classifies each statement, answers what vtgate owns (transaction control
 * ({@link TransactionControl}), USE and SET ({@link SessionStatements}), SELECT of system variables and
 * LAST_INSERT_ID(), the SHOW statements of {@link ShowStatements}, VEXPLAIN PLAN), plans and runs queries
 * and DML through the {@link Planner}, sends DDL to every shard of the keyspace, and passes other statements
 * to a shard ({@link Passthrough}). A session targeting one shard ({@code ks:-80}) sends statements there
 * unplanned. Each client statement is measured by {@link StatementTelemetry}. Thread-safe.
 */
public final class Executor implements SqlHandler {
    /** Vitess's {@code max_memory_rows} default: the most rows a primitive may hold at vtgate. */
    public static final long DEFAULT_MAX_MEMORY_ROWS = 300_000;

    /**
     * What every statement execution shares; {@code planner} plans the queries lookup vindexes run through
     * vtgate ({@link VCursorImpl#vindexCursor()}).
     */
    record Services(ServingGraph graph, TabletGateway gateway, TxConn txConn, long maxMemoryRows,
            BiFunction<String, PlanContext, Plan> planner) {}

    /** A statement ready to plan: normalized, with its target, bind variables and the cursor to run it with. */
    record Statement(TargetString ts, VSchema vschema, String normalizedSql, Map<String, BindVariable> bindVars,
                     VCursorImpl vcursor) {}

    private final ServingGraph graph;
    private final TxConn txConn;
    private final TwoPcMeters twoPcMeters;
    private final Services services;
    private final SystemVariables systemVariables;
    private final TabletType defaultTabletType;
    private final Planner planner;
    private final ShowStatements shows;
    private final Introspection introspection;
    private final Passthrough passthrough;
    private final SessionStatements sessions;
    private final TransactionControl transactionControl;
    private final PlanCache<Plan> plans = new PlanCache<>();
    private final QueryMeters meters;
    private final StatementTelemetry telemetry;
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
        this.twoPcMeters = new TwoPcMeters(registry);
        this.txConn = new TxConn(gateway, twoPcMeters, transactions.fault());
        this.planner = new Planner(new SequenceCache());
        this.services = new Services(graph, gateway, txConn, DEFAULT_MAX_MEMORY_ROWS, this::planLookup);
        this.systemVariables = new SystemVariables(serverVersion, maxAllowedPacket);
        this.defaultTabletType = TabletType.PRIMARY;
        this.shows = new ShowStatements(graph);
        this.introspection = new Introspection(graph, txConn, defaultTabletType);
        this.passthrough = new Passthrough(services, defaultTabletType);
        this.sessions = new SessionStatements(services, passthrough, transactions.defaultMode(), defaultTabletType,
                this::planned);
        this.telemetry = new StatementTelemetry(meters, defaultTabletType);
        this.transactionControl = new TransactionControl(txConn);
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
        return sessions.newSession(connectionId, user, roles);
    }

    @Override
    public boolean databaseExists(String name) {
        return sessions.databaseExists(name);
    }

    @Override
    public QueryResult query(Session session, String sql) {
        boolean isDiagnosticsRead = Diagnostics.isRead(Tokenizer.first(sql), sql); // SHOW WARNINGS keeps them
        return measured(session, sql, !isDiagnosticsRead, timing -> query(session, sql, timing));
    }

    /**
     * Runs a client statement measured by {@link #telemetry}; with {@code isDiagnosed} its warnings and
     * error replace the session's diagnostics. {@code work} returns null when it streamed its result.
     */
    private QueryResult measured(Session session, String sql, boolean isDiagnosed, Function<Timing, QueryResult> work) {
        Timing timing = telemetry.start(session, sql);
        if (isDiagnosed) {
            session.diagnostics().start();
        }
        try {
            QueryResult r = work.apply(timing);
            if (r == null) {
                return null;
            }
            telemetry.succeeded(timing, r);
            return isDiagnosed ? session.diagnostics().finish(r) : r;
        } catch (VtException e) {
            if (isDiagnosed) {
                session.diagnostics().fail(e);
            }
            throw transactionControl.afterError(session, telemetry.failed(timing, e));
        } catch (RuntimeException e) {
            throw telemetry.failed(timing, e);
        } finally {
            telemetry.finish(session, timing);
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
            case "begin" -> transactionControl.begin(session);
            case "start" -> TransactionControl.isStartTransaction(sql) ? transactionControl.begin(session)
                    : passthrough.route(session, sql);
            case "commit" -> transactionControl.commit(session);
            case "rollback" -> TransactionControl.isPlainRollback(sql) ? transactionControl.rollback(session)
                    : passthrough.route(session, sql);
            case "use" -> sessions.use(session, sql);
            case "set" -> sessions.set(session, sql);
            case "show" -> show(session, sql);
            case "vexplain", "explain", "describe", "desc" -> explain(session, sql);
            case "drop" -> SqlPrepared.isDropPrepare(sql) ? deallocate(session, sql) : passthrough.ddl(session, sql);
            case "create", "alter", "truncate", "rename" -> passthrough.ddl(session, sql);
            case "prepare" -> {
                session.sqlPrepared().prepare(sql, session.userVariables());
                yield QueryResult.newBuilder().setInfo("Statement prepared").build();
            }
            case "execute" -> {
                SqlPrepared.Execution e = session.sqlPrepared().execute(sql, session.userVariables());
                yield e.params().isEmpty() ? query(session, e.sql(), timing) : bound(session, e.sql(), e.params(), timing);
            }
            case "deallocate" -> deallocate(session, sql);
            default -> passthrough.route(session, sql);
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
        measured(session, sql, false, timing -> {
            stream(session, sql, timing, sink);
            return null;
        });
    }

    /** Streams a planned SELECT, recording it in the insights and the query log as {@link #planned} does. */
    private void stream(Session session, String sql, Timing timing, ResultSink sink) {
        Statement statement = statement(session, sql);
        long start = System.nanoTime();
        long[] rows = {0};
        boolean isFailed = true;
        try {
            Plan plan = plan(statement);
            telemetry.planned(timing, statement, plan, statement.bindVars());
            plan.root().stream(statement.vcursor(), statement.bindVars(), SelectLimit.apply(session, part -> {
                rows[0] += part.getRowsCount();
                return sink.accept(part);
            }));
            isFailed = false;
        } finally {
            telemetry.streamed(timing, statement, start, rows[0], isFailed);
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
        return measured(session, sql, true, timing -> bound(session, sql, params, timing));
    }

    /** A statement with parameters ({@code :v1 .. :vN}) and their values. */
    private QueryResult bound(Session session, String sql, Map<String, BindVariable> params, Timing timing) {
        Token first = Tokenizer.first(sql);
        String keyword = first.kind() == Token.Kind.IDENT ? first.text().toLowerCase(Locale.ROOT) : first.text();
        return switch (keyword) {
            case "select" -> SelectLimit.apply(session,
                    planned(session, sql, params, introspection.keyspaceOf(sql, params), timing));
            case "(" -> SelectLimit.apply(session, planned(session, sql, params, timing));
            case "insert", "update", "delete", "replace", "with" -> planned(session, sql, params, timing);
            default -> throw SystemVariables.unsupported("parameters in a prepared statement starting with '"
                    + keyword + "'");
        };
    }

    /**
     * Sends every statement {@code log} samples to it when it finishes ({@link QueryLog#DISABLED} for none).
     * The executor does not close it.
     */
    public void setQueryLog(QueryLog log) {
        telemetry.setQueryLog(log);
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
            return introspection.everyKeyspace(session, sql, Passthrough.options(session));
        }
        if (!SystemVariables.mayAnswer(sql)) {
            return SelectLimit.apply(session, planned(session, sql, Map.of(), timing)); // the common case: no variables
        }
        List<Token> tokens = Tokenizer.tokenize(sql);
        return SelectLimit.apply(session, systemVariables.trySelect(session, sql, tokens,
                        q -> passthrough.routeAnywhere(session, q))
                .orElseGet(() -> planned(session, sql, Map.of(), timing)));
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
            Map<String, BindVariable> bindVars = statement.bindVars();
            if (!params.isEmpty()) {
                bindVars = new HashMap<>(statement.bindVars());
                bindVars.putAll(params);
            }
            telemetry.planned(timing, statement, plan, bindVars);
            result = plan.root().execute(statement.vcursor(), bindVars);
            return result;
        } finally {
            telemetry.ran(timing, statement, start, result);
        }
    }

    /** The plan cache ({@code /debug/plans}). */
    public PlanCache<Plan> plans() {
        return plans;
    }

    /** Per query pattern telemetry of the planned statements ({@code /debug/insights}). */
    public QueryInsights insights() {
        return telemetry.insights();
    }

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
        TargetString ts = keyspace == null ? passthrough.targetString(session)
                : new TargetString(keyspace, "", defaultTabletType);
        VSchema vschema = graph.vschema();
        if (vschema != plannedWith) { // a new VSchema snapshot: plans made with the old one may route wrongly
            plannedWith = vschema;
            plans.clear();
        }
        NormalizedQuery query = Normalizer.normalize(sql);
        return new Statement(ts, vschema, query.sql(), query.bindVars(), new VCursorImpl(session, services,
                ts.tabletType(), Passthrough.options(session)));
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
        TargetString ts = passthrough.targetString(session);
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
                introspection.showTarget(tokens).orElseGet(() -> passthrough.target(session, true)),
                BoundQuery.newBuilder().setSql(sql).build(), Passthrough.options(session)));
    }

    @Override
    public void useDatabase(Session session, String name) {
        sessions.useDatabase(session, name);
    }

    @Override
    public QueryResult fieldList(Session session, String table) {
        QueryResult r = planned(session, "select * from `" + table.replace("`", "``") + "` limit 0");
        return QueryResult.newBuilder().addAllFields(r.getFieldsList()).build();
    }

    /** COM_RESET_CONNECTION: rolls back, releases reserved connections and forgets every session variable. */
    @Override
    public void resetSession(Session session) {
        sessions.reset(session);
    }

    /** The client is gone: rolls back its transaction and releases its reserved connections. */
    @Override
    public void closeSession(Session session) {
        if (!session.shardSessions().isEmpty()) {
            txConn.release(session);
        }
    }
}
