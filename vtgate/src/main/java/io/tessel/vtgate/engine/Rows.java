package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.Map;

/**
 * A fixed result vtgate answers itself (SHOW statements, {@code SELECT @@version}), as Vitess's {@code Rows}.
 * The result is built once, so later changes to the arrays given do not show.
 */
public final class Rows implements Primitive {
    private final QueryResult result;

    /** @param rows column values, {@code null} for SQL NULL */
    public Rows(List<Field> fields, List<byte[][]> rows) {
        for (byte[][] row : rows) {
            if (row.length != fields.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " columns for " + fields.size()
                        + " fields");
            }
        }
        this.result = Results.of(fields, rows);
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        return result;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public PlanDescription describe() {
        return PlanDescription.of("Rows", "", "", Map.of("RowCount", result.getRowsCount()));
    }
}
