package io.tessel.vtgate.engine;

/** A GROUP BY key of an {@link Aggregate}: the key column and its {@code weight_string()} column (-1 if none). */
public record GroupByParam(int keyColumn, int weightStringColumn) {
    public GroupByParam {
        if (keyColumn < 0 || weightStringColumn < -1) {
            throw new IllegalArgumentException("bad group key column " + keyColumn + " weight string "
                    + weightStringColumn);
        }
    }

    /** A key without weight string. */
    public static GroupByParam of(int keyColumn) {
        return new GroupByParam(keyColumn, -1);
    }

    /** {@code 0} or {@code (0|2)}: how plan descriptions show it. */
    public String describe() {
        return weightStringColumn >= 0 ? "(" + keyColumn + "|" + weightStringColumn + ")" : String.valueOf(keyColumn);
    }
}
