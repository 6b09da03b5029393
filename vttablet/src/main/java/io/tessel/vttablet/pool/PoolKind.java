package io.tessel.vttablet.pool;

/**
 * The tablet's connection pools: autocommit queries, open transactions and streaming reads, plus, as in
 * Vitess, found-rows variants of the first two for clients that asked for CLIENT_FOUND_ROWS (an UPDATE
 * then counts matched rows instead of changed ones; the flag is fixed per connection at handshake), and
 * a small DBA pool for the tablet's own statements, such as {@code KILL QUERY} for a statement past the
 * query timeout.
 */
public enum PoolKind {
    QUERY("query", false),
    TRANSACTION("transaction", false),
    STREAM("stream", false),
    FOUND_ROWS_QUERY("found-rows query", true),
    FOUND_ROWS_TRANSACTION("found-rows transaction", true),
    DBA("dba", false);

    private final String label;
    private final boolean isFoundRows;

    PoolKind(String label, boolean isFoundRows) {
        this.label = label;
        this.isFoundRows = isFoundRows;
    }

    /** The lower-case name used in pool names, logs and error messages. */
    public String label() {
        return label;
    }

    /** True for pools whose connections report found (matched) rows instead of affected rows. */
    public boolean isFoundRows() {
        return isFoundRows;
    }

    /** True for pools that hold connections for the life of a transaction. */
    public boolean isTransactional() {
        return this == TRANSACTION || this == FOUND_ROWS_TRANSACTION;
    }

    /** The query or transaction pool kind for a request's client_found_rows option. */
    public static PoolKind query(boolean isFoundRows) {
        return isFoundRows ? FOUND_ROWS_QUERY : QUERY;
    }

    public static PoolKind transaction(boolean isFoundRows) {
        return isFoundRows ? FOUND_ROWS_TRANSACTION : TRANSACTION;
    }
}
