package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A nested-loop join at vtgate, as Vitess's {@code Join} (ApplyJoin): the left side runs once, then the right
 * side once per left row with that row's values bound as {@code vars} (bind var name to left column; a NULL
 * stays a NULL bind var). Output columns follow {@code columns} in Vitess's convention: {@code -n} is left
 * column {@code n-1}, {@code +n} right column {@code n-1}. A LEFT join emits a left row with NULL right
 * columns when the right side returns nothing for it. When no right execution gave fields (no left rows)
 * the right side runs once more with NULL vars, for its fields. Fails when the output would exceed {@link VCursor#maxMemoryRows()}.
 */
public record Join(Primitive left, Primitive right, JoinOpcode opcode, List<Integer> columns,
        Map<String, Integer> vars) implements Primitive {
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();
    /** MySQL's NOT_NULL_FLAG: cleared on the right side's fields of a LEFT join, whose columns can be NULL. */
    private static final int NOT_NULL_FLAG = 1;

    public Join {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(opcode, "opcode");
        columns = List.copyOf(columns);
        vars = Map.copyOf(vars);
        if (columns.contains(0)) {
            throw new IllegalArgumentException("join column 0: columns are -n (left n-1) or +n (right n-1)");
        }
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        QueryResult leftResult = left.execute(vcursor, bindVars);
        List<List<Field>> rightFields = new ArrayList<>(1);
        List<byte[][]> out = joinRows(vcursor, bindVars, leftResult, leftResult.getFieldsList(), rightFields);
        return Results.of(outputFields(leftResult.getFieldsList(), rightFieldsOf(vcursor, bindVars, rightFields)), out);
    }

    /**
     * Streams the left side and runs the right side for each of its rows, sending each left part's joined rows
     * as one part. The fields go with the first part that has rows, or alone at the end (from a right-side run
     * with NULL vars) when no left row came.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        List<List<Field>> leftFields = new ArrayList<>(1);
        List<List<Field>> rightFields = new ArrayList<>(1);
        boolean[] isSent = {false, false}; // fields sent, sink stopped
        left.stream(vcursor, bindVars, part -> {
            if (leftFields.isEmpty()) {
                leftFields.add(part.getFieldsList());
            }
            List<byte[][]> out = joinRows(vcursor, bindVars, part, leftFields.getFirst(), rightFields);
            if (out.isEmpty() && (isSent[0] || rightFields.isEmpty())) {
                return true;
            }
            List<Field> fields = isSent[0] ? List.of() : outputFields(leftFields.getFirst(), rightFields.getFirst());
            isSent[0] = true;
            isSent[1] = !sink.accept(Results.of(fields, out));
            return !isSent[1];
        });
        if (!isSent[0] && !isSent[1] && !leftFields.isEmpty()) {
            sink.accept(Results.of(outputFields(leftFields.getFirst(), rightFieldsOf(vcursor, bindVars, rightFields)),
                    List.of()));
        }
    }

    /**
     * The joined rows of {@code leftPart}'s rows, the right side run once per left row; the right side's fields
     * go into {@code rightFields} when it first gives them. Fails past the cursor's memory row limit.
     */
    private List<byte[][]> joinRows(VCursor vcursor, Map<String, BindVariable> bindVars, QueryResult leftPart,
            List<Field> leftFields, List<List<Field>> rightFields) {
        List<byte[][]> out = new ArrayList<>();
        for (byte[][] leftRow : ResultRows.decode(leftPart)) {
            QueryResult rightResult = right.execute(vcursor, Results.with(bindVars, joinVars(leftRow, leftFields)));
            if (rightFields.isEmpty() && rightResult.getFieldsCount() > 0) {
                rightFields.add(rightResult.getFieldsList());
            }
            List<byte[][]> rightRows = ResultRows.decode(rightResult);
            rightRows.forEach(rightRow -> out.add(combine(leftRow, rightRow)));
            if (rightRows.isEmpty() && opcode == JoinOpcode.LEFT) {
                out.add(combine(leftRow, null));
            }
            Results.checkMemory(vcursor, out.size());
        }
        return out;
    }

    /** The right side's fields as a run gave them, else from one more run with NULL vars (no left rows). */
    private List<Field> rightFieldsOf(VCursor vcursor, Map<String, BindVariable> bindVars, List<List<Field>> known) {
        return known.isEmpty() ? right.execute(vcursor, Results.with(bindVars, nullVars())).getFieldsList()
                : known.getFirst();
    }

    private Map<String, BindVariable> joinVars(byte[][] leftRow, List<Field> leftFields) {
        Map<String, BindVariable> out = new HashMap<>();
        vars.forEach((name, column) -> {
            byte[] value = leftRow[column];
            out.put(name, value == null ? NULL : BindVariable.newBuilder()
                    .setType(leftFields.get(column).getType()).setValue(ByteString.copyFrom(value)).build());
        });
        return out;
    }

    private Map<String, BindVariable> nullVars() {
        Map<String, BindVariable> out = new HashMap<>();
        vars.keySet().forEach(name -> out.put(name, NULL));
        return out;
    }

    private byte[][] combine(byte[][] leftRow, byte[][] rightRow) {
        byte[][] row = new byte[columns.size()][];
        for (int i = 0; i < row.length; i++) {
            int c = columns.get(i);
            row[i] = c < 0 ? leftRow[-c - 1] : rightRow == null ? null : rightRow[c - 1];
        }
        return row;
    }

    private List<Field> outputFields(List<Field> leftFields, List<Field> rightFields) {
        List<Field> out = new ArrayList<>(columns.size());
        for (int c : columns) {
            if (c < 0 ? -c > leftFields.size() : c > rightFields.size()) {
                throw new IllegalStateException("BUG: join column " + c + " outside " + leftFields.size()
                        + " left and " + rightFields.size() + " right fields");
            }
            if (c < 0) {
                out.add(leftFields.get(-c - 1));
            } else if (opcode == JoinOpcode.LEFT) {
                Field field = rightFields.get(c - 1);
                out.add(field.toBuilder().setFlags(field.getFlags() & ~NOT_NULL_FLAG).build());
            } else {
                out.add(rightFields.get(c - 1));
            }
        }
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(left, right);
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("JoinColumnIndexes", String.join(",", columns.stream().map(String::valueOf).toList()));
        if (!vars.isEmpty()) {
            other.put("JoinVars", new TreeMap<>(vars));
        }
        return PlanDescription.of("Join", opcode.description(), "", other);
    }
}
