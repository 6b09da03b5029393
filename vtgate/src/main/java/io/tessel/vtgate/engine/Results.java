package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Combining and trimming query results, and the helpers the vtgate-side operators share. Stateless. */
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

    /** A result of {@code fields} and decoded rows. */
    static QueryResult of(List<Field> fields, List<byte[][]> rows) {
        QueryResult.Builder out = QueryResult.newBuilder().addAllFields(fields);
        rows.forEach(row -> out.addRows(ResultRows.encode(row)));
        return out.build();
    }

    /** The first {@code count} fields, or all when {@code count} is 0. */
    static List<Field> truncate(List<Field> fields, int count) {
        return count > 0 && count < fields.size() ? fields.subList(0, count) : fields;
    }

    /** The first {@code count} columns, or the row itself when {@code count} is 0. */
    static byte[][] truncate(byte[][] row, int count) {
        return count > 0 && count < row.length ? Arrays.copyOf(row, count) : row;
    }

    /** A row whose columns are the first {@code count} of {@code row} (count 0 = all), re-packed if cut. */
    static Row truncate(Row row, int count) {
        return count > 0 && count < row.getLengthsCount() ? ResultRows.encode(truncate(ResultRows.decode(row), count))
                : row;
    }

    /**
     * Fails when an operator would hold more than the cursor's {@code maxMemoryRows} rows, as Vitess does.
     *
     * @throws VtException RESOURCE_EXHAUSTED "in-memory row count exceeded allowed limit of N"
     */
    static void checkMemory(VCursor vcursor, long rows) {
        long limit = vcursor.maxMemoryRows();
        if (rows > limit) {
            throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED,
                    "in-memory row count exceeded allowed limit of " + limit);
        }
    }

    /**
     * The whole of {@code input}'s stream as one result, failing once it holds more rows than the cursor's
     * memory row limit. For operators that need every row but must not let the shards apply their row limit.
     */
    static QueryResult collect(Primitive input, VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult.Builder all = QueryResult.newBuilder();
        input.stream(vcursor, bindVars, part -> {
            if (all.getFieldsCount() == 0) {
                all.addAllFields(part.getFieldsList());
            }
            all.addAllRows(part.getRowsList());
            all.setRowsAffected(all.getRowsAffected() + part.getRowsAffected());
            checkMemory(vcursor, all.getRowsCount());
            return true;
        });
        return all.build();
    }

    /** A copy of {@code bindVars} with {@code extra} added (replacing same-named ones). */
    static Map<String, BindVariable> with(Map<String, BindVariable> bindVars, Map<String, BindVariable> extra) {
        Map<String, BindVariable> out = new HashMap<>(bindVars);
        out.putAll(extra);
        return out;
    }
}
