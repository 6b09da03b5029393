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

    /** Rows of a merged stream go out in parts of about this many value bytes, like the tablet's. */
    static final int PART_BYTES = 32 * 1024;

    /** The next unread row of one shard's stream: the part being read and the row's position in it. */
    private static final class StreamCursor {
        final int shard;
        QueryResult part;
        int index;
        byte[][] columns;

        StreamCursor(int shard) {
            this.shard = shard;
        }

        /** Moves to the shard's next row, taking parts from its queue; false when the shard has no more. */
        boolean advance(ShardStreams streams) {
            index++;
            while (part == null || index >= part.getRowsCount()) {
                part = streams.next(shard);
                index = 0;
                if (part == null) {
                    return false;
                }
            }
            columns = ResultRows.decode(part.getRows(index));
            return true;
        }

        Row row() {
            return part.getRows(index);
        }
    }

    /**
     * Merges streams that are each sorted by {@code order} as their parts arrive, holding one part per shard
     * plus what the queues of {@code streams} hold: the fields first (from the first shard's first part),
     * then the merged rows in parts of about {@link #PART_BYTES}. Stops when the sink wants no more.
     */
    static void stream(ShardStreams streams, List<OrderBy> order, ResultSink sink) {
        List<StreamCursor> cursors = new ArrayList<>(streams.size());
        List<Field> fields = List.of();
        for (int shard = 0; shard < streams.size(); shard++) {
            StreamCursor cursor = new StreamCursor(shard);
            cursor.part = streams.next(shard); // the first part carries the fields
            cursor.index = -1;
            if (cursor.part != null && fields.isEmpty()) {
                fields = cursor.part.getFieldsList();
            }
            cursors.add(cursor);
        }
        if (!sink.accept(QueryResult.newBuilder().addAllFields(fields).build())) {
            return;
        }
        NullSafeComparator comparator = OrderBy.comparator(order, fields);
        PriorityQueue<StreamCursor> heap = new PriorityQueue<>(Math.max(1, cursors.size()), (a, b) -> {
            int cmp = comparator.compare(a.columns, b.columns);
            return cmp != 0 ? cmp : Integer.compare(a.shard, b.shard);
        });
        for (StreamCursor cursor : cursors) {
            if (cursor.part != null && cursor.advance(streams)) {
                heap.add(cursor);
            }
        }
        QueryResult.Builder out = QueryResult.newBuilder();
        int bytes = 0;
        while (!heap.isEmpty()) {
            StreamCursor cursor = heap.poll();
            Row row = cursor.row();
            out.addRows(row);
            bytes += row.getValues().size() + 2 * row.getLengthsCount();
            if (bytes >= PART_BYTES) {
                if (!sink.accept(out.build())) {
                    return;
                }
                out = QueryResult.newBuilder();
                bytes = 0;
            }
            if (cursor.advance(streams)) {
                heap.add(cursor);
            }
        }
        if (out.getRowsCount() > 0) {
            sink.accept(out.build());
        }
    }
}
