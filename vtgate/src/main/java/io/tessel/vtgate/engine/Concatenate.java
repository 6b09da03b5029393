package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.Map;

/**
 * UNION ALL at vtgate, as Vitess's {@code Concatenate}: runs each source in order and returns all their rows
 * under the first source's fields, with their {@code rows_affected} summed. UNION (DISTINCT) is this under a
 * {@link Distinct}. Sources must have as many columns as the first; column types are not unified across
 * sources (each source's values keep their text form).
 */
public record Concatenate(List<Primitive> sources) implements Primitive {
    public Concatenate {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("Concatenate needs at least one source");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult.Builder out = null;
        long rowsAffected = 0;
        for (Primitive source : sources) {
            QueryResult result = source.execute(vcursor, bindVars);
            if (out == null) {
                out = QueryResult.newBuilder().addAllFields(result.getFieldsList());
            } else if (result.getFieldsCount() != out.getFieldsCount()) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT,
                        "The used SELECT statements have a different number of columns");
            }
            Results.checkMemory(vcursor, (long) out.getRowsCount() + result.getRowsCount());
            out.addAllRows(result.getRowsList());
            rowsAffected += result.getRowsAffected();
        }
        return out.setRowsAffected(rowsAffected).build();
    }

    @Override
    public List<Primitive> inputs() {
        return sources;
    }

    @Override
    public PlanDescription describe() {
        return PlanDescription.of("Concatenate", "", "", Map.of());
    }
}
