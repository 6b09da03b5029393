package io.tessel.vtgate.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.plan.PlanCache;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * vtgate's query meters:
 * <ul>
 * <li>{@code vtgate_queries_total{plan_type, keyspace, tablet_type}}: statements run, whether they failed or not;</li>
 * <li>{@code vtgate_query_duration_seconds{plan_type}}: their latency, as a histogram;</li>
 * <li>{@code vtgate_errors_total{error_code, sqlstate_class}}: errors sent to clients, by vtgate error code and
 *     the class (first two characters) of the MySQL SQLSTATE;</li>
 * <li>{@code vtgate_plan_cache_hits_total}, {@code _misses_total} and {@code vtgate_plan_cache_entries}.</li>
 * </ul>
 * Each meter is created on first use and cached in maps keyed by the label values, which are bounded
 * (plan types are operator names, keyspaces exist, tablet types and error codes are enums), so recording
 * is two or three map lookups and no allocation. Thread-safe.
 */
public final class QueryMeters {
    private static final Duration MIN_LATENCY = Duration.ofMillis(1);
    private static final Duration MAX_LATENCY = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final Map<String, Map<String, Counter[]>> queries = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Map<String, Counter>> errors = new EnumMap<>(ErrorCode.class);

    /** What one statement's meters need, filled in as it runs; confined to the statement's thread. */
    static final class Timing {
        final long startNanos = System.nanoTime();
        String planType = "Other";
        String keyspace; // null until known
        TabletType tabletType;
        io.tessel.vtgate.querylog.LoggedQuery log; // null unless the query log samples this statement
    }

    QueryMeters(MeterRegistry registry, PlanCache<?> plans) {
        this.registry = registry;
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new ConcurrentHashMap<>());
        }
        FunctionCounter.builder("vtgate.plan.cache.hits", plans, PlanCache::hits)
                .description("Statements whose plan came from the plan cache").register(registry);
        FunctionCounter.builder("vtgate.plan.cache.misses", plans, PlanCache::misses)
                .description("Statements that had to be planned").register(registry);
        Gauge.builder("vtgate.plan.cache.entries", plans, PlanCache::size)
                .description("Plans in the plan cache").register(registry);
    }

    /** The plan type of statements vtgate does not plan, by first keyword; planned ones take their plan's type. */
    static String statementType(String keyword) {
        return switch (keyword) {
            case "select" -> "SystemVariables"; // a planned SELECT becomes its plan's type
            case "begin", "start" -> "Begin";
            case "commit" -> "Commit";
            case "rollback" -> "Rollback";
            case "use" -> "Use";
            case "set" -> "Set";
            case "prepare", "deallocate" -> "Prepare";
            case "execute" -> "Execute"; // a planned one becomes its plan's type
            case "show" -> "Show";
            case "vexplain", "explain", "describe", "desc" -> "Explain";
            case "create", "alter", "drop", "truncate", "rename" -> "DDL";
            default -> "Passthrough";
        };
    }

    /**
     * Records one finished statement, failed or not. Meters are looked up with plain gets first: a
     * computeIfAbsent with a capturing lambda would allocate the lambda on every call.
     */
    void record(Timing timing) {
        long nanos = System.nanoTime() - timing.startNanos;
        String planType = timing.planType;
        Map<String, Counter[]> byKeyspace = queries.get(planType);
        if (byKeyspace == null) {
            byKeyspace = queries.computeIfAbsent(planType, t -> new ConcurrentHashMap<>());
        }
        Counter[] byType = byKeyspace.get(timing.keyspace);
        if (byType == null) {
            byType = byKeyspace.computeIfAbsent(timing.keyspace, k -> new Counter[TabletType.values().length]);
        }
        Counter counter = byType[timing.tabletType.ordinal()];
        if (counter == null) { // a benign race: Micrometer returns the same counter to both registrations
            counter = Counter.builder("vtgate.queries").description("Statements run, by plan type, keyspace and tablet type")
                    .tag("plan_type", planType).tag("keyspace", timing.keyspace)
                    .tag("tablet_type", timing.tabletType.name().toLowerCase(Locale.ROOT)).register(registry);
            byType[timing.tabletType.ordinal()] = counter;
        }
        counter.increment();
        Timer latency = latencies.get(planType);
        if (latency == null) {
            latency = latencies.computeIfAbsent(planType, t -> Timer.builder("vtgate.query.duration")
                    .description("Statement latency, by plan type").tag("plan_type", t)
                    .publishPercentileHistogram().minimumExpectedValue(MIN_LATENCY).maximumExpectedValue(MAX_LATENCY)
                    .register(registry));
        }
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one error sent to a client. */
    public void recordError(VtException e) {
        String state = e.sqlState();
        String stateClass = state.length() >= 2 ? state.substring(0, 2) : "HY";
        errors.get(e.code()).computeIfAbsent(stateClass, c -> Counter.builder("vtgate.errors")
                .description("Errors sent to clients, by error code and SQLSTATE class")
                .tag("error_code", e.code().name()).tag("sqlstate_class", c).register(registry)).increment();
    }
}
