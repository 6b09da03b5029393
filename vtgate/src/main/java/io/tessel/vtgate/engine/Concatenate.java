package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * UNION ALL at vtgate, as Vitess's {@code Concatenate}: runs each source in order and returns all their rows
 * under the first source's fields, with their {@code rows_affected} summed. UNION (DISTINCT) is this under a
 * {@link Distinct}. Sources must have as many columns as the first; a column mixing DECIMAL and integer sources
 * becomes DECIMAL with the widest scale, as in MySQL; other mixes keep the first source's type and each
 * value's text.
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
        List<QueryResult> results = new ArrayList<>(sources.size());
        long rows = 0;
        for (Primitive source : sources) {
            QueryResult result = source.execute(vcursor, bindVars);
            if (!results.isEmpty() && result.getFieldsCount() != results.getFirst().getFieldsCount()) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT,
                        "The used SELECT statements have a different number of columns");
            }
            rows += result.getRowsCount();
            Results.checkMemory(vcursor, rows);
            results.add(result);
        }
        List<Field> fields = new ArrayList<>(results.getFirst().getFieldsList());
        int[] decimalScale = new int[fields.size()];
        boolean isRescaled = unifyDecimals(results, fields, decimalScale);
        QueryResult.Builder out = QueryResult.newBuilder().addAllFields(fields);
        long rowsAffected = 0;
        for (QueryResult result : results) {
            if (isRescaled) {
                result.getRowsList().forEach(row -> out.addRows(rescale(row, decimalScale)));
            } else {
                out.addAllRows(result.getRowsList());
            }
            rowsAffected += result.getRowsAffected();
        }
        return out.setRowsAffected(rowsAffected).build();
    }

    /**
     * MySQL's UNION type for a column whose sources mix DECIMAL and integers: DECIMAL with the most decimals of
     * any source, so {@code -96} from an INT side reads {@code -96.00} beside a DECIMAL(10,2) side. Fills
     * {@code scale} (-1 for columns left alone) and returns whether any column changes. Other mixes keep the
     * first source's type and every value's text.
     */
    private static boolean unifyDecimals(List<QueryResult> results, List<Field> fields, int[] scale) {
        boolean isAny = false;
        for (int c = 0; c < fields.size(); c++) {
            scale[c] = -1;
            boolean hasDecimal = false;
            boolean isNumeric = true;
            boolean isMixed = false;
            Field widest = null;
            for (QueryResult r : results) {
                Field f = r.getFields(c);
                Type t = f.getType();
                isNumeric &= t == Type.DECIMAL || isIntegral(t);
                isMixed |= t != fields.get(c).getType() || f.getDecimals() != fields.get(c).getDecimals();
                if (t == Type.DECIMAL && (widest == null || f.getDecimals() > widest.getDecimals())) {
                    widest = f;
                    hasDecimal = true;
                }
            }
            if (hasDecimal && isNumeric && isMixed) {
                fields.set(c, widest.toBuilder().setName(fields.get(c).getName()).build());
                scale[c] = widest.getDecimals();
                isAny = true;
            }
        }
        return isAny;
    }

    /** Integer types carry Vitess's IS_INTEGRAL flag (256) in their type number. */
    private static boolean isIntegral(Type t) {
        return t != Type.UNRECOGNIZED && (t.getNumber() & 256) != 0;
    }

    private static Row rescale(Row row, int[] scale) {
        byte[][] columns = ResultRows.decode(row);
        for (int c = 0; c < columns.length; c++) {
            if (scale[c] >= 0 && columns[c] != null) {
                BigDecimal value = new BigDecimal(new String(columns[c], StandardCharsets.US_ASCII));
                columns[c] = value.setScale(scale[c], RoundingMode.HALF_UP).toPlainString().getBytes(StandardCharsets.US_ASCII);
            }
        }
        return ResultRows.encode(columns);
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
