package io.tessel.vtgate.engine;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The k-way merge of shard results that are each sorted by the same keys, as Vitess's {@code MergeSort}:
 * what a scatter {@code ORDER BY} needs at vtgate. Rows with equal keys come out in shard order (all of the
 * first shard's, then the next's), so the merge is stable. Stateless.
 */
public final class MergeSort {
    private MergeSort() {}

    /** The next unread row of one shard's result. */
    private record Cursor(int shard, int index, byte[][] columns, List<Row> rows) {
        Cursor next() {
            int following = index + 1;
            return following < rows.size()
                    ? new Cursor(shard, following, ResultRows.decode(rows.get(following)), rows) : null;
        }
    }

    /**
     * Merges {@code sortedShardResults} (each sorted by {@code order}) into one sorted result with the first
     * result's fields (the first that has fields) and the sum of their {@code rows_affected}.
     */
    public static QueryResult merge(List<QueryResult> sortedShardResults, List<OrderBy> order) {
        List<Field> fields = sortedShardResults.stream().map(QueryResult::getFieldsList).filter(f -> !f.isEmpty())
                .findFirst().orElse(List.of());
        QueryResult.Builder out = QueryResult.newBuilder().addAllFields(fields);
        long rowsAffected = 0;
        int total = 0;
        for (QueryResult result : sortedShardResults) {
            rowsAffected += result.getRowsAffected();
            total += result.getRowsCount();
        }
        out.setRowsAffected(rowsAffected);
        if (total == 0) {
            return out.build();
        }
        NullSafeComparator comparator = OrderBy.comparator(order, fields);
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(1, sortedShardResults.size()), (a, b) -> {
            int cmp = comparator.compare(a.columns(), b.columns());
            return cmp != 0 ? cmp : Integer.compare(a.shard(), b.shard());
        });
        for (int shard = 0; shard < sortedShardResults.size(); shard++) {
            List<Row> rows = sortedShardResults.get(shard).getRowsList();
            if (!rows.isEmpty()) {
                heap.add(new Cursor(shard, 0, ResultRows.decode(rows.getFirst()), rows));
            }
        }
        List<Row> merged = new ArrayList<>(total);
        while (!heap.isEmpty()) {
            Cursor cursor = heap.poll();
            merged.add(cursor.rows().get(cursor.index()));
            Cursor next = cursor.next();
            if (next != null) {
                heap.add(next);
            }
        }
        return out.addAllRows(merged).build();
    }
}
