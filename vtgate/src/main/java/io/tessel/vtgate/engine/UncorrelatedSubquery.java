package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An uncorrelated subquery run first, its result bound for the outer query, as Vitess's
 * {@code UncorrelatedSubquery} (pullout subquery):
 * <ul>
 *   <li>VALUE binds {@code resultName} to the one value (NULL for no row; more than one row fails with
 *       "Subquery returns more than 1 row");</li>
 *   <li>IN and NOT_IN bind {@code resultName} to a TUPLE of the first column's values and
 *       {@code hasValuesName} to INT64 1, or for no rows to a one-NULL tuple (so {@code IN ::list} stays
 *       valid SQL) and 0;</li>
 *   <li>EXISTS binds {@code resultName} to INT64 1 when there is a row, else 0.</li>
 * </ul>
 *
 * @param hasValuesName used by IN and NOT_IN only; may be null for the others
 */
public record UncorrelatedSubquery(SubqueryOpcode opcode, String resultName, String hasValuesName,
        Primitive subquery, Primitive outer) implements Primitive {
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();

    public UncorrelatedSubquery {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(resultName, "resultName");
        Objects.requireNonNull(subquery, "subquery");
        Objects.requireNonNull(outer, "outer");
        if ((opcode == SubqueryOpcode.IN || opcode == SubqueryOpcode.NOT_IN) && hasValuesName == null) {
            throw new IllegalArgumentException(opcode + " needs a has-values bind var name");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult result = subquery.execute(vcursor, bindVars);
        Map<String, BindVariable> extra = new HashMap<>();
        switch (opcode) {
            case VALUE -> extra.put(resultName, value(result));
            case IN, NOT_IN -> {
                oneColumn(result);
                extra.put(resultName, list(result));
                extra.put(hasValuesName, int64(result.getRowsCount() > 0 ? 1 : 0));
            }
            case EXISTS -> extra.put(resultName, int64(result.getRowsCount() > 0 ? 1 : 0));
        }
        return outer.execute(vcursor, Results.with(bindVars, extra));
    }

    private static BindVariable value(QueryResult result) {
        oneColumn(result);
        if (result.getRowsCount() > 1) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_SUBQUERY_NO_1_ROW,
                    "Subquery returns more than 1 row");
        }
        if (result.getRowsCount() == 0) {
            return NULL;
        }
        byte[] value = ResultRows.decode(result.getRows(0))[0];
        return value == null ? NULL : BindVariable.newBuilder().setType(result.getFields(0).getType())
                .setValue(ByteString.copyFrom(value)).build();
    }

    private static BindVariable list(QueryResult result) {
        BindVariable.Builder tuple = BindVariable.newBuilder().setType(Type.TUPLE);
        List<Query.Value> values = new ArrayList<>(Math.max(1, result.getRowsCount()));
        Type type = result.getFields(0).getType();
        for (byte[][] row : ResultRows.decode(result)) {
            values.add(row[0] == null ? Value.NULL.toProto() : new Value(type, row[0]).toProto());
        }
        if (values.isEmpty()) {
            values.add(Value.NULL.toProto());
        }
        return tuple.addAllValues(values).build();
    }

    private static void oneColumn(QueryResult result) {
        if (result.getFieldsCount() != 1) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_OPERAND_COLUMNS,
                    "Operand should contain 1 column(s)");
        }
    }

    private static BindVariable int64(long value) {
        return PlanValue.toBindVariable(Value.ofInt64(value));
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(subquery, outer);
    }

    @Override
    public PlanDescription describe() {
        List<String> vars = hasValuesName == null ? List.of(resultName) : List.of(resultName, hasValuesName);
        return PlanDescription.of("UncorrelatedSubquery", opcode.description(), "", Map.of("PulloutVars", vars));
    }
}
