package io.tessel.vtgate.exec;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.exec.QueryMeters.Timing;
import io.tessel.vtgate.insights.QueryInsights;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.querylog.QueryLog;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What vtgate records around each client statement: its {@link Timing} and the {@link QueryMeters} it
 * feeds, the query log entry when the log samples it, and the per-pattern {@link QueryInsights} of planned
 * statements. The executor calls {@link #start}, then {@link #planned} and {@link #ran} or {@link #streamed}
 * for a planned statement, {@link #succeeded} or {@link #failed}, and always {@link #finish}. Thread-safe.
 */
final class StatementTelemetry {
    private final QueryMeters meters;
    private final TabletType defaultTabletType;
    private final QueryInsights insights = new QueryInsights();
    private volatile QueryLog queryLog = QueryLog.DISABLED;

    StatementTelemetry(QueryMeters meters, TabletType defaultTabletType) {
        this.meters = meters;
        this.defaultTabletType = defaultTabletType;
    }

    QueryInsights insights() {
        return insights;
    }

    void setQueryLog(QueryLog log) {
        queryLog = Objects.requireNonNull(log);
    }

    /** A statement's timing, starting now, with its query log entry when the log samples it. */
    Timing start(Session session, String sql) {
        Timing timing = new Timing();
        timing.log = queryLog.start(session.connectionId(), session.user(), sql);
        return timing;
    }

    /** The statement returned {@code result} in one part. */
    void succeeded(Timing timing, QueryResult result) {
        if (timing.log != null) {
            timing.log.result(result);
        }
    }

    /** The statement failed with {@code e}; returns {@code e} for the caller to throw. */
    <E extends RuntimeException> E failed(Timing timing, E e) {
        if (timing.log != null) {
            timing.log.failed(e);
        }
        return e;
    }

    /** Records a statement; one vtgate did not plan is labelled with the session's target. */
    void finish(Session session, Timing timing) {
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

    /**
     * The statement got its plan: {@code timing} (null when the statement is not a client's) learns the
     * plan's type, keyspace and tablet type, and a logged statement its normalized form, bind variables and,
     * from now on, the shards it touches.
     */
    void planned(Timing timing, Executor.Statement statement, Plan plan, Map<String, BindVariable> bindVars) {
        if (timing == null) {
            return;
        }
        timing.planType = plan.type();
        timing.keyspace = statement.ts().keyspace().isEmpty() ? plan.keyspace() : statement.ts().keyspace();
        timing.tabletType = statement.ts().tabletType();
        if (timing.log != null) {
            timing.log.planned(statement.normalizedSql(), bindVars);
            statement.vcursor().trackShards();
        }
    }

    /** A planned statement started at {@code startNanos} ended with {@code result}, null when it failed. */
    void ran(Timing timing, Executor.Statement statement, long startNanos, QueryResult result) {
        touched(timing, statement);
        insights.record(statement.normalizedSql(), System.nanoTime() - startNanos,
                result == null ? 0 : result.getRowsCount(), result == null ? 0 : result.getRowsAffected(),
                statement.vcursor().shardQueries(), result == null);
    }

    /** A streamed statement started at {@code startNanos} ended after sending {@code rows}. */
    void streamed(Timing timing, Executor.Statement statement, long startNanos, long rows, boolean isFailed) {
        touched(timing, statement);
        if (timing.log != null) {
            timing.log.streamed(rows);
        }
        insights.record(statement.normalizedSql(), System.nanoTime() - startNanos, rows, 0,
                statement.vcursor().shardQueries(), isFailed);
    }

    private static void touched(Timing timing, Executor.Statement statement) {
        if (timing != null && timing.log != null) {
            timing.log.touched(statement.vcursor().shardQueries(), statement.vcursor().shardsTouched());
        }
    }
}
