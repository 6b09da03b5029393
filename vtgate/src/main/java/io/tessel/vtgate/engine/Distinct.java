package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Removes duplicate rows at vtgate (SELECT DISTINCT over shards, UNION): keeps the first row of each set of
 * rows equal on {@code columns}, in input order. Equality is MySQL's: numbers by value, text under its
 * collation (weight strings when given), NULL equal to NULL. The input need not be sorted (an ordered set
 * under the same comparison holds the rows seen); fails when that set would exceed
 * {@link VCursor#maxMemoryRows()}. An empty {@code columns} list means every column. Output rows are cut to
 * {@code truncateColumnCount} columns (0 keeps all).
 */
public record Distinct(Primitive input, List<DistinctColumn> columns, int truncateColumnCount) implements Primitive {
    public Distinct {
        Objects.requireNonNull(input, "input");
        columns = List.copyOf(columns);
        if (truncateColumnCount < 0) {
            throw new IllegalArgumentException("truncateColumnCount " + truncateColumnCount + " is negative");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult result = input.execute(vcursor, bindVars);
        return unseen(vcursor, result, new TreeSet<>(comparator(result.getFieldsList())), true);
    }

    /** Streams each part's rows not seen before; the set of rows seen is what it holds. */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        List<TreeSet<byte[][]>> seen = new ArrayList<>(1); // made with the first part's fields
        input.stream(vcursor, bindVars, part -> {
            boolean isFirst = seen.isEmpty();
            if (isFirst) {
                seen.add(new TreeSet<>(comparator(part.getFieldsList())));
            }
            QueryResult out = unseen(vcursor, part, seen.getFirst(), isFirst);
            return (!isFirst && out.getRowsCount() == 0) || sink.accept(out);
        });
    }

    /** The rows of {@code part} not in {@code seen} (added to it), cut; with the cut fields when asked. */
    private QueryResult unseen(VCursor vcursor, QueryResult part, TreeSet<byte[][]> seen, boolean withFields) {
        List<Row> kept = new ArrayList<>();
        for (Row row : part.getRowsList()) {
            if (seen.add(ResultRows.decode(row))) {
                Results.checkMemory(vcursor, seen.size());
                kept.add(Results.truncate(row, truncateColumnCount));
            }
        }
        QueryResult.Builder out = part.toBuilder().clearFields().clearRows().addAllRows(kept);
        if (withFields) {
            out.addAllFields(Results.truncate(part.getFieldsList(), truncateColumnCount));
        }
        return out.build();
    }

    private NullSafeComparator comparator(List<Field> fields) {
        List<NullSafeComparator.Key> keys = new ArrayList<>();
        if (columns.isEmpty()) {
            int width = truncateColumnCount > 0 ? Math.min(truncateColumnCount, fields.size()) : fields.size();
            for (int i = 0; i < width; i++) {
                keys.add(new NullSafeComparator.Key(i, -1, false));
            }
        } else {
            columns.forEach(c -> keys.add(new NullSafeComparator.Key(c.column(), c.weightStringColumn(), false)));
        }
        return new NullSafeComparator(keys, fields);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        if (!columns.isEmpty()) {
            other.put("Columns", columns.stream().map(DistinctColumn::describe).toList());
        }
        if (truncateColumnCount > 0) {
            other.put("ResultColumns", truncateColumnCount);
        }
        return PlanDescription.of("Distinct", "", "", other);
    }
}
