package io.tessel.vttablet.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the tablet's MySQL is and how big its connection pools are. Immutable; the defaults are Vitess's
 * ({@code queryserver-config-pool-size} 16, {@code -transaction-cap} 20, {@code -stream-pool-size} 200,
 * {@code -txpool-timeout} 1 s, {@code -query-pool-waiter-cap} and {@code -txpool-waiter-cap} 5000).
 *
 * @param host          MySQL host
 * @param port          MySQL TCP port
 * @param user          MySQL user
 * @param password      MySQL password, empty for none
 * @param dbName        the database every connection uses by default
 * @param querySize     maximum connections for non-transactional queries
 * @param txSize        maximum connections held by open transactions
 * @param streamSize    maximum connections for streaming queries
 * @param txTimeout     how long Begin waits for a transaction connection before RESOURCE_EXHAUSTED
 * @param poolTimeout   how long Execute and StreamExecute wait for a connection before RESOURCE_EXHAUSTED
 * @param statementTimeout how long MySQL lets a statement on the query or transaction pool run before it
 *                      aborts it (MariaDB {@code max_statement_time}, MySQL {@code max_execution_time});
 *                      zero for no limit; streaming reads have none
 * @param queryWaiterCap most callers waiting for a query-pool connection at once; beyond it a caller fails
 *                      at once with RESOURCE_EXHAUSTED instead of queueing; zero for no cap
 * @param txWaiterCap   the same for the transaction pool
 * @param selectLimit   the session {@code sql_select_limit} of query and transaction connections, so MySQL
 *                      sends at most that many rows of a SELECT (the tablet sets it to the row limit + 1);
 *                      zero for the server's default; stream connections keep the default
 * @param lockWaitTimeout the session {@code innodb_lock_wait_timeout} of query and transaction connections
 *                      (whole seconds); zero for the server's default
 */
public record PoolConfig(String host, int port, String user, String password, String dbName,
                         int querySize, int txSize, int streamSize, Duration txTimeout, Duration poolTimeout,
                         Duration statementTimeout, int queryWaiterCap, int txWaiterCap, long selectLimit,
                         Duration lockWaitTimeout) {
    public static final int DEFAULT_QUERY_SIZE = 16;
    public static final int DEFAULT_TX_SIZE = 20;
    public static final int DEFAULT_STREAM_SIZE = 200;
    /** The DBA pool only sends KILL QUERY; a few connections are plenty. */
    public static final int DBA_SIZE = 4;
    public static final Duration DEFAULT_TX_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_WAITER_CAP = 5000;

    public PoolConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        Objects.requireNonNull(dbName, "dbName");
        if (querySize < 1 || txSize < 1 || streamSize < 1) {
            throw new IllegalArgumentException("pool sizes must be at least 1");
        }
        // HikariCP refuses waits under 250 ms.
        if (txTimeout.toMillis() < 250 || poolTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("pool timeouts must be at least 250ms");
        }
        if (statementTimeout.isNegative() || lockWaitTimeout.isNegative()) {
            throw new IllegalArgumentException("statementTimeout and lockWaitTimeout must not be negative");
        }
        if (queryWaiterCap < 0 || txWaiterCap < 0 || selectLimit < 0) {
            throw new IllegalArgumentException("waiter caps and the select limit must not be negative");
        }
    }

    /** Default pool sizes for a MySQL at host:port. */
    public static PoolConfig of(String host, int port, String user, String password, String dbName) {
        return new PoolConfig(host, port, user, password, dbName, DEFAULT_QUERY_SIZE, DEFAULT_TX_SIZE,
                DEFAULT_STREAM_SIZE, DEFAULT_TX_TIMEOUT, DEFAULT_POOL_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT,
                DEFAULT_WAITER_CAP, DEFAULT_WAITER_CAP, 0, Duration.ZERO);
    }

    public PoolConfig withSizes(int querySize, int txSize, int streamSize) {
        return new PoolConfig(host, port, user, password, dbName, querySize, txSize, streamSize, txTimeout, poolTimeout,
                statementTimeout, queryWaiterCap, txWaiterCap, selectLimit, lockWaitTimeout);
    }

    public PoolConfig withTxTimeout(Duration timeout) {
        return new PoolConfig(host, port, user, password, dbName, querySize, txSize, streamSize, timeout, poolTimeout,
                statementTimeout, queryWaiterCap, txWaiterCap, selectLimit, lockWaitTimeout);
    }

    public PoolConfig withStatementTimeout(Duration timeout) {
        return new PoolConfig(host, port, user, password, dbName, querySize, txSize, streamSize, txTimeout, poolTimeout,
                timeout, queryWaiterCap, txWaiterCap, selectLimit, lockWaitTimeout);
    }

    /** The waiter cap of a pool kind; zero (no cap) for the stream and DBA pools. */
    public int waiterCap(PoolKind kind) {
        return switch (kind) {
            case QUERY, FOUND_ROWS_QUERY -> queryWaiterCap;
            case TRANSACTION, FOUND_ROWS_TRANSACTION -> txWaiterCap;
            case STREAM, DBA -> 0;
        };
    }

    @Override
    public String toString() {
        // Never print the password.
        return "PoolConfig[" + user + "@" + host + ":" + port + "/" + dbName + ", query=" + querySize + ", tx=" + txSize
                + ", stream=" + streamSize + ", txTimeout=" + txTimeout + ", poolTimeout=" + poolTimeout
                + ", statementTimeout=" + statementTimeout + ", waiterCaps=" + queryWaiterCap + "/" + txWaiterCap + ", selectLimit=" + selectLimit
                + ", lockWaitTimeout=" + lockWaitTimeout + "]";
    }
}
