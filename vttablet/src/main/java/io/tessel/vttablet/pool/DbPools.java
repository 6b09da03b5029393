package io.tessel.vttablet.pool;

import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's separate HikariCP pools over MySQL Connector/J (query, transaction, stream), each with a
 * fixed maximum, so long streams or many open transactions cannot starve point queries; the found-rows
 * variants and the DBA pool open on first use. Waiting for a connection is bounded twice: by the pool
 * timeout and by a waiter cap beyond which callers fail at once. Thread-safe. Every {@link DbConn} from {@link #get} goes back through
 * {@link #giveBack} exactly once.
 */
public final class DbPools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DbPools.class);

    /**
     * Connector/J options: no TLS on the private link; client-side statements only; session state kept
     * locally so setAutoCommit and friends do not round-trip; MySQL's affected-rows semantics; no JDBC
     * escape processing, so the SQL reaches MySQL byte for byte; utf8mb4 on the wire.
     */
    static final String URL_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true&useServerPrepStmts=false"
            + "&cacheServerConfiguration=true&useLocalSessionState=true&elideSetAutoCommits=true"
            + "&maintainTimeStats=false&enableEscapeProcessing=false"
            + "&characterEncoding=UTF-8&connectionCollation=utf8mb4_general_ci&connectTimeout=5000&tcpKeepAlive=true";

    private final ConcurrentHashMap<PoolKind, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final EnumMap<PoolKind, Counters> counters = new EnumMap<>(PoolKind.class);
    private final PoolConfig config;
    private final String logPrefix;
    private final String sessionSql;
    private final MicrometerMetricsTrackerFactory metricsTracker;
    private final java.util.concurrent.locks.ReentrantLock healthLock = new java.util.concurrent.locks.ReentrantLock();
    private Connection healthConn; // guarded by healthLock
    private volatile boolean isClosed;

    /**
     * Opens the stream, query and transaction pools; each makes one connection up front, so this fails
     * fast if MySQL is unreachable.
     *
     * @param logPrefix component and identity for pool names and log lines, e.g. "vttablet zone1-100 ks/0"
     * @throws VtException UNAVAILABLE when MySQL cannot be reached
     */
    public DbPools(PoolConfig config, String logPrefix) {
        this(config, logPrefix, null);
    }

    /**
     * Opens the pools as {@link #DbPools(PoolConfig, String)} does, each reporting HikariCP's meters
     * ({@code hikaricp_connections_*}, tagged {@code pool} with the pool's name) to {@code registry}.
     *
     * @param registry where the pools' meters go; null for none
     */
    public DbPools(PoolConfig config, String logPrefix, MeterRegistry registry) {
        this.config = config;
        this.logPrefix = logPrefix;
        this.metricsTracker = registry == null ? null : new MicrometerMetricsTrackerFactory(registry);
        for (PoolKind kind : PoolKind.values()) {
            counters.put(kind, new Counters());
        }
        try {
            pools.put(PoolKind.STREAM, open(PoolKind.STREAM, null));
            sessionSql = sessionSql(pools.get(PoolKind.STREAM), config.statementTimeout(), config.selectLimit(),
                    config.lockWaitTimeout());
            pools.put(PoolKind.QUERY, open(PoolKind.QUERY, sessionSql));
            pools.put(PoolKind.TRANSACTION, open(PoolKind.TRANSACTION, sessionSql));
        } catch (PoolInitializationException e) {
            close();
            throw cannotConnect(e);
        }
        log.info("{}: pools open to {}", logPrefix, config);
    }

    /** Callers inside {@link #get} and the refusals of one pool; the map of them is filled once, then only read. */
    private static final class Counters {
        final AtomicInteger waiting = new AtomicInteger();
        final LongAdder waiterCapRejections = new LongAdder();
        final LongAdder timeouts = new LongAdder();
    }

    private VtException cannotConnect(PoolInitializationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return VtException.of(ErrorCode.UNAVAILABLE, logPrefix + ": cannot connect to MySQL at " + config.host()
                + ":" + config.port() + ": " + cause.getMessage(), e);
    }

    /** The JDBC URL of a pool kind for a database on host:port. */
    public static String jdbcUrl(String host, int port, String dbName, PoolKind kind) {
        return "jdbc:mysql://" + host + ":" + port + "/" + dbName + "?" + URL_OPTIONS
                + "&useAffectedRows=" + !kind.isFoundRows();
    }

    /**
     * The session settings of query and transaction connections, set once per connection so they cost
     * nothing per query; null when there are none:
     * <ul>
     * <li>the server aborts statements running longer than the statement timeout, in the dialect of the
     *     server behind the pool (MariaDB's {@code max_statement_time} applies to every statement, MySQL's
     *     {@code max_execution_time} to SELECTs);</li>
     * <li>{@code sql_select_limit} caps the rows a SELECT sends, so a result over the row limit stops at
     *     limit + 1 rows on the server instead of crossing the wire whole;</li>
     * <li>{@code innodb_lock_wait_timeout} below the statement timeout, so a lock wait fails with 1205.</li>
     * </ul>
     */
    private static String sessionSql(HikariDataSource probe, Duration timeout, long selectLimit, Duration lockWait) {
        List<String> settings = new ArrayList<>();
        if (!timeout.isZero()) {
            try (Connection c = probe.getConnection()) {
                boolean isMariaDb = c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
                settings.add(isMariaDb ? "max_statement_time = " + timeout.toMillis() / 1000.0
                        : "max_execution_time = " + timeout.toMillis());
            } catch (SQLException e) {
                throw new PoolInitializationException(e);
            }
        }
        if (selectLimit > 0) {
            settings.add("sql_select_limit = " + selectLimit);
        }
        if (!lockWait.isZero()) {
            settings.add("innodb_lock_wait_timeout = " + Math.max(1, lockWait.toSeconds()));
        }
        return settings.isEmpty() ? null : "SET SESSION " + String.join(", ", settings);
    }

    /** A pool of its kind's size that starts small: HikariCP grows it on demand up to the maximum. */
    private HikariDataSource open(PoolKind kind, String initSql) {
        int maxSize = switch (kind) {
            case QUERY, FOUND_ROWS_QUERY -> config.querySize();
            case TRANSACTION, FOUND_ROWS_TRANSACTION -> config.txSize();
            case STREAM -> config.streamSize();
            case DBA -> PoolConfig.DBA_SIZE;
        };
        int minIdle = switch (kind) {
            case QUERY -> 4;
            case TRANSACTION -> 2;
            case STREAM, FOUND_ROWS_QUERY, FOUND_ROWS_TRANSACTION -> 1;
            case DBA -> 0;
        };
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(logPrefix + " " + kind.label());
        hc.setJdbcUrl(jdbcUrl(config.host(), config.port(), config.dbName(), kind));
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(Math.min(minIdle, maxSize));
        hc.setAutoCommit(true);
        hc.setConnectionTimeout((kind.isTransactional() ? config.txTimeout() : config.poolTimeout()).toMillis());
        if (initSql != null) {
            hc.setConnectionInitSql(initSql);
        }
        if (metricsTracker != null) {
            hc.setMetricsTrackerFactory(metricsTracker);
        }
        return new HikariDataSource(hc);
    }

    /**
     * A connection from the pool of this kind, waiting at most the pool's timeout. When the pool has no
     * idle connection and its waiter cap is already reached, fails at once instead of queueing.
     *
     * @throws VtException RESOURCE_EXHAUSTED when the pool stayed full or too many callers wait, UNAVAILABLE
     *                     when MySQL is unreachable
     */
    public DbConn get(PoolKind kind) {
        HikariDataSource ds = pool(kind);
        Counters counters = counters(kind);
        int cap = config.waiterCap(kind);
        int waiting = counters.waiting.incrementAndGet();
        try {
            if (cap > 0 && waiting > cap && ds.getHikariPoolMXBean().getIdleConnections() == 0) {
                counters.waiterCapRejections.increment();
                throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED, kind.label() + " pool waiter count exceeded: "
                        + (waiting - 1) + " callers already wait for one of its " + ds.getMaximumPoolSize()
                        + " connections (waiter cap " + cap + ")");
            }
            return new DbConn(kind, ds.getConnection());
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() == null) { // HikariCP timed out with no connection failure behind it: the pool is full
                counters.timeouts.increment();
                throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED, kind.label() + " pool connection limit exceeded ("
                        + ds.getMaximumPoolSize() + " connections in use, waited " + ds.getConnectionTimeout() + "ms)");
            }
            throw unavailable(kind, e.getCause());
        } catch (SQLException e) {
            if (e.getCause() instanceof InterruptedException) { // HikariCP has already re-set the interrupt flag
                throw VtException.of(ErrorCode.CANCELED, kind.label() + " pool: interrupted while waiting for a connection");
            }
            throw unavailable(kind, e);
        } finally {
            counters.waiting.decrementAndGet();
        }
    }

    private Counters counters(PoolKind kind) {
        return counters.get(kind);
    }

    /** The pool of a kind, opening a found-rows or the DBA pool on first use. */
    private HikariDataSource pool(PoolKind kind) {
        HikariDataSource ds = pools.get(kind);
        if (ds != null) {
            return ds;
        }
        if (isClosed) {
            throw VtException.of(ErrorCode.UNAVAILABLE, logPrefix + ": pools are closed");
        }
        try {
            return pools.computeIfAbsent(kind, k -> open(k, k == PoolKind.DBA ? null : sessionSql));
        } catch (PoolInitializationException e) {
            throw cannotConnect(e);
        }
    }

    private VtException unavailable(PoolKind kind, Throwable cause) {
        return VtException.of(ErrorCode.UNAVAILABLE, logPrefix + ": no " + kind.label() + " connection to MySQL: "
                + cause.getMessage(), cause);
    }

    /**
     * Whether MySQL answers a ping within a second, on a connection of its own outside the pools (a pool
     * would wait its whole timeout for a new connection when MySQL is gone); for the health check, which
     * calls it every second. Reconnects, with a one-second connect timeout, after a failure.
     */
    public boolean isMysqlReachable() {
        healthLock.lock();
        try {
            if (healthConn == null) {
                healthConn = java.sql.DriverManager.getConnection(jdbcUrl(config.host(), config.port(), config.dbName(),
                        PoolKind.DBA).replace("connectTimeout=5000", "connectTimeout=1000"), config.user(), config.password());
            }
            if (healthConn.isValid(1)) {
                return true;
            }
        } catch (SQLException e) {
            log.debug("{}: health check: {}", logPrefix, e.toString());
        } finally {
            healthLock.unlock();
        }
        closeHealthConnection();
        return false;
    }

    private void closeHealthConnection() {
        healthLock.lock();
        try {
            if (healthConn != null) {
                healthConn.close();
            }
        } catch (SQLException e) {
            log.debug("{}: closing the health-check connection: {}", logPrefix, e.toString());
        } finally {
            healthConn = null;
            healthLock.unlock();
        }
    }

    /**
     * Returns a connection to its pool, or, when it is marked broken, closes it without reading what is
     * left on the wire and evicts it so it is never handed out again.
     */
    public void giveBack(DbConn conn) {
        if (conn.isBroken()) {
            discard(conn);
            return;
        }
        try {
            conn.connection().close();
        } catch (SQLException e) {
            log.warn("{}: returning a {} connection failed: {}", logPrefix, conn.kind().label(), e.toString());
        }
    }

    /**
     * Closes a connection instead of pooling it: it carries a session's settings (a reserved connection), so
     * no other caller may get it. HikariCP opens a fresh one when needed.
     */
    public void evict(DbConn conn) {
        if (conn.isBroken()) {
            discard(conn);
            return;
        }
        pools.get(conn.kind()).evictConnection(conn.connection());
    }

    private void discard(DbConn conn) {
        try {
            // Drops the socket first: closing a half-read streaming result would otherwise drain every row.
            conn.connection().unwrap(JdbcConnection.class).abortInternal();
        } catch (SQLException | RuntimeException e) {
            log.debug("{}: aborting a {} connection: {}", logPrefix, conn.kind().label(), e.toString());
        }
        // HikariCP closes the physical connection on its own thread; the proxy must not be closed after this.
        pools.get(conn.kind()).evictConnection(conn.connection());
    }

    /** Current connection counts of one pool. */
    public PoolStats stats(PoolKind kind) {
        HikariDataSource ds = pools.get(kind);
        Counters c = counters(kind);
        if (ds == null) { // a found-rows or DBA pool nobody has used yet
            return new PoolStats(0, 0, 0, 0, c.waiterCapRejections.sum(), c.timeouts.sum());
        }
        HikariPoolMXBean mx = ds.getHikariPoolMXBean();
        return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
                mx.getThreadsAwaitingConnection(), c.waiterCapRejections.sum(), c.timeouts.sum());
    }

    public PoolConfig config() {
        return config;
    }

    /** Closes all pools; connections still handed out are closed when they come back. */
    @Override
    public void close() {
        isClosed = true;
        for (HikariDataSource ds : pools.values()) {
            ds.close();
        }
        closeHealthConnection();
    }
}
