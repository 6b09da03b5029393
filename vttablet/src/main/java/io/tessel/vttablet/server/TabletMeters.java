package io.tessel.vttablet.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.pool.PoolStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A tablet's meters in Micrometer, every one tagged with the tablet's {@code keyspace} and {@code shard}
 * (vtcombo runs several tablets on one registry): the {@link TabletStats} values, read from the tablet at
 * scrape time, the request timers per query-service method, and whether it serves. The timers are
 * created once; recording one is a lookup in an array. Removed from the registry by {@link #close()}.
 * Thread-safe.
 */
final class TabletMeters implements AutoCloseable {
    /** The query-service methods, timed as {@code vttablet_request_duration_seconds{method=...}}. */
    enum Method {
        EXECUTE("Execute"), STREAM_EXECUTE("StreamExecute"), BEGIN("Begin"), COMMIT("Commit"), ROLLBACK("Rollback"),
        BEGIN_EXECUTE("BeginExecute"), RESERVE_EXECUTE("ReserveExecute"), RESERVE_BEGIN_EXECUTE("ReserveBeginExecute"),
        RESERVE_STREAM_EXECUTE("ReserveStreamExecute"), RELEASE("Release"), PREPARE("Prepare"),
        COMMIT_PREPARED("CommitPrepared"), ROLLBACK_PREPARED("RollbackPrepared"), CREATE_TRANSACTION("CreateTransaction"),
        START_COMMIT("StartCommit"), SET_ROLLBACK("SetRollback"), CONCLUDE_TRANSACTION("ConcludeTransaction"),
        READ_TRANSACTION("ReadTransaction"), UNRESOLVED_TRANSACTIONS("UnresolvedTransactions");

        final String rpcName;

        Method(String rpcName) {
            this.rpcName = rpcName;
        }
    }

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer[] timers = new Timer[Method.values().length];

    TabletMeters(TabletServer tablet, MeterRegistry registry, String keyspace, String shard) {
        this.registry = registry;
        Tags tags = Tags.of("keyspace", keyspace, "shard", shard);
        for (TabletStats.Stat<TabletStats> s : TabletStats.STATS) {
            add(s, tablet, t -> s.value().applyAsLong(t.stats()), tags);
        }
        for (PoolKind kind : PoolKind.values()) {
            Tags poolTags = tags.and("pool", TabletStats.poolLabel(kind));
            for (TabletStats.Stat<PoolStats> s : TabletStats.POOL_STATS) {
                add(s, tablet, t -> s.value().applyAsLong(t.poolStats(kind)), poolTags);
            }
        }
        meters.add(Gauge.builder("vttablet.serving", tablet, t -> t.notServingReason().isEmpty() ? 1 : 0)
                .description("1 while the tablet serves queries, else 0").tags(tags).register(registry));
        meters.add(Gauge.builder("vttablet.transactions.open", tablet, TabletServer::activeTransactions)
                .description("Transactions open now").tags(tags).register(registry));
        meters.add(Gauge.builder("vttablet.requests.in.flight", tablet, TabletServer::requestsInFlight)
                .description("Query-service calls running now").tags(tags).register(registry));
        for (Method m : Method.values()) {
            timers[m.ordinal()] = Timer.builder("vttablet.request.duration")
                    .description("Query-service calls by method, with their latency")
                    .tags(tags).tag("method", m.rpcName)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
            meters.add(timers[m.ordinal()]);
        }
    }

    private void add(TabletStats.Stat<?> s, TabletServer tablet, ToDoubleFunction<TabletServer> value, Tags tags) {
        meters.add(s.isCounter()
                ? FunctionCounter.builder(s.name(), tablet, value).description(s.help()).tags(tags).register(registry)
                : Gauge.builder(s.name(), tablet, value).description(s.help()).tags(tags).register(registry));
    }

    /** Records one call of {@code method} that started at {@code startNanos}. */
    void record(Method method, long startNanos) {
        timers[method.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
