package io.tessel.vttablet.pool;

import java.sql.Connection;

/**
 * A connection borrowed from one of the {@link DbPools}, remembering its pool and whether it may be
 * broken. Not thread-safe: one caller uses it at a time (a transaction's lock hands it between RPCs), and
 * {@link DbPools#giveBack} returns it exactly once.
 */
public final class DbConn {
    private final PoolKind kind;
    private final Connection connection;
    private boolean isBroken;

    DbConn(PoolKind kind, Connection connection) {
        this.kind = kind;
        this.connection = connection;
    }

    public PoolKind kind() {
        return kind;
    }

    /** The pooled JDBC connection; callers must not close it themselves. */
    public Connection connection() {
        return connection;
    }

    /** Marks the connection unusable (dead link, half-read stream): it is dropped instead of pooled. */
    public void markBroken() {
        isBroken = true;
    }

    public boolean isBroken() {
        return isBroken;
    }
}
