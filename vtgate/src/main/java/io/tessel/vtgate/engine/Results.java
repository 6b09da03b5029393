package io.tessel.vtgate.engine;

import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import java.util.List;

/** Combining and trimming query results. Stateless. */
public final class Results {
    private Results() {}

    /**
     * Several shards' results as one: the first result's fields, every row in shard order, the summed
     * affected-row counts and the first non-zero insert id.
     */
    public static QueryResult concatenate(List<QueryResult> results) {
        QueryResult.Builder out = QueryResult.newBuilder();
        long affected = 0;
        long insertId = 0;
        for (QueryResult r : results) {
            if (out.getFieldsCount() == 0) {
                out.addAllFields(r.getFieldsList());
            }
            out.addAllRows(r.getRowsList());
            affected += r.getRowsAffected();
            insertId = insertId == 0 ? r.getInsertId() : insertId;
        }
        return out.setRowsAffected(affected).setInsertId(insertId).build();
    }

    /** Keeps the first {@code count} columns (fields and row values); 0 or a count not below the width keeps all. */
    public static QueryResult truncate(QueryResult result, int count) {
        if (count <= 0 || result.getFieldsCount() <= count) {
            return result;
        }
        QueryResult.Builder out = result.toBuilder().clearFields().clearRows();
        out.addAllFields(result.getFieldsList().subList(0, count));
        for (Row row : result.getRowsList()) {
            long kept = 0;
            for (int i = 0; i < count; i++) {
                kept += Math.max(0, row.getLengths(i));
            }
            out.addRows(Row.newBuilder().addAllLengths(row.getLengthsList().subList(0, count))
                    .setValues(row.getValues().substring(0, (int) kept)));
        }
        return out.build();
    }
}
