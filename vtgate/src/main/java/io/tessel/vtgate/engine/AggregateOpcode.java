package io.tessel.vtgate.engine;

/**
 * The aggregate functions {@link Aggregate} computes at vtgate, most of them merging partial aggregates the
 * shards computed, as Vitess's {@code AggregateOpcode}.
 */
public enum AggregateOpcode {
    /** Merges partial {@code COUNT(x)}s: their sum, INT64. */
    COUNT("count"),
    /** Merges partial {@code COUNT(*)}s: their sum, INT64. */
    COUNT_STAR("count_star"),
    /** Merges partial {@code SUM(x)}s: exact DECIMAL for integer and decimal inputs, DOUBLE otherwise; NULL if all are. */
    SUM("sum"),
    MIN("min"),
    MAX("max"),
    /** Counts the distinct non-NULL values of a column the input is sorted by within each group. */
    COUNT_DISTINCT("count_distinct"),
    /** Sums the distinct non-NULL values of a column the input is sorted by within each group. */
    SUM_DISTINCT("sum_distinct"),
    /** The value of the group's first row (grouping columns that are selected but not aggregated). */
    ANY_VALUE("any_value"),
    /** Joins partial {@code GROUP_CONCAT}s with {@code ,}, skipping NULLs. */
    GROUP_CONCAT("group_concat");

    private final String description;

    AggregateOpcode(String description) {
        this.description = description;
    }

    /** The function's name in plan descriptions. */
    public String description() {
        return description;
    }
}
