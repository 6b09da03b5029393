package io.tessel.vtgate.engine;

import io.tessel.vtgate.vindex.Vindex;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Route} needs: its opcode and keyspace, the query for the shards (and the field query run
 * when no shard is reached), the vindex (functional, or a lookup) and value(s) for vindex routes, the shards
 * of a by-destination route, the merge order for several shards' rows and how many result columns to keep
 * (0 keeps all).
 */
public record RouteParams(RouteOpcode opcode, String keyspace, String query, String fieldQuery, String table,
        Vindex vindex, PlanValue values, List<String> targetShards, List<OrderBy> orderBy,
        ColumnSlice columns, boolean isWrite) {
    /** The result columns a route returns: {@code [from, to)}, {@code to} -1 for the end; ALL keeps every column. */
    public record ColumnSlice(int from, int to) {
        public static final ColumnSlice ALL = new ColumnSlice(0, -1);

        boolean isAll() {
            return from == 0 && to < 0;
        }

        @Override
        public String toString() {
            return from + ".." + (to < 0 ? "end" : Integer.toString(to));
        }
    }

    /** The list bind variable holding an IN route's per-shard values; the query reads it as {@code ::__vals}. */
    public static final String LIST_VAR = "__vals";

    public RouteParams {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(query, "query");
        fieldQuery = fieldQuery == null ? "" : fieldQuery;
        table = table == null ? "" : table;
        targetShards = List.copyOf(targetShards);
        orderBy = List.copyOf(orderBy);
        columns = columns == null ? ColumnSlice.ALL : columns;
        if ((opcode == RouteOpcode.EQUAL_UNIQUE || opcode == RouteOpcode.EQUAL || opcode == RouteOpcode.IN)
                && (vindex == null || values == null)) {
            throw new IllegalArgumentException("BUG: " + opcode + " route without a vindex and values");
        }
    }

    /** A route of any opcode without vindex, order or truncation. */
    public static RouteParams of(RouteOpcode opcode, String keyspace, String query, String fieldQuery, boolean isWrite) {
        return new RouteParams(opcode, keyspace, query, fieldQuery, "", null, null, List.of(), List.of(), null, isWrite);
    }
}
