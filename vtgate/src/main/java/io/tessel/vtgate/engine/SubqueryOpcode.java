package io.tessel.vtgate.engine;

/** What an {@link UncorrelatedSubquery} binds its subquery's result as. */
public enum SubqueryOpcode {
    /** A scalar subquery: its one value (NULL for no row; more than one row is an error). */
    VALUE("PulloutValue"),
    /** {@code x IN (subquery)}: a list of the first column's values plus a has-values flag. */
    IN("PulloutIn"),
    /** {@code x NOT IN (subquery)}: as IN. */
    NOT_IN("PulloutNotIn"),
    /** {@code EXISTS (subquery)}: 1 when it returned a row, else 0. */
    EXISTS("PulloutExists");

    private final String description;

    SubqueryOpcode(String description) {
        this.description = description;
    }

    /** The variant's name in plan descriptions, as Vitess writes it. */
    public String description() {
        return description;
    }
}
