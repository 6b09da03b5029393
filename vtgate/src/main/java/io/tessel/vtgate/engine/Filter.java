package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.vtgate.evalengine.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the input rows for which a predicate is true (not false, not NULL), as Vitess's {@code Filter}: a
 * HAVING over merged aggregates, or a WHERE the shards could not apply. Fields pass through.
 */
public record Filter(Primitive input, Expr predicate) implements Primitive {
    public Filter {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult result = input.execute(vcursor, bindVars);
        List<Field> fields = result.getFieldsList();
        List<Row> kept = new ArrayList<>();
        for (Row row : result.getRowsList()) {
            if (predicate.test(ResultRows.decode(row), fields, bindVars)) {
                kept.add(row);
            }
        }
        return result.toBuilder().clearRows().addAllRows(kept).build();
    }

    /** Streams the input's parts with the rows the predicate rejects left out (parts left empty are not sent). */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        List<List<Field>> fields = new ArrayList<>(1); // the first part's, for every later part
        input.stream(vcursor, bindVars, part -> {
            if (fields.isEmpty() || part.getFieldsCount() > 0) {
                fields.clear();
                fields.add(part.getFieldsList());
            }
            List<Row> kept = new ArrayList<>(part.getRowsCount());
            for (Row row : part.getRowsList()) {
                if (predicate.test(ResultRows.decode(row), fields.getFirst(), bindVars)) {
                    kept.add(row);
                }
            }
            if (kept.isEmpty() && part.getFieldsCount() == 0) {
                return true;
            }
            return sink.accept(kept.size() == part.getRowsCount() ? part
                    : part.toBuilder().clearRows().addAllRows(kept).build());
        });
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        return PlanDescription.of("Filter", "", "", Map.of("Predicate", predicate.toSql()));
    }
}
