package io.tessel.vttablet.pool;

import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's separate HikariCP pools over MySQL Connector/J (query, transaction, stream), each with a
 * fixed maximum, so long streams or many open transactions cannot starve point queries. Thread-safe.
 * Every {@link DbConn} from {@link #get} goes back through {@link #giveBack} exactly once.
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
            + "&maintainTimeStats=false&useAffectedRows=true&enableEscapeProcessing=false"
            + "&characterEncoding=UTF-8&connectionCollation=utf8mb4_general_ci&connectTimeout=5000&tcpKeepAlive=true";

    private final Map<PoolKind, HikariDataSource> pools = new EnumMap<>(PoolKind.class);
    private final PoolConfig config;
    private final String logPrefix;

    /**
     * Opens the three pools; each makes one connection up front and fails fast if MySQL is unreachable.
     *
     * @param logPrefix component and identity for pool names and log lines, e.g. "vttablet zone1-100 ks/0"
     */
    public DbPools(PoolConfig config, String logPrefix) {
        this.config = config;
        this.logPrefix = logPrefix;
        try {
            pools.put(PoolKind.STREAM, open(PoolKind.STREAM, config.streamSize(), 1, null));
            String timeoutSql = statementTimeoutSql(pools.get(PoolKind.STREAM), config.statementTimeout());
            pools.put(PoolKind.QUERY, open(PoolKind.QUERY, config.querySize(), Math.min(4, config.querySize()), timeoutSql));
            pools.put(PoolKind.TRANSACTION, open(PoolKind.TRANSACTION, config.txSize(), Math.min(2, config.txSize()), timeoutSql));
        } catch (PoolInitializationException e) {
            close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw VtException.of(ErrorCode.UNAVAILABLE, logPrefix + ": cannot connect to MySQL at " + config.host()
                    + ":" + config.port() + ": " + cause.getMessage(), e);
        }
        log.info("{}: pools open to {}", logPrefix, config);
    }

    /** The JDBC URL the pools use for a database on host:port. */
    public static String jdbcUrl(String host, int port, String dbName) {
        return "jdbc:mysql://" + host + ":" + port + "/" + dbName + "?" + URL_OPTIONS;
    }

    /**
     * The session setting that makes the server abort OLTP statements running longer than the timeout, in
     * the dialect of the server behind the pool (MariaDB's applies to every statement, MySQL's to SELECTs);
     * set once per connection, so it costs nothing per query. Null for no timeout.
     */
    private static String statementTimeoutSql(HikariDataSource probe, Duration timeout) {
        if (timeout.isZero()) {
            return null;
        }
        try (Connection c = probe.getConnection()) {
            boolean isMariaDb = c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
            return isMariaDb ? "SET SESSION max_statement_time = " + timeout.toMillis() / 1000.0
                    : "SET SESSION max_execution_time = " + timeout.toMillis();
        } catch (SQLException e) {
            throw new PoolInitializationException(e);
        }
    }

    private HikariDataSource open(PoolKind kind, int maxSize, int minIdle, String initSql) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(logPrefix + " " + kind.label());
        hc.setJdbcUrl(jdbcUrl(config.host(), config.port(), config.dbName()));
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(minIdle);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout((kind == PoolKind.TRANSACTION ? config.txTimeout() : config.poolTimeout()).toMillis());
        if (initSql != null) {
            hc.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(hc);
    }

    /**
     * A connection from the pool of this kind, waiting at most the pool's timeout.
     *
     * @throws VtException RESOURCE_EXHAUSTED when the pool stayed full, UNAVAILABLE when MySQL is unreachable
     */
    public DbConn get(PoolKind kind) {
        HikariDataSource ds = pools.get(kind);
        try {
            return new DbConn(kind, ds.getConnection());
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() == null) { // HikariCP timed out with no connection failure behind it: the pool is full
                throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED, kind.label() + " pool connection limit exceeded ("
                        + ds.getMaximumPoolSize() + " connections in use, waited " + ds.getConnectionTimeout() + "ms)");
            }
            throw unavailable(kind, e.getCause());
        } catch (SQLException e) {
            if (e.getCause() instanceof InterruptedException) { // HikariCP has already re-set the interrupt flag
                throw VtException.of(ErrorCode.CANCELED, kind.label() + " pool: interrupted while waiting for a connection");
            }
            throw unavailable(kind, e);
        }
    }

    private VtException unavailable(PoolKind kind, Throwable cause) {
        return VtException.of(ErrorCode.UNAVAILABLE, logPrefix + ": no " + kind.label() + " connection to MySQL: "
                + cause.getMessage(), cause);
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
        HikariPoolMXBean mx = pools.get(kind).getHikariPoolMXBean();
        return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
                mx.getThreadsAwaitingConnection());
    }

    public PoolConfig config() {
        return config;
    }

    /** Closes all pools; connections still handed out are closed when they come back. */
    @Override
    public void close() {
        for (HikariDataSource ds : pools.values()) {
            ds.close();
        }
    }
}
