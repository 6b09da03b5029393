package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sorts its input's rows at vtgate, as Vitess's {@code MemorySort}: a stable sort (rows with equal keys keep
 * their input order) by the {@link OrderBy} keys, NULL first ascending, text by weight string when given.
 * With an {@code upperLimit} (usually {@code :__upper_limit} from a {@link Limit} above) only that many
 * rows are returned. Fails when the input has more rows than {@link VCursor#maxMemoryRows()}.
 *
 * @param upperLimit may be null (keep every row)
 */
public record MemorySort(Primitive input, List<OrderBy> order, PlanValue upperLimit) implements Primitive {
    public MemorySort {
        Objects.requireNonNull(input, "input");
        order = List.copyOf(order);
        if (order.isEmpty()) {
            throw new IllegalArgumentException("MemorySort needs at least one key");
        }
    }

    /** A decoded row beside its packed form, so sorting never re-packs rows. */
    private record Sortable(byte[][] columns, Row row) {}

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult result = input.execute(vcursor, bindVars);
        Results.checkMemory(vcursor, result.getRowsCount());
        return sorted(result, bindVars);
    }

    /**
     * Streams the sorted rows as one part after reading the whole input as a stream: the input's shards have no
     * row limit then, the cursor's memory row limit still holds.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        sink.accept(sorted(Results.collect(input, vcursor, bindVars), bindVars));
    }

    private QueryResult sorted(QueryResult result, Map<String, BindVariable> bindVars) {
        long limit = upperLimit == null ? Long.MAX_VALUE : Limit.resolve(upperLimit, bindVars, "upper limit");
        NullSafeComparator comparator = OrderBy.comparator(order, result.getFieldsList());
        List<Sortable> rows = new ArrayList<>(result.getRowsCount());
        result.getRowsList().forEach(row -> rows.add(new Sortable(ResultRows.decode(row), row)));
        rows.sort(Comparator.comparing(Sortable::columns, comparator));
        int keep = (int) Math.min(limit, rows.size());
        QueryResult.Builder out = result.toBuilder().clearRows();
        rows.subList(0, keep).forEach(s -> out.addRows(s.row()));
        return out.build();
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("OrderBy", OrderBy.describe(order));
        if (upperLimit != null) {
            other.put("UpperLimit", upperLimit.describe());
        }
        return PlanDescription.of("Sort", "Memory", "", other);
    }
}
