package io.tessel.vttablet;

import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.pool.PoolConfig;
import io.tessel.vttablet.txserializer.HotRowConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one vttablet needs: its identity (alias, keyspace, shard, type), its MySQL, where it serves
 * gRPC, its pool limits and its protections (row limits, timeouts, consolidation, hot-row protection).
 * Immutable; build one with {@link #builder(String, String)} (defaults equal
 * the daemon's flag defaults) or from the command line through {@link VtTablet}.
 *
 * @param tabletAlias    cell-uid, e.g. {@code zone1-100}
 * @param keyspace       the keyspace this tablet serves
 * @param shard          the shard name, e.g. {@code 0} or {@code -80}
 * @param tabletType     PRIMARY, REPLICA or RDONLY
 * @param dbName         the MySQL database behind the keyspace
 * @param mysqlHost      MySQL host
 * @param mysqlPort      MySQL port
 * @param mysqlUser      MySQL user
 * @param mysqlPassword  MySQL password, empty for none
 * @param grpcPort       gRPC port, 0 for any free port
 * @param bindAddress    address the gRPC server binds
 * @param poolSize       query pool size
 * @param transactionCap transaction pool size: the most transactions open at once
 * @param streamPoolSize stream pool size
 * @param txPoolTimeout  how long Begin waits for a transaction connection
 * @param transactionTimeout how long a transaction may stay open before it is rolled back; zero for never
 * @param queryTimeout   how long a non-streaming statement may run before the tablet kills it on MySQL
 *                       (KILL QUERY) and fails it with DEADLINE_EXCEEDED; zero for no limit
 * @param lockWaitTimeout how long InnoDB lets a statement wait for a row lock before failing it with 1205
 *                       ({@code innodb_lock_wait_timeout}, whole seconds); below the query timeout, so a lock
 *                       wait ends as the error MySQL clients retry, not as a kill; zero for half the query
 *                       timeout (see {@link #effectiveLockWaitTimeout()})
 * @param maxResultSize  most rows a non-streaming OLTP Execute may return; 0 for no limit
 * @param warnResultSize results with more rows than this are counted ({@code vttablet_results_warn_size_exceeded_total}); 0 for off
 * @param queryPoolTimeout how long Execute and StreamExecute wait for a connection; zero for the query
 *                       timeout (or {@link PoolConfig#DEFAULT_POOL_TIMEOUT} when that is zero too)
 * @param queryPoolWaiterCap most callers waiting for a query-pool connection; more fail at once; 0 for no cap
 * @param txPoolWaiterCap most callers waiting for a transaction-pool connection; 0 for no cap
 * @param consolidator   when identical reads share one execution
 * @param hotRows        hot-row protection (transaction serializer)
 * @param twopcEnable    whether the tablet takes part in atomic (TWOPC) distributed transactions: XA branches,
 *                       and the decision records in {@code _vt} it keeps as metadata manager
 */
public record TabletConfig(String tabletAlias, String keyspace, String shard, TabletType tabletType, String dbName,
                           String mysqlHost, int mysqlPort, String mysqlUser, String mysqlPassword,
                           int grpcPort, String bindAddress,
                           int poolSize, int transactionCap, int streamPoolSize, Duration txPoolTimeout,
                           Duration transactionTimeout, Duration queryTimeout, Duration lockWaitTimeout, int maxResultSize,
                           int warnResultSize, Duration queryPoolTimeout, int queryPoolWaiterCap, int txPoolWaiterCap,
                           ConsolidatorConfig consolidator, HotRowConfig hotRows, boolean twopcEnable) {
    public static final int DEFAULT_GRPC_PORT = 16100;
    public static final int DEFAULT_MAX_RESULT_SIZE = 10_000;
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * MySQL's own statement timeout is set this much above the query timeout: the tablet kills a statement
     * with KILL QUERY at the timeout, and the server aborts it by itself if the kill cannot be sent.
     */
    public static final Duration SERVER_TIMEOUT_MARGIN = Duration.ofSeconds(1);
    private static final Duration MIN_POOL_TIMEOUT = Duration.ofMillis(250);

    public TabletConfig {
        parseAlias(tabletAlias);
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(tabletType, "tabletType");
        dbName = dbName == null || dbName.isEmpty() ? keyspace : dbName;
        mysqlPassword = mysqlPassword == null ? "" : mysqlPassword;
        Objects.requireNonNull(txPoolTimeout, "txPoolTimeout");
        if (transactionTimeout.isNegative() || queryTimeout.isNegative() || queryPoolTimeout.isNegative()
                || lockWaitTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
        if (!lockWaitTimeout.isZero() && !queryTimeout.isZero() && lockWaitTimeout.compareTo(queryTimeout) >= 0) {
            throw new IllegalArgumentException("the lock wait timeout (" + lockWaitTimeout + ") must be below the query "
                    + "timeout (" + queryTimeout + "): a longer lock wait is killed (1317) instead of failing with 1205");
        }
        if (maxResultSize < 0 || warnResultSize < 0) {
            throw new IllegalArgumentException("result sizes must not be negative");
        }
        Objects.requireNonNull(consolidator, "consolidator");
        Objects.requireNonNull(hotRows, "hotRows");
    }

    /** A config with every default, for a tablet of this alias serving shard 0 of this keyspace. */
    public static Builder builder(String tabletAlias, String keyspace) {
        return new Builder(tabletAlias, keyspace);
    }

    /** The alias as the proto, e.g. {@code zone1-100} as cell zone1, uid 100. */
    public TabletAlias alias() {
        return parseAlias(tabletAlias);
    }

    /** Log prefix with component and identity, e.g. {@code vttablet zone1-100 commerce/0}. */
    public String logPrefix() {
        return "vttablet " + tabletAlias + " " + keyspace + "/" + shard;
    }

    /**
     * The pools' settings: MySQL's own statement timeout a margin above the query timeout, and the session's
     * {@code sql_select_limit} one above the row limit.
     */
    public PoolConfig poolConfig() {
        Duration serverTimeout = queryTimeout.isZero() ? Duration.ZERO : queryTimeout.plus(SERVER_TIMEOUT_MARGIN);
        return new PoolConfig(mysqlHost, mysqlPort, mysqlUser, mysqlPassword, dbName, poolSize, transactionCap,
                streamPoolSize, txPoolTimeout, effectivePoolTimeout(), serverTimeout, queryPoolWaiterCap,
                txPoolWaiterCap, maxResultSize > 0 ? maxResultSize + 1L : 0, effectiveLockWaitTimeout());
    }

    /**
     * The lock wait timeout the tablet's connections get: the configured one in whole seconds (rounded up), else
     * half the query timeout (at least 1 s); zero (the server's own) when neither is set. InnoDB sees the lock
     * waits of one shard only: a cycle of waits across shards (two transactions each holding a row on one shard
     * and wanting the other's on another) is a deadlock no shard detects, and ends only when a wait times out.
     */
    public Duration effectiveLockWaitTimeout() {
        Duration timeout = !lockWaitTimeout.isZero() ? lockWaitTimeout
                : queryTimeout.isZero() ? Duration.ZERO : queryTimeout.dividedBy(2);
        if (timeout.isZero()) {
            return timeout;
        }
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }

    /** The query pool timeout, with zero meaning the query timeout as in Vitess; at least HikariCP's 250 ms. */
    public Duration effectivePoolTimeout() {
        Duration timeout = !queryPoolTimeout.isZero() ? queryPoolTimeout
                : queryTimeout.isZero() ? PoolConfig.DEFAULT_POOL_TIMEOUT : queryTimeout;
        return timeout.compareTo(MIN_POOL_TIMEOUT) < 0 ? MIN_POOL_TIMEOUT : timeout;
    }

    static TabletAlias parseAlias(String alias) {
        Objects.requireNonNull(alias, "tabletAlias");
        int dash = alias.lastIndexOf('-');
        try {
            if (dash <= 0) {
                throw new NumberFormatException();
            }
            return TabletAlias.newBuilder().setCell(alias.substring(0, dash))
                    .setUid(Integer.parseUnsignedInt(alias.substring(dash + 1))).build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tablet alias must be cell-uid, e.g. zone1-100: " + alias);
        }
    }

    @Override
    public String toString() {
        return "TabletConfig[" + logPrefix() + " " + tabletType + ", db=" + dbName + ", mysql=" + mysqlUser + "@"
                + mysqlHost + ":" + mysqlPort + ", grpc=" + bindAddress + ":" + grpcPort + ", pools=" + poolSize + "/"
                + transactionCap + "/" + streamPoolSize + ", txPoolTimeout=" + txPoolTimeout + ", transactionTimeout="
                + transactionTimeout + ", queryTimeout=" + queryTimeout + ", lockWaitTimeout=" + effectiveLockWaitTimeout()
                + ", maxResultSize=" + maxResultSize
                + ", warnResultSize=" + warnResultSize + ", queryPoolTimeout=" + effectivePoolTimeout()
                + ", waiterCaps=" + queryPoolWaiterCap + "/" + txPoolWaiterCap + ", " + consolidator + ", " + hotRows
                + ", twopc=" + twopcEnable + "]";
    }

    /** Builds a {@link TabletConfig}; starts from the daemon's defaults. Not thread-safe. */
    public static final class Builder {
        private final String tabletAlias;
        private final String keyspace;
        private String shard = "0";
        private TabletType tabletType = TabletType.PRIMARY;
        private String dbName = "";
        private String mysqlHost = "127.0.0.1";
        private int mysqlPort = 3306;
        private String mysqlUser = "root";
        private String mysqlPassword = "";
        private int grpcPort = DEFAULT_GRPC_PORT;
        private String bindAddress = "127.0.0.1";
        private int poolSize = PoolConfig.DEFAULT_QUERY_SIZE;
        private int transactionCap = PoolConfig.DEFAULT_TX_SIZE;
        private int streamPoolSize = PoolConfig.DEFAULT_STREAM_SIZE;
        private Duration txPoolTimeout = PoolConfig.DEFAULT_TX_TIMEOUT;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private Duration lockWaitTimeout = Duration.ZERO;
        private int maxResultSize = DEFAULT_MAX_RESULT_SIZE;
        private int warnResultSize;
        private Duration queryPoolTimeout = Duration.ZERO;
        private int queryPoolWaiterCap = PoolConfig.DEFAULT_WAITER_CAP;
        private int txPoolWaiterCap = PoolConfig.DEFAULT_WAITER_CAP;
        private ConsolidatorConfig consolidator = ConsolidatorConfig.DEFAULTS;
        private HotRowConfig hotRows = HotRowConfig.DEFAULTS;
        private boolean twopcEnable;

        private Builder(String tabletAlias, String keyspace) {
            this.tabletAlias = tabletAlias;
            this.keyspace = keyspace;
        }

        public Builder shard(String value) {
            shard = value;
            return this;
        }

        public Builder tabletType(TabletType value) {
            tabletType = value;
            return this;
        }

        public Builder dbName(String value) {
            dbName = value;
            return this;
        }

        /** The MySQL to serve. */
        public Builder mysql(String host, int port, String user, String password) {
            mysqlHost = host;
            mysqlPort = port;
            mysqlUser = user;
            mysqlPassword = password;
            return this;
        }

        /** Where to serve gRPC; port 0 picks a free one. */
        public Builder grpc(String address, int port) {
            bindAddress = address;
            grpcPort = port;
            return this;
        }

        public Builder pools(int querySize, int txCap, int streamSize) {
            poolSize = querySize;
            transactionCap = txCap;
            streamPoolSize = streamSize;
            return this;
        }

        public Builder txPoolTimeout(Duration value) {
            txPoolTimeout = value;
            return this;
        }

        /** How long a transaction may stay open before it is rolled back; zero for never. */
        public Builder transactionTimeout(Duration value) {
            transactionTimeout = value;
            return this;
        }

        /** How long a non-streaming statement may run before it is killed on MySQL; zero for no limit. */
        public Builder queryTimeout(Duration value) {
            queryTimeout = value;
            return this;
        }

        /** How long a statement may wait for a row lock; zero for half the query timeout. */
        public Builder lockWaitTimeout(Duration value) {
            lockWaitTimeout = value;
            return this;
        }

        public Builder maxResultSize(int value) {
            maxResultSize = value;
            return this;
        }

        /** Results with more rows than this are counted; 0 for off. */
        public Builder warnResultSize(int value) {
            warnResultSize = value;
            return this;
        }

        /** How long Execute waits for a query-pool connection; zero for the query timeout. */
        public Builder queryPoolTimeout(Duration value) {
            queryPoolTimeout = value;
            return this;
        }

        /** Most callers waiting for a query-pool and a transaction-pool connection; 0 for no cap. */
        public Builder waiterCaps(int queryPool, int txPool) {
            queryPoolWaiterCap = queryPool;
            txPoolWaiterCap = txPool;
            return this;
        }

        public Builder consolidator(ConsolidatorConfig value) {
            consolidator = value;
            return this;
        }

        public Builder hotRows(HotRowConfig value) {
            hotRows = value;
            return this;
        }

        /** Whether the tablet takes part in TWOPC transactions ({@code --twopc-enable}). */
        public Builder twopcEnable(boolean value) {
            twopcEnable = value;
            return this;
        }

        public TabletConfig build() {
            return new TabletConfig(tabletAlias, keyspace, shard, tabletType, dbName, mysqlHost, mysqlPort, mysqlUser,
                    mysqlPassword, grpcPort, bindAddress, poolSize, transactionCap, streamPoolSize, txPoolTimeout,
                    transactionTimeout, queryTimeout, lockWaitTimeout, maxResultSize, warnResultSize, queryPoolTimeout,
                    queryPoolWaiterCap, txPoolWaiterCap, consolidator, hotRows, twopcEnable);
        }
    }
}
