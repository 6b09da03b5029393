package io.tessel.vtgate.engine;

/** A column {@link Distinct} compares rows on, with its {@code weight_string()} column (-1 if none). */
public record DistinctColumn(int column, int weightStringColumn) {
    public DistinctColumn {
        if (column < 0 || weightStringColumn < -1) {
            throw new IllegalArgumentException("bad distinct column " + column + " weight string " + weightStringColumn);
        }
    }

    /** A column without weight string. */
    public static DistinctColumn of(int column) {
        return new DistinctColumn(column, -1);
    }

    /** {@code 0} or {@code (0|2)}: how plan descriptions show it. */
    public String describe() {
        return weightStringColumn >= 0 ? "(" + column + "|" + weightStringColumn + ")" : String.valueOf(column);
    }
}
