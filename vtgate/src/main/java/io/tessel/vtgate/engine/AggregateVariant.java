package io.tessel.vtgate.engine;

/** How {@link Aggregate} forms groups. */
public enum AggregateVariant {
    /** GROUP BY over input sorted by the group keys: a group ends where the keys change. */
    ORDERED("Ordered"),
    /** No GROUP BY: one group of every row, and exactly one output row even for no input. */
    SCALAR("Scalar");

    private final String description;

    AggregateVariant(String description) {
        this.description = description;
    }

    /** The variant's name in plan descriptions, as Vitess writes it. */
    public String description() {
        return description;
    }
}
