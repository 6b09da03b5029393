package io.tessel.vttablet.server;

import com.mysql.cj.jdbc.StatementImpl;
import com.mysql.cj.jdbc.result.ResultSetInternalMethods;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.QueryWarning;
import io.tessel.proto.Query.Row;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.PoolKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Runs one SQL statement on a borrowed connection and builds the Vitess result: rows as raw MySQL text
 * bytes, DML as affected rows, insert id and info. Backend errors become {@link VtException} with
 * MySQL's errno, SQLSTATE and message; a connection that failed or was left mid-stream is marked broken
 * so its pool drops it. Enforces the tablet's row limits and, through its {@link QueryWatchdog}, the query
 * timeout and the caller's cancellation. Thread-safe; its counters are shared.
 *
 * <p>Row limit: query and transaction connections run with the session's {@code sql_select_limit} at the
 * limit + 1 (see {@code DbPools}), so MySQL sends at most one row too many and the rest of an oversized
 * result never crosses the wire. A statement that needs another limit (OLAP, {@code sql_select_limit} in
 * the options, a stream inside a transaction) sets it for itself and puts the session's back afterwards.
 */
final class QueryExecutor {
    /** Rows are sent in chunks of about this many value bytes, like Vitess's 32 KiB stream buffer. */
    static final int STREAM_CHUNK_BYTES = 32 * 1024;

    private final int maxResultSize;
    private final int warnResultSize;
    private final QueryWatchdog watchdog;
    private final LongAdder resultsOverWarn = new LongAdder();
    private final LongAdder resultsOverMax = new LongAdder();

    /**
     * @param maxResultSize  most rows a non-streaming OLTP query may return; 0 for no limit
     * @param warnResultSize results with more rows than this are counted; 0 for no count
     * @param watchdog       kills statements running past the query timeout
     */
    QueryExecutor(int maxResultSize, int warnResultSize, QueryWatchdog watchdog) {
        this.maxResultSize = maxResultSize;
        this.warnResultSize = warnResultSize;
        this.watchdog = watchdog;
    }

    /** The session {@code sql_select_limit} query and transaction connections start with; 0 for MySQL's default. */
    static long sessionSelectLimit(int maxResultSize) {
        return maxResultSize > 0 ? maxResultSize + 1L : 0;
    }

    /** Runs a statement whose result is not wanted (BEGIN, COMMIT, SET ...). */
    void run(DbConn conn, String sql) {
        try (Statement st = conn.connection().createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failed(conn, e);
        }
    }

    /**
     * Runs a statement and returns its whole result. A statement still running after the query timeout is
     * killed on MySQL and fails with DEADLINE_EXCEEDED.
     */
    QueryResult execute(DbConn conn, String sql, ExecuteOptions options) {
        checkNotCancelled();
        QueryWatchdog.Watch watch = watchdog.watch(conn);
        QueryResult result;
        try {
            result = executeWithLimit(conn, sql, options);
        } catch (VtException e) {
            throw killed(watch, e);
        } finally {
            watch.finish();
        }
        VtException killed = killed(watch, null); // a killed SLEEP returns 1 instead of failing
        if (killed != null) {
            throw killed;
        }
        return result;
    }

    /** The error for a statement the watchdog killed, else {@code cause} (null when it did not fail). */
    private VtException killed(QueryWatchdog.Watch watch, VtException cause) {
        return switch (watch.finish()) {
            case COMPLETED -> cause;
            case TIMED_OUT -> timedOut(watch, cause);
            case CANCELLED -> cancelled(cause);
        };
    }

    /** Fails at once when the caller has already gone: the statement would only be killed as it starts. */
    private static void checkNotCancelled() {
        if (io.grpc.Context.current().isCancelled()) {
            throw cancelled(null);
        }
    }

    private static VtException cancelled(VtException cause) {
        return VtException.mysql(ErrorCode.CANCELED, SqlError.ER_QUERY_INTERRUPTED.errno(),
                SqlError.ER_QUERY_INTERRUPTED.sqlState(), "query cancelled by its caller and killed on MySQL", cause);
    }

