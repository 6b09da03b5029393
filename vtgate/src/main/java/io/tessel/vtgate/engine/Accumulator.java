package io.tessel.vtgate.engine;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.evalengine.Collations;
import io.tessel.vtgate.evalengine.DoubleText;
import io.tessel.vtgate.evalengine.NullSafeComparator;
import io.tessel.vtgate.evalengine.Numbers;
import io.tessel.vtgate.evalengine.NumericOps;
import io.tessel.vtgate.evalengine.ResultType;
import io.tessel.vtgate.vindex.Value;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The running state of one aggregate over one group of an {@link Aggregate}. Created per group from a
 * {@link Spec} made once per execution; used by one thread.
 */
final class Accumulator {
    /** What an aggregate needs to know about its input, worked out once per execution. Immutable. */
    record Spec(AggregateParam param, Field inputField, NullSafeComparator comparator, boolean isDoubleSum) {
        static Spec of(AggregateParam param, List<Field> fields) {
            if (param.column() >= fields.size() || param.weightStringColumn() >= fields.size()) {
                throw new IllegalStateException("BUG: aggregate " + param.describe() + " outside the "
                        + fields.size() + " input fields");
            }
            Field input = fields.get(param.column());
            var key = new NullSafeComparator.Key(param.column(), param.weightStringColumn(), false);
            boolean isDouble = !Numbers.isIntegral(input.getType()) && input.getType() != Type.DECIMAL;
            return new Spec(param, input, new NullSafeComparator(List.of(key), fields), isDouble);
        }

        /** The output field: COUNTs are BIGINT, SUMs DECIMAL (or DOUBLE), the others keep the input's type. */
        Field outputField() {
            Field.Builder out = inputField.toBuilder();
            switch (param.opcode()) {
                case COUNT, COUNT_STAR, COUNT_DISTINCT -> out.setType(Type.INT64).setDecimals(0)
                        .setCharset(Collations.BINARY).setColumnLength(21).setFlags(0);
                case SUM, SUM_DISTINCT -> out.setType(isDoubleSum ? Type.FLOAT64 : Type.DECIMAL)
                        .setDecimals(isDoubleSum ? ResultType.NOT_FIXED_DEC : decimals())
                        .setCharset(Collations.BINARY).setFlags(0);
                default -> { }
            }
            if (param.alias() != null) {
                out.setName(param.alias());
            }
            return out.build();
        }

        int decimals() {
            return inputField.getType() == Type.DECIMAL
                    ? Math.min(NumericOps.MAX_DECIMAL_SCALE, inputField.getDecimals()) : 0;
        }
    }

    private final Spec spec;
    private long count;
    private BigDecimal decimalSum;
    private double doubleSum;
    private boolean hasSum;
    private byte[][] chosen;
    private ByteArrayOutputStream concat;

    Accumulator(Spec spec) {
        this.spec = spec;
    }

    void add(byte[][] row) {
        byte[] value = row[spec.param().column()];
        switch (spec.param().opcode()) {
            case COUNT, COUNT_STAR -> count += value == null ? 0 : number(value).toBigDecimal().longValue();
            case SUM -> addToSum(value);
            case MIN, MAX -> choose(row);
            case COUNT_DISTINCT, SUM_DISTINCT -> addDistinct(row, value);
            case ANY_VALUE -> chosen = chosen == null ? row : chosen;
            case GROUP_CONCAT -> addToConcat(value);
        }
    }

    /** Writes the aggregate's value (and a MIN/MAX's weight string) into the group's output row. */
    void writeTo(byte[][] out) {
        int column = spec.param().column();
        switch (spec.param().opcode()) {
            case COUNT, COUNT_STAR, COUNT_DISTINCT -> out[column] = ascii(Long.toString(count));
            case SUM, SUM_DISTINCT -> out[column] = sumText();
            case MIN, MAX, ANY_VALUE -> {
                out[column] = chosen == null ? null : chosen[column];
                int weight = spec.param().weightStringColumn();
                if (weight >= 0) {
                    out[weight] = chosen == null ? null : chosen[weight];
                }
            }
            case GROUP_CONCAT -> out[column] = concat == null ? null : concat.toByteArray();
        }
    }

    private void addToSum(byte[] value) {
        if (value == null) {
            return;
        }
        hasSum = true;
        if (spec.isDoubleSum()) {
            doubleSum += number(value).toDouble();
        } else {
            BigDecimal addend = number(value).toBigDecimal();
            decimalSum = decimalSum == null ? addend : decimalSum.add(addend);
        }
    }

    private void choose(byte[][] row) {
        if (row[spec.param().column()] == null) {
            return;
        }
        if (chosen == null) {
            chosen = row;
            return;
        }
        int cmp = spec.comparator().compare(row, chosen);
        if (spec.param().opcode() == AggregateOpcode.MIN ? cmp < 0 : cmp > 0) {
            chosen = row;
        }
    }

    /** Input is sorted by the value within the group, so a new distinct value differs from the last one. */
    private void addDistinct(byte[][] row, byte[] value) {
        if (value == null || chosen != null && spec.comparator().isEqual(chosen, row)) {
            return;
        }
        chosen = row;
        if (spec.param().opcode() == AggregateOpcode.COUNT_DISTINCT) {
            count++;
        } else {
            addToSum(value);
        }
    }

    private void addToConcat(byte[] value) {
        if (value == null) {
            return;
        }
        if (concat == null) {
            concat = new ByteArrayOutputStream();
        } else {
            concat.write(',');
        }
        concat.writeBytes(value);
    }

    private byte[] sumText() {
        if (!hasSum) {
            return null;
        }
        if (spec.isDoubleSum()) {
            return ascii(DoubleText.format(doubleSum));
        }
        int scale = Math.max(spec.decimals(), decimalSum.scale());
        return ascii(decimalSum.setScale(scale).toPlainString());
    }

    private io.tessel.vtgate.evalengine.Numeric number(byte[] value) {
        return Numbers.of(new Value(spec.inputField().getType(), value));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
