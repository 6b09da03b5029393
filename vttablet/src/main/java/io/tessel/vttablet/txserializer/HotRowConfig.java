package io.tessel.vttablet.txserializer;

/**
 * Hot-row protection settings, Vitess's flags and defaults: off by default ({@code --enable-hot-row-protection}),
 * a dry-run mode that only counts ({@code --enable-hot-row-protection-dry-run}), at most 5 transactions
 * per row running at once, at most 20 per row running or queued, at most 1000 queued over all rows.
 * Immutable.
 *
 * @param isEnabled              queue same-row transactions
 * @param isDryRun               do not queue or reject, only count what would have been queued or rejected
 * @param maxQueueSize           most transactions for one row, running plus waiting; more are rejected
 * @param maxGlobalQueueSize     most transactions tracked over all rows; more are rejected
 * @param concurrentTransactions most transactions for one row running at once; the rest wait in line
 */
public record HotRowConfig(boolean isEnabled, boolean isDryRun, int maxQueueSize, int maxGlobalQueueSize,
                           int concurrentTransactions) {
    public static final int DEFAULT_MAX_QUEUE_SIZE = 20;
    public static final int DEFAULT_MAX_GLOBAL_QUEUE_SIZE = 1000;
    public static final int DEFAULT_CONCURRENT_TRANSACTIONS = 5;
    public static final HotRowConfig DEFAULTS = new HotRowConfig(false, false, DEFAULT_MAX_QUEUE_SIZE,
            DEFAULT_MAX_GLOBAL_QUEUE_SIZE, DEFAULT_CONCURRENT_TRANSACTIONS);

    public HotRowConfig {
        if (maxQueueSize < 1 || maxGlobalQueueSize < 1 || concurrentTransactions < 1) {
            throw new IllegalArgumentException("hot-row protection queue sizes and concurrency must be at least 1");
        }
        if (concurrentTransactions > maxQueueSize) {
            throw new IllegalArgumentException("hot-row protection: concurrent transactions (" + concurrentTransactions
                    + ") must not exceed the queue size (" + maxQueueSize + ")");
        }
    }

    /** Whether the serializer looks at transactions at all (enabled or dry run). */
    public boolean isActive() {
        return isEnabled || isDryRun;
    }
}