    private QueryResult executeWithLimit(DbConn conn, String sql, ExecuteOptions options) {
        int rowLimit = options.getWorkload() == Workload.OLAP ? 0 : maxResultSize;
        long selectLimit = selectLimit(options.getSqlSelectLimit(), rowLimit);
        return withSelectLimit(conn, selectLimit, () -> {
            try (Statement st = conn.connection().createStatement()) {
                if (!st.execute(sql)) {
                    return withWarnings(dmlResult(st), st);
                }
                try (ResultSet rs = st.getResultSet()) {
                    return withWarnings(readAll(rs, options, rowLimit), st);
                }
            }
        });
    }

    /** The sql_select_limit a statement needs: the client's when it is within the row limit, else limit + 1. */
    private static long selectLimit(long clientLimit, int rowLimit) {
        if (clientLimit > 0 && (rowLimit == 0 || clientLimit <= rowLimit)) {
            return clientLimit;
        }
        return sessionSelectLimit(rowLimit);
    }

    private QueryResult readAll(ResultSet rs, ExecuteOptions options, int limit) throws SQLException {
        ResultReader reader = new ResultReader(rs);
        QueryResult.Builder result = QueryResult.newBuilder().addAllFields(reader.fields(options.getIncludedFields()));
        while (rs.next()) {
            if (limit > 0 && result.getRowsCount() >= limit) {
                resultsOverMax.increment();
                throw VtException.of(ErrorCode.ABORTED, SqlError.ER_MAX_ROWS_EXCEEDED, "Row count exceeded " + limit);
            }
            result.addRows(reader.row());
        }
        if (warnResultSize > 0 && result.getRowsCount() > warnResultSize) {
            resultsOverWarn.increment();
        }
        return result.build();
    }

    private VtException timedOut(QueryWatchdog.Watch watch, VtException cause) {
        return VtException.mysql(ErrorCode.DEADLINE_EXCEEDED, SqlError.ER_QUERY_INTERRUPTED.errno(),
                SqlError.ER_QUERY_INTERRUPTED.sqlState(), "query timed out after " + format(watchdog.timeout())
                        + " and was killed on MySQL (KILL QUERY " + watch.connectionId() + ")", cause);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** How many results had more rows than the warn threshold. */
    long resultsOverWarn() {
        return resultsOverWarn.sum();
    }

    /** How many results were refused for having more rows than the row limit. */
    long resultsOverMax() {
        return resultsOverMax.sum();
    }

    /** How many statements the watchdog killed for the query timeout. */
    long queryKills() {
        return watchdog.kills();
    }

    /** How many statements were killed because their caller cancelled. */
    long cancelKills() {
        return watchdog.cancelKills();
    }

    /**
     * Runs a statement with Connector/J's row-by-row streaming and hands the result to the sink: first the
     * fields alone, then rows in chunks of about {@link #STREAM_CHUNK_BYTES}. If the sink or MySQL fails
     * mid-stream the connection is marked broken, because the rest of the result is still on the wire.
     */
    void stream(DbConn conn, String sql, ExecuteOptions options, Consumer<QueryResult> sink) {
        checkNotCancelled();
        withSelectLimit(conn, options.getSqlSelectLimit(), () -> {
            QueryWatchdog.Watch watch = watchdog.watchCancellation(conn);
            try {
                streamUnlimited(conn, sql, options, sink);
            } catch (VtException e) {
                throw killed(watch, e);
            } finally {
                watch.finish();
            }
            VtException killed = killed(watch, null);
            if (killed != null) {
                throw killed;
            }
            return null;
        });
    }

    private void streamUnlimited(DbConn conn, String sql, ExecuteOptions options, Consumer<QueryResult> sink) {
        Statement st;
        ResultSet rs;
        try {
            st = conn.connection().createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            st.setFetchSize(Integer.MIN_VALUE);
            if (!st.execute(sql)) {
                QueryResult dml = dmlResult(st);
                st.close();
                sink.accept(dml);
                return;
            }
            rs = st.getResultSet();
        } catch (SQLException e) {
            throw failed(conn, e);
        }
        try {
            streamRows(rs, options, sink);
            rs.close();
            st.close();
        } catch (SQLException e) {
            conn.markBroken();
            throw failed(conn, e);
        } catch (RuntimeException | Error e) {
            conn.markBroken(); // the caller went away or a sink failed: drop the half-read result with the socket
            throw e;
        }
    }

    private static void streamRows(ResultSet rs, ExecuteOptions options, Consumer<QueryResult> sink) throws SQLException {
        ResultReader reader = new ResultReader(rs);
        sink.accept(QueryResult.newBuilder().addAllFields(reader.fields(options.getIncludedFields())).build());
        QueryResult.Builder chunk = QueryResult.newBuilder();
        int bytes = 0;
        while (rs.next()) {
            Row row = reader.row();
            chunk.addRows(row);
            bytes += row.getValues().size() + 2 * reader.columns();
            if (bytes >= STREAM_CHUNK_BYTES) {
                sink.accept(chunk.build());
                chunk = QueryResult.newBuilder();
                bytes = 0;
            }
        }
        if (chunk.getRowsCount() > 0) {
            sink.accept(chunk.build());
        }
    }

    /** Work that may fail in JDBC. */
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work with the session's {@code sql_select_limit} at {@code limit} (0 for MySQL's default), then
     * puts back the value the connection's pool starts with. Costs two round trips, and only when the
     * limit differs; Connector/J's own max-rows is not used because it resets the limit for every DML.
     */
    private <T> T withSelectLimit(DbConn conn, long limit, SqlWork<T> work) {
        long session = conn.kind() == PoolKind.STREAM ? 0 : sessionSelectLimit(maxResultSize);
        boolean isChanged = limit != session;
        try {
            if (isChanged) {
                setSelectLimit(conn, limit);
            }
            return work.run();
        } catch (SQLException e) {
            throw failed(conn, e);
        } finally {
            if (isChanged && !conn.isBroken()) {
                restoreSelectLimit(conn, session);
            }
        }
    }

