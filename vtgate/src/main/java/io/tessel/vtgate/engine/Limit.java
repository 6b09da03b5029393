package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code LIMIT [offset,] count} at vtgate, as Vitess's {@code Limit}: keeps rows {@code offset} to
 * {@code offset + count - 1} of its input. Count and offset are resolved per execution (usually bind variables
 * the normalizer made of the literals); each must be a non-negative integer. The input runs with
 * {@link #UPPER_LIMIT_VAR} = offset + count bound, so a {@link MemorySort} below can keep only that many rows.
 *
 * @param offset may be null (no offset)
 */
public record Limit(Primitive input, PlanValue count, PlanValue offset) implements Primitive {
    /** The bind variable a Limit sets for its input: the most rows it will use (offset + count). */
    public static final String UPPER_LIMIT_VAR = "__upper_limit";

    public Limit {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(count, "count");
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        long rowCount = resolve(count, bindVars, "count");
        long skip = offset == null ? 0 : resolve(offset, bindVars, "offset");
        long upper = skip + rowCount < 0 ? Long.MAX_VALUE : skip + rowCount;
        QueryResult result = input.execute(vcursor,
                Results.with(bindVars, Map.of(UPPER_LIMIT_VAR, PlanValue.toBindVariable(Value.ofInt64(upper)))));
        int size = result.getRowsCount();
        int from = (int) Math.min(skip, size);
        int to = (int) Math.min(upper, size);
        if (from == 0 && to == size) {
            return result;
        }
        return result.toBuilder().clearRows().addAllRows(result.getRowsList().subList(from, to)).build();
    }

    /**
     * Streams rows {@code offset} to {@code offset + count - 1} of the input's stream and stops the input once
     * it has them. The fields part always passes, so {@code LIMIT 0} still describes its columns.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        long rowCount = resolve(count, bindVars, "count");
        long skip = offset == null ? 0 : resolve(offset, bindVars, "offset");
        long upper = skip + rowCount < 0 ? Long.MAX_VALUE : skip + rowCount;
        long[] seen = {0};
        input.stream(vcursor, Results.with(bindVars, Map.of(UPPER_LIMIT_VAR,
                PlanValue.toBindVariable(Value.ofInt64(upper)))), part -> {
            long first = seen[0];
            int size = part.getRowsCount();
            seen[0] += size;
            int from = (int) Math.max(0, Math.min(size, skip - first));
            int to = (int) Math.max(0, Math.min(size, upper - first));
            QueryResult kept = from == 0 && to == size ? part
                    : part.toBuilder().clearRows().addAllRows(part.getRowsList().subList(from, to)).build();
            if ((kept.getFieldsCount() > 0 || kept.getRowsCount() > 0) && !sink.accept(kept)) {
                return false;
            }
            return seen[0] < upper;
        });
    }

    /**
     * A LIMIT value as a non-negative integer.
     *
     * @throws VtException INVALID_ARGUMENT for NULL, a negative number or a value that is not an integer
     */
    static long resolve(PlanValue planValue, Map<String, BindVariable> bindVars, String what) {
        Value value = planValue.resolve(bindVars);
        try {
            if (value.isNull()) {
                throw new NumberFormatException("NULL");
            }
            long number = value.toUint64();
            return number < 0 ? Long.MAX_VALUE : number;
        } catch (VtException | NumberFormatException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "LIMIT " + what + " must be a non-negative integer, got " + value);
        }
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Count", count.describe());
        if (offset != null) {
            other.put("Offset", offset.describe());
        }
        return PlanDescription.of("Limit", "", "", other);
    }
}
