package io.tessel.vtgate.engine;

/**
 * One sort key of a merge or memory sort: the result column to compare, the column holding its
 * {@code weight_string()} for collation-aware text comparison (-1 if none), and the direction.
 */
public record OrderBy(int column, int weightStringColumn, boolean isDescending) {
    /** E.g. {@code 0 ASC} or {@code (0|2) DESC} when a weight-string column is used. */
    public String describe() {
        String col = weightStringColumn < 0 ? Integer.toString(column) : "(" + column + "|" + weightStringColumn + ")";
        return col + (isDescending ? " DESC" : " ASC");
    }
}
