package io.tessel.vttablet.consolidate;

/**
 * When the tablet consolidates reads, after Vitess's flags: {@code --enable-consolidator} (on by default),
 * {@code --enable-consolidator-replicas} (only on tablets that are not the primary, where reading a
 * slightly older result matters less) and {@code --consolidator-query-waiter-cap} (0, no cap). A request's
 * {@code ExecuteOptions.consolidator} overrides the tablet's choice. Immutable.
 *
 * @param isEnabled         consolidate on every tablet type
 * @param isEnabledReplicas consolidate on non-primary tablets only (used when {@code isEnabled} is false)
 * @param waiterCap         most callers waiting for one query in flight; beyond it they run their own; 0 for no cap
 */
public record ConsolidatorConfig(boolean isEnabled, boolean isEnabledReplicas, int waiterCap) {
    public static final int DEFAULT_WAITER_CAP = 0;
    /** How many distinct queries {@code /debug/consolidations} remembers (Vitess's LRU size). */
    public static final int TOP_QUERIES = 1000;
    public static final ConsolidatorConfig DEFAULTS = new ConsolidatorConfig(true, false, DEFAULT_WAITER_CAP);

    public ConsolidatorConfig {
        if (waiterCap < 0) {
            throw new IllegalArgumentException("consolidator waiter cap must not be negative");
        }
    }

    public static ConsolidatorConfig disabled() {
        return new ConsolidatorConfig(false, false, DEFAULT_WAITER_CAP);
    }
}
