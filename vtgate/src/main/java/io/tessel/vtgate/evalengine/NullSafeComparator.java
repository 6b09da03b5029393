package io.tessel.vtgate.evalengine;

import io.tessel.proto.Query.Field;
import io.tessel.vtgate.vindex.Value;
import java.util.Comparator;
import java.util.List;

/**
 * Orders rows (column arrays, {@code null} for SQL NULL) by key columns as MySQL would, NULL first ascending.
 * A key on a text column with a non-binary collation compares the key's weight-string column (the shard's
 * {@code weight_string(col)}, exact for every collation; under a PAD SPACE collation without the weights of
 * the value's trailing spaces, which MariaDB includes) when it has one and both rows carry it; other
 * keys, and text keys without weight strings, compare with {@link ValueComparison}. Immutable.
 */
public final class NullSafeComparator implements Comparator<byte[][]> {
    /** A sort or grouping key: a column, its weight-string column or -1, and its direction. */
    public record Key(int column, int weightStringColumn, boolean isDescending) {}

    private final Key[] keys;
    private final Field[] fields;
    private final boolean[] usesWeightString;
    private final int[] collations;

    public NullSafeComparator(List<Key> keys, List<Field> fields) {
        this.keys = keys.toArray(Key[]::new);
        this.fields = new Field[this.keys.length];
        this.usesWeightString = new boolean[this.keys.length];
        this.collations = new int[this.keys.length];
        for (int i = 0; i < this.keys.length; i++) {
            Key key = this.keys[i];
            Field field = fieldAt(fields, key.column());
            this.fields[i] = field;
            this.collations[i] = ValueComparison.collationOf(field, field);
            this.usesWeightString[i] = key.weightStringColumn() >= 0 && ValueComparison.isText(field.getType())
                    && !Collations.isBinary(collations[i]);
            if (usesWeightString[i]) {
                fieldAt(fields, key.weightStringColumn());
            }
        }
    }

    @Override
    public int compare(byte[][] a, byte[][] b) {
        for (int i = 0; i < keys.length; i++) {
            int cmp = compareKey(i, a, b);
            if (cmp != 0) {
                return keys[i].isDescending() ? -cmp : cmp;
            }
        }
        return 0;
    }

    /** True when the rows have equal keys (the test of GROUP BY and DISTINCT). */
    public boolean isEqual(byte[][] a, byte[][] b) {
        for (int i = 0; i < keys.length; i++) {
            if (compareKey(i, a, b) != 0) {
                return false;
            }
        }
        return true;
    }

    private int compareKey(int i, byte[][] a, byte[][] b) {
        int column = keys[i].column();
        byte[] x = a[column];
        byte[] y = b[column];
        if (x == null || y == null) {
            return Boolean.compare(x != null, y != null);
        }
        if (usesWeightString[i]) {
            byte[] weightX = a[keys[i].weightStringColumn()];
            byte[] weightY = b[keys[i].weightStringColumn()];
            if (weightX != null && weightY != null) {
                if (!Collations.isNoPad(collations[i])) {
                    weightX = Collations.withoutTrailingSpaceWeights(weightX, x);
                    weightY = Collations.withoutTrailingSpaceWeights(weightY, y);
                }
                return Collations.compareBytes(weightX, weightY);
            }
        }
        Field field = fields[i];
        return ValueComparison.compare(new Value(field.getType(), x),
                new Value(field.getType(), y), collations[i]);
    }

    private static Field fieldAt(List<Field> fields, int column) {
        if (column < 0 || column >= fields.size()) {
            throw new IllegalStateException("BUG: key column " + column + " outside the " + fields.size()
                    + " fields of the input");
        }
        return fields.get(column);
    }
}
