package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import java.util.List;
import java.util.Map;

/**
 * Keeps the input's columns {@code [from, to)} (fields and values), as Vitess's {@code SimpleProjection}: drops
 * the hidden columns a plan added for sorting, grouping or HAVING. {@code to} of -1 means "to the end".
 */
public record SimpleProjection(Primitive input, int from, int to) implements Primitive {
    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        return slice(input.execute(vcursor, bindVars), from, to);
    }

    /**
     * Streams the input with each part cut to columns {@code [from, to)}; parts after the first carry no
     * fields, and are cut by their rows' widths.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        input.stream(vcursor, bindVars, part -> sink.accept(slice(part, from, to)));
    }

    /**
     * Columns {@code [from, to)} of a result or of a part of a streamed one; {@code to} of -1 means the last
     * column. The width is the fields' count, or for a part with rows only, its rows'.
     */
    public static QueryResult slice(QueryResult result, int from, int to) {
        int columns = result.getFieldsCount() > 0 ? result.getFieldsCount()
                : result.getRowsCount() > 0 ? result.getRows(0).getLengthsCount() : 0;
        int end = to < 0 ? columns : Math.min(to, columns);
        if (from == 0 && end == columns) {
            return result;
        }
        QueryResult.Builder out = result.toBuilder().clearFields().clearRows();
        if (result.getFieldsCount() > 0) {
            out.addAllFields(result.getFieldsList().subList(from, end));
        }
        for (Row row : result.getRowsList()) {
            long skipped = 0;
            for (int i = 0; i < from; i++) {
                skipped += Math.max(0, row.getLengths(i));
            }
            long kept = 0;
            for (int i = from; i < end; i++) {
                kept += Math.max(0, row.getLengths(i));
            }
            out.addRows(Row.newBuilder().addAllLengths(row.getLengthsList().subList(from, end))
                    .setValues(row.getValues().substring((int) skipped, (int) (skipped + kept))));
        }
        return out.build();
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        return PlanDescription.of("SimpleProjection", "", "", Map.of("Columns", from + ".." + (to < 0 ? "end" : to)));
    }
}
