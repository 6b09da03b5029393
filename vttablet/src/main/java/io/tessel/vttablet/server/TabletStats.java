package io.tessel.vttablet.server;

import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.pool.PoolStats;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of the tablet's protection counters, with {@link #metrics()} giving them the names they will
 * have as Micrometer meters (house style: {@code vttablet_*}, snake case, {@code _total} on counters).
 * Counters count since start; gauges are the value now.
 *
 * @param consolidations         reads answered by another caller's identical read (Vitess Waits{Consolidations})
 * @param consolidatorWaiters    callers waiting for another caller's read right now
 * @param consolidatorOverCap    reads run on their own because an identical one had its waiter cap
 * @param resultsOverWarn        results above the warn size (Vitess Warnings{ResultsExceeded})
 * @param resultsOverMax         results refused for exceeding the max result size
 * @param queryKills             statements killed on MySQL for exceeding the query timeout (Kills{Queries})
 * @param transactionKills       transactions rolled back for exceeding the transaction timeout (Kills{Transactions})
 * @param hotRows                hot-row protection counters
 * @param pools                  each opened pool's counts
 */
public record TabletStats(long consolidations, int consolidatorWaiters, long consolidatorOverCap, long resultsOverWarn,
                          long resultsOverMax, long queryKills, long transactionKills, TxSerializer.Stats hotRows,
                          Map<PoolKind, PoolStats> pools) {

    /** Every value by its metric name; pool meters carry a {@code pool} label in Prometheus syntax. */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("vttablet_consolidations_total", consolidations);
        m.put("vttablet_consolidator_waiters", (long) consolidatorWaiters);
        m.put("vttablet_consolidator_waiter_cap_exceeded_total", consolidatorOverCap);
        m.put("vttablet_results_warn_size_exceeded_total", resultsOverWarn);
        m.put("vttablet_results_max_size_exceeded_total", resultsOverMax);
        m.put("vttablet_query_kills_total", queryKills);
        m.put("vttablet_transaction_kills_total", transactionKills);
        m.put("vttablet_hot_row_waits_total", hotRows.waits());
        m.put("vttablet_hot_row_queue_exceeded_total", hotRows.queueExceeded());
        m.put("vttablet_hot_row_global_queue_exceeded_total", hotRows.globalQueueExceeded());
        m.put("vttablet_hot_row_waits_dry_run_total", hotRows.waitsDryRun());
        m.put("vttablet_hot_row_queue_exceeded_dry_run_total", hotRows.queueExceededDryRun());
        m.put("vttablet_hot_row_global_queue_exceeded_dry_run_total", hotRows.globalQueueExceededDryRun());
        pools.forEach((kind, p) -> {
            String label = "{pool=\"" + kind.name().toLowerCase(Locale.ROOT) + "\"}";
            m.put("vttablet_pool_active_connections" + label, (long) p.active());
            m.put("vttablet_pool_idle_connections" + label, (long) p.idle());
            m.put("vttablet_pool_waiting_callers" + label, (long) p.waiting());
            m.put("vttablet_pool_waiter_cap_rejections_total" + label, p.waiterCapRejections());
            m.put("vttablet_pool_timeouts_total" + label, p.timeouts());
        });
        return m;
    }
}