    private void restoreSelectLimit(DbConn conn, long session) {
        try {
            setSelectLimit(conn, session);
        } catch (SQLException e) {
            conn.markBroken(); // it must not go back to the pool with another statement's limit
        }
    }

    private static void setSelectLimit(DbConn conn, long limit) throws SQLException {
        try (Statement st = conn.connection().createStatement()) {
            st.execute("SET SESSION sql_select_limit = " + (limit > 0 ? Long.toString(limit) : "DEFAULT"));
        }
    }

    /**
     * The result with the statement's MySQL warnings, read before anything else runs on the connection.
     * Connector/J asks MySQL (SHOW WARNINGS) only when the statement's warning count was not zero.
     */
    private static QueryResult withWarnings(QueryResult result, Statement st) throws SQLException {
        SQLWarning w = st.getWarnings();
        if (w == null) {
            return result;
        }
        QueryResult.Builder b = result.toBuilder();
        for (; w != null; w = w.getNextWarning()) {
            b.addWarnings(QueryWarning.newBuilder().setCode(w.getErrorCode())
                    .setMessage(w.getMessage() == null ? "" : w.getMessage()));
        }
        return b.build();
    }

    private static QueryResult dmlResult(Statement st) throws SQLException {
        StatementImpl cj = st.unwrap(StatementImpl.class);
        QueryResult.Builder b = QueryResult.newBuilder()
                .setRowsAffected(st.getLargeUpdateCount())
                .setInsertId(cj.getLastInsertID());
        ResultSetInternalMethods ok = cj.getResultSetInternal();
        String info = ok == null ? null : ok.getServerInfo();
        if (info != null) {
            b.setInfo(info);
        }
        return b.build();
    }

    private static VtException failed(DbConn conn, SQLException e) {
        if (MysqlErrors.isConnectionError(e)) {
            conn.markBroken();
        }
        return MysqlErrors.toVtException(e);
    }
}
