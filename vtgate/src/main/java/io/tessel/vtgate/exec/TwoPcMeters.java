package io.tessel.vtgate.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * vtgate's transaction meters:
 * <ul>
 * <li>{@code vtgate_commits_total{mode}}: COMMITs of transactions that reached a shard, by transaction mode
 *     (SINGLE, MULTI, TWOPC);</li>
 * <li>{@code vtgate_twopc_prepares_total{result}}: Prepare calls of two-phase commits, ok or error;</li>
 * <li>{@code vtgate_twopc_commits_total{outcome}}: two-phase commits by outcome: committed, commit_pending
 *     (decided, some participant left to the resolver), rolled_back, undecided (left to the resolver);</li>
 * <li>{@code vtgate_twopc_resolver_actions_total{action}}: what the resolver did with abandoned transactions:
 *     commit, rollback, orphan_commit, orphan_rollback (a prepared branch found by XA RECOVER), failed.</li>
 * </ul>
 * Thread-safe.
 */
public final class TwoPcMeters {
    private final MeterRegistry registry;
    private final Map<TransactionMode, Counter> commits = new EnumMap<>(TransactionMode.class);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TwoPcMeters(MeterRegistry registry) {
        this.registry = registry;
        for (TransactionMode mode : TransactionMode.values()) {
            commits.put(mode, Counter.builder("vtgate.commits").description("COMMITs of transactions that reached a "
                    + "shard, by transaction mode").tag("mode", mode.name()).register(registry));
        }
    }

    void commit(TransactionMode mode) {
        commits.get(mode).increment();
    }

    void prepare(boolean isOk) {
        count("vtgate.twopc.prepares", "result", isOk ? "ok" : "error", "Prepare calls of two-phase commits");
    }

    void outcome(String outcome) {
        count("vtgate.twopc.commits", "outcome", outcome, "Two-phase commits by outcome");
    }

    void resolverAction(String action) {
        count("vtgate.twopc.resolver.actions", "action", action,
                "What the two-phase commit resolver did with abandoned transactions");
    }

    private void count(String name, String tag, String value, String description) {
        counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(name).description(description)
                .tag(tag, value).register(registry)).increment();
    }
}
