package io.tessel.vttablet.pool;

/** The tablet's three connection pools: autocommit queries, open transactions, and streaming reads. */
public enum PoolKind {
    QUERY("query"),
    TRANSACTION("transaction"),
    STREAM("stream");

    private final String label;

    PoolKind(String label) {
        this.label = label;
    }

    /** The lower-case name used in pool names, logs and error messages. */
    public String label() {
        return label;
    }
}
