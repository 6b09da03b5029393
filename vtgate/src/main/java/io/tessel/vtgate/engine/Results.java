package io.tessel.vtgate.engine;

import io.tessel.proto.Query.QueryResult;
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
}
