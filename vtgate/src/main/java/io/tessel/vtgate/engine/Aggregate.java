package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * GROUP BY and aggregate functions at vtgate, as Vitess's {@code OrderedAggregate} and
 * {@code ScalarAggregate}: the shards compute partial aggregates (grouped and sorted by the group keys), and
 * this merges them. Each output row is the group's first input row with every aggregate column replaced by
 * the aggregate's value, then cut to {@code truncateColumnCount} columns (0 keeps all; weight-string
 * columns the planner added are usually cut). Rows whose keys are equal under the key's collation (weight
 * strings when given) are one group. A SCALAR aggregate (no GROUP BY) gives exactly one row: with no input
 * rows COUNTs are 0 and every other column NULL.
 */
public record Aggregate(Primitive input, AggregateVariant variant, List<AggregateParam> aggregates,
        List<GroupByParam> groupBy, int truncateColumnCount) implements Primitive {
    public Aggregate {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(variant, "variant");
        aggregates = List.copyOf(aggregates);
        groupBy = List.copyOf(groupBy);
        if (variant == AggregateVariant.SCALAR && !groupBy.isEmpty()) {
            throw new IllegalArgumentException("a SCALAR aggregate has no GROUP BY keys");
        }
        if (truncateColumnCount < 0) {
            throw new IllegalArgumentException("truncateColumnCount " + truncateColumnCount + " is negative");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        List<QueryResult> parts = new ArrayList<>(2);
        GroupStream groups = new GroupStream(parts::add);
        groups.accept(input.execute(vcursor, bindVars));
        groups.finish();
        return Results.concatenate(parts);
    }

    /**
     * Streams the merged groups: the input arrives sorted by the group keys, so a group is finished (and sent)
     * when a row with other keys arrives, and only the open group's accumulators are held. A SCALAR aggregate
     * sends its one row when the input ends.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        GroupStream groups = new GroupStream(sink);
        input.stream(vcursor, bindVars, groups::accept);
        groups.finish();
    }

    /** The state of one streamed aggregation: the input's fields and the group being accumulated. */
    private final class GroupStream {
        private final ResultSink sink;
        private List<Field> fields;
        private List<Accumulator.Spec> specs;
        private NullSafeComparator keys;
        private byte[][] groupFirst;
        private List<Accumulator> accumulators;
        private boolean isFieldsSent;
        private boolean isStopped;

        GroupStream(ResultSink sink) {
            this.sink = sink;
        }

        boolean accept(QueryResult part) {
            if (fields == null) {
                fields = part.getFieldsList();
                specs = aggregates.stream().map(a -> Accumulator.Spec.of(a, fields)).toList();
                keys = variant == AggregateVariant.SCALAR ? null : new NullSafeComparator(groupBy.stream()
                        .map(g -> new NullSafeComparator.Key(g.keyColumn(), g.weightStringColumn(), false)).toList(),
                        fields);
            }
            List<byte[][]> finished = new ArrayList<>();
            for (byte[][] row : ResultRows.decode(part)) {
                if (groupFirst != null && keys != null && !keys.isEqual(groupFirst, row)) {
                    finished.add(closeGroup());
                }
                if (groupFirst == null) {
                    groupFirst = row;
                    accumulators = specs.stream().map(Accumulator::new).toList();
                }
                accumulators.forEach(a -> a.add(row));
            }
            if (finished.isEmpty() && isFieldsSent) {
                return true;
            }
            isStopped = !send(finished);
            return !isStopped;
        }

        void finish() {
            if (isStopped || fields == null) {
                return;
            }
            List<byte[][]> last = new ArrayList<>(1);
            if (groupFirst != null) {
                last.add(closeGroup());
            } else if (variant == AggregateVariant.SCALAR) {
                last.add(emptyGroup(fields.size(), specs));
            }
            if (!last.isEmpty() || !isFieldsSent) {
                send(last);
            }
        }

        private byte[][] closeGroup() {
            byte[][] out = groupFirst.clone();
            accumulators.forEach(a -> a.writeTo(out));
            groupFirst = null;
            return out;
        }

        private boolean send(List<byte[][]> rows) {
            List<Field> partFields = isFieldsSent ? List.of()
                    : Results.truncate(outputFields(fields, specs), truncateColumnCount);
            isFieldsSent = true;
            return sink.accept(Results.of(partFields,
                    rows.stream().map(r -> Results.truncate(r, truncateColumnCount)).toList()));
        }
    }

    private static byte[][] emptyGroup(int width, List<Accumulator.Spec> specs) {
        byte[][] out = new byte[width][];
        specs.forEach(spec -> new Accumulator(spec).writeTo(out));
        return out;
    }

    private static List<Field> outputFields(List<Field> fields, List<Accumulator.Spec> specs) {
        List<Field> out = new ArrayList<>(fields);
        specs.forEach(spec -> out.set(spec.param().column(), spec.outputField()));
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Aggregates", String.join(", ", aggregates.stream().map(AggregateParam::describe).toList()));
        if (!groupBy.isEmpty()) {
            other.put("GroupBy", String.join(", ", groupBy.stream().map(GroupByParam::describe).toList()));
        }
        if (truncateColumnCount > 0) {
            other.put("ResultColumns", truncateColumnCount);
        }
        return PlanDescription.of("Aggregate", variant.description(), "", other);
    }
}
