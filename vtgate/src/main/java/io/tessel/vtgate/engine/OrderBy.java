package io.tessel.vtgate.engine;

import io.tessel.proto.Query.Field;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import java.util.List;

/**
 * One sort key of a merge or memory sort: the result column to compare, the column holding its
 * {@code weight_string()} for collation-aware text comparison (-1 if none), and the direction.
 */
public record OrderBy(int column, int weightStringColumn, boolean isDescending) {
    public OrderBy {
        if (column < 0 || weightStringColumn < -1) {
            throw new IllegalArgumentException("bad sort key column " + column + " weight string " + weightStringColumn);
        }
    }

    /** An ascending key without weight string. */
    public static OrderBy asc(int column) {
        return new OrderBy(column, -1, false);
    }

    /** A descending key without weight string. */
    public static OrderBy desc(int column) {
        return new OrderBy(column, -1, true);
    }

    /** E.g. {@code 0 ASC} or {@code (0|2) DESC} when a weight-string column is used. */
    public String describe() {
        String col = weightStringColumn < 0 ? Integer.toString(column) : "(" + column + "|" + weightStringColumn + ")";
        return col + (isDescending ? " DESC" : " ASC");
    }

    /** The row order of {@code order} over rows with {@code fields}. */
    static NullSafeComparator comparator(List<OrderBy> order, List<Field> fields) {
        return new NullSafeComparator(order.stream()
                .map(o -> new NullSafeComparator.Key(o.column(), o.weightStringColumn(), o.isDescending())).toList(),
                fields);
    }

    /** The keys' descriptions joined with {@code ", "}. */
    static String describe(List<OrderBy> order) {
        return String.join(", ", order.stream().map(OrderBy::describe).toList());
    }
}
