package io.tessel.vtgate.engine;

import java.util.Objects;

/**
 * One aggregate of an {@link Aggregate}: the function, the input column it reads (and writes in the output
 * row), the column holding that column's {@code weight_string()} for MIN, MAX and the DISTINCT functions
 * over text (-1 if none), and the output column name (null keeps the input's).
 */
public record AggregateParam(AggregateOpcode opcode, int column, int weightStringColumn, String alias) {
    public AggregateParam {
        Objects.requireNonNull(opcode, "opcode");
        if (column < 0 || weightStringColumn < -1) {
            throw new IllegalArgumentException("bad aggregate column " + column + " weight string " + weightStringColumn);
        }
    }

    /** An aggregate without weight-string column. */
    public AggregateParam(AggregateOpcode opcode, int column, String alias) {
        this(opcode, column, -1, alias);
    }

    /** {@code sum(0) AS total}, {@code max(1|3)}: how plan descriptions show it. */
    public String describe() {
        String source = weightStringColumn >= 0 ? column + "|" + weightStringColumn : String.valueOf(column);
        return opcode.description() + "(" + source + ")" + (alias == null ? "" : " AS " + alias);
    }
}
