package io.tessel.vttablet.server;

import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.pool.PoolStats;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A snapshot of the tablet's protection counters. Each value is declared once in {@link #STATS} and
 * {@link #POOL_STATS}, with its meter name and help text: {@link TabletMeters} registers them in Micrometer
 * and {@link #metrics()} shows them under their Prometheus names on {@code /debug/vars}. Counters count
 * since start; gauges are the value now.
 *
 * @param consolidations         reads answered by another caller's identical read (Vitess Waits{Consolidations})
 * @param consolidatorWaiters    callers waiting for another caller's read right now
 * @param consolidatorOverCap    reads run on their own because an identical one had its waiter cap
 * @param resultsOverWarn        results above the warn size (Vitess Warnings{ResultsExceeded})
 * @param resultsOverMax         results refused for exceeding the max result size
 * @param queryKills             statements killed on MySQL for exceeding the query timeout (Kills{Queries})
 * @param transactionKills       transactions rolled back for exceeding the transaction timeout (Kills{Transactions})
 * @param cancelKills            statements killed on MySQL because their caller cancelled (vtgate's client left)
 * @param reservedKills          reserved connections closed for being idle past the transaction timeout
 * @param hotRows                hot-row protection counters
 * @param pools                  each opened pool's counts
 */
public record TabletStats(long consolidations, int consolidatorWaiters, long consolidatorOverCap, long resultsOverWarn,
                          long resultsOverMax, long queryKills, long transactionKills, long cancelKills,
                          long reservedKills, TxSerializer.Stats hotRows,
                          Map<PoolKind, PoolStats> pools) {

    /**
     * One tablet value as a meter.
     *
     * @param name      the Micrometer name, dotted; Prometheus shows it in snake case, counters with {@code _total}
     * @param isCounter a monotonic counter, else a gauge
     */
    public record Stat<T>(String name, String help, boolean isCounter, ToLongFunction<T> value) {
        /** The name as Prometheus shows it, e.g. {@code vttablet_consolidations_total}. */
        public String prometheusName() {
            return name.replace('.', '_') + (isCounter ? "_total" : "");
        }
    }

    /** The tablet-wide values. */
    public static final List<Stat<TabletStats>> STATS = List.of(
            counter("vttablet.consolidations", "Reads answered by an identical read already running",
                    TabletStats::consolidations),
            gauge("vttablet.consolidator.waiters", "Callers waiting for an identical read to finish",
                    TabletStats::consolidatorWaiters),
            counter("vttablet.consolidator.waiter.cap.exceeded",
                    "Reads run on their own because the identical read had its waiter cap", TabletStats::consolidatorOverCap),
            counter("vttablet.results.warn.size.exceeded", "Results with more rows than the warn size",
                    TabletStats::resultsOverWarn),
            counter("vttablet.results.max.size.exceeded", "Results refused for more rows than the max result size",
                    TabletStats::resultsOverMax),
            counter("vttablet.query.kills", "Statements killed on MySQL for exceeding the query timeout",
                    TabletStats::queryKills),
            counter("vttablet.transaction.kills", "Transactions rolled back for exceeding the transaction timeout",
                    TabletStats::transactionKills),
            counter("vttablet.cancel.kills", "Statements killed on MySQL because their caller cancelled",
                    TabletStats::cancelKills),
            counter("vttablet.reserved.connection.kills", "Reserved connections closed for being idle too long",
                    TabletStats::reservedKills),
            counter("vttablet.hot.row.waits", "Transactions that queued behind others writing the same row",
                    s -> s.hotRows().waits()),
            counter("vttablet.hot.row.queue.exceeded", "Transactions refused: their row's queue was full",
                    s -> s.hotRows().queueExceeded()),
            counter("vttablet.hot.row.global.queue.exceeded", "Transactions refused: the queues of all rows were full",
                    s -> s.hotRows().globalQueueExceeded()),
            counter("vttablet.hot.row.waits.dry.run", "Transactions hot-row protection would have queued (dry run)",
                    s -> s.hotRows().waitsDryRun()),
            counter("vttablet.hot.row.queue.exceeded.dry.run",
                    "Transactions hot-row protection would have refused for a full row queue (dry run)",
                    s -> s.hotRows().queueExceededDryRun()),
            counter("vttablet.hot.row.global.queue.exceeded.dry.run",
                    "Transactions hot-row protection would have refused for full queues (dry run)",
                    s -> s.hotRows().globalQueueExceededDryRun()));

    /** The values of each connection pool, labelled {@code pool}. */
    public static final List<Stat<PoolStats>> POOL_STATS = List.of(
            gauge("vttablet.pool.active.connections", "Connections handed out", PoolStats::active),
            gauge("vttablet.pool.idle.connections", "Connections idle in the pool", PoolStats::idle),
            gauge("vttablet.pool.waiting.callers", "Callers blocked waiting for a connection", PoolStats::waiting),
            counter("vttablet.pool.waiter.cap.rejections", "Callers refused at once: too many were already waiting",
                    PoolStats::waiterCapRejections),
            counter("vttablet.pool.timeouts", "Callers refused after waiting the pool timeout", PoolStats::timeouts));

    private static <T> Stat<T> counter(String name, String help, ToLongFunction<T> value) {
        return new Stat<>(name, help, true, value);
    }

    private static <T> Stat<T> gauge(String name, String help, ToLongFunction<T> value) {
        return new Stat<>(name, help, false, value);
    }

    /** The {@code pool} label value of a pool kind, e.g. {@code found_rows_query}. */
    public static String poolLabel(PoolKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Every value by its Prometheus name; pool values carry a {@code pool} label in Prometheus syntax. */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Stat<TabletStats> s : STATS) {
            m.put(s.prometheusName(), s.value().applyAsLong(this));
        }
        pools.forEach((kind, p) -> {
            String label = "{pool=\"" + poolLabel(kind) + "\"}";
            for (Stat<PoolStats> s : POOL_STATS) {
                m.put(s.prometheusName() + label, s.value().applyAsLong(p));
            }
        });
        return m;
    }
}
