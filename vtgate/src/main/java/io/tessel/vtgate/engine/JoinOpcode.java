package io.tessel.vtgate.engine;

/** The kinds of {@link Join}. */
public enum JoinOpcode {
    /** Only left rows with at least one right row. */
    INNER("Join"),
    /** Every left row; one with NULL right columns when the right side has no row for it. */
    LEFT("LeftJoin");

    private final String description;

    JoinOpcode(String description) {
        this.description = description;
    }

    /** The variant's name in plan descriptions, as Vitess writes it. */
    public String description() {
        return description;
    }
}
