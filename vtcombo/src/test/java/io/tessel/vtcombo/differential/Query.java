package io.tessel.vtcombo.differential;

import java.util.List;
import java.util.Set;

/**
 * One read of the differential suite and how its results are compared (see {@link ResultComparison}).
 *
 * @param category  the query class it exercises (point, scatter, cross-shard join...), for the report
 * @param sql       the statement, run as written on both servers
 * @param order     how much of the row order the statement fixes
 * @param orderKeys for {@link Order#KEYS}: the 0-based result columns whose sequence the ORDER BY fixes
 * @param ciColumns 0-based columns whose spelling MySQL may pick arbitrarily (a GROUP BY, DISTINCT, MIN/MAX
 *                  or UNION over case-insensitive text keeps one of several equal spellings): compared
 *                  case- and accent-insensitively, trailing spaces ignored
 * @param known     null when vtgate must answer exactly as MariaDB, else a known vtgate difference
 */
record Query(String category, String sql, Order order, List<Integer> orderKeys, Set<Integer> ciColumns, Known known) {

    /** How much of the row order a statement fixes. */
    enum Order {
        /** No ORDER BY (or one that leaves the order open): rows compared as multisets. */
        NONE,
        /** The ORDER BY orders rows completely: the sequences must be equal. */
        TOTAL,
        /** The ORDER BY fixes the sequence of some columns (ties remain): multiset plus those columns' sequence. */
        KEYS
    }

    /**
     * A difference vtgate is known to have, so the suite passes while it lasts and fails once it is gone
     * (then the mark must be removed). With {@code isLabelsOnly} only the column labels may differ and the
     * values are compared as usual.
     */
    record Known(String reason, boolean isLabelsOnly) {}

    /** A scalar subquery in the select list is labelled with its value. */
    static final Known SUBQUERY_LABEL = new Known("a scalar subquery in the select list is labelled with its value",
            true);

    Query {
        orderKeys = List.copyOf(orderKeys);
        ciColumns = Set.copyOf(ciColumns);
    }

    static Query unordered(String category, String sql) {
        return new Query(category, sql, Order.NONE, List.of(), Set.of(), null);
    }

    static Query ordered(String category, String sql) {
        return new Query(category, sql, Order.TOTAL, List.of(), Set.of(), null);
    }

    static Query orderedBy(String category, String sql, Integer... keys) {
        return new Query(category, sql, Order.KEYS, List.of(keys), Set.of(), null);
    }

    /** The same query with these columns compared case-insensitively. */
    Query ci(Integer... columns) {
        return new Query(category, sql, order, orderKeys, Set.of(columns), known);
    }

    /** The same query with a known vtgate difference. */
    Query differs(Known difference) {
        return new Query(category, sql, order, orderKeys, ciColumns, difference);
    }

    @Override
    public String toString() {
        return "[" + category + "] " + sql;
    }
}
