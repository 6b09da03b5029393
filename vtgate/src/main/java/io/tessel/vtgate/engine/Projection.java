package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.evalengine.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes output columns from expressions over each input row, as Vitess's {@code Projection} (for example
 * {@code AVG(x)} as {@code SUM / COUNT} over merged partial aggregates). A plain column keeps its input field
 * under the new name (or its own name when the name is null); other expressions get the field of their MySQL
 * result type.
 */
public record Projection(Primitive input, List<Expr> expressions, List<String> columnNames) implements Primitive {
    public Projection {
        Objects.requireNonNull(input, "input");
        expressions = List.copyOf(expressions);
        columnNames = java.util.Collections.unmodifiableList(new ArrayList<>(columnNames)); // null: keep the name
        if (expressions.size() != columnNames.size() || expressions.isEmpty()) {
            throw new IllegalArgumentException(expressions.size() + " expressions for " + columnNames.size()
                    + " column names");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult result = input.execute(vcursor, bindVars);
        return project(result, result.getFieldsList(), bindVars, true);
    }

    /** Streams the input with every part projected; parts after the first are evaluated with the first's fields. */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        List<List<Field>> fields = new ArrayList<>(1);
        input.stream(vcursor, bindVars, part -> {
            boolean isFirst = fields.isEmpty();
            if (isFirst || part.getFieldsCount() > 0) {
                fields.clear();
                fields.add(part.getFieldsList());
            }
            return sink.accept(project(part, fields.getFirst(), bindVars, isFirst || part.getFieldsCount() > 0));
        });
    }

    /** A result (or a part of one) projected, with the output fields when {@code withFields}. */
    private QueryResult project(QueryResult result, List<Field> fields, Map<String, BindVariable> bindVars,
            boolean withFields) {
        QueryResult.Builder out = result.toBuilder().clearFields().clearRows();
        if (withFields) {
            for (int i = 0; i < expressions.size(); i++) {
                out.addFields(outputField(expressions.get(i), columnNames.get(i), fields, bindVars));
            }
        }
        byte[][] projected = new byte[expressions.size()][];
        for (var row : result.getRowsList()) {
            byte[][] columns = ResultRows.decode(row);
            for (int i = 0; i < projected.length; i++) {
                var value = expressions.get(i).evaluate(columns, fields, bindVars);
                projected[i] = value.isNull() ? null : value.bytes();
            }
            out.addRows(ResultRows.encode(projected));
        }
        return out.build();
    }

    private static Field outputField(Expr expr, String name, List<Field> fields, Map<String, BindVariable> bindVars) {
        if (expr instanceof Expr.Column column && column.offset() < fields.size()) {
            Field field = fields.get(column.offset());
            return name == null ? field : field.toBuilder().setName(name).build();
        }
        return expr.resultType(fields, bindVars).toField(name == null ? expr.toSql() : name);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        List<String> shown = new ArrayList<>(expressions.size());
        for (int i = 0; i < expressions.size(); i++) {
            shown.add(expressions.get(i).toSql() + " as " + columnNames.get(i));
        }
        return PlanDescription.of("Projection", "", "", Map.of("Expressions", shown));
    }
}
