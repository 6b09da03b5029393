package io.tessel.vttablet.server;

import com.mysql.cj.jdbc.StatementImpl;
import com.mysql.cj.jdbc.result.ResultSetInternalMethods;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.vttablet.pool.DbConn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * Runs one SQL statement on a borrowed connection and builds the Vitess result: rows as raw MySQL text
 * bytes, DML as affected rows, insert id and info. Backend errors become {@link VtException} with
 * MySQL's errno, SQLSTATE and message; a connection that failed or was left mid-stream is marked broken
 * so its pool drops it. Stateless apart from its limits; thread-safe.
 */
final class QueryExecutor {
    /** Rows are sent in chunks of about this many value bytes, like Vitess's 32 KiB stream buffer. */
    static final int STREAM_CHUNK_BYTES = 32 * 1024;
    /** Vitess's errno for "Row count exceeded" (ERVitessMaxRowsExceeded). */
    static final int ER_MAX_ROWS_EXCEEDED = 10001;

    private final int maxResultSize;

    /** @param maxResultSize most rows a non-streaming OLTP query may return; 0 for no limit */
    QueryExecutor(int maxResultSize) {
        this.maxResultSize = maxResultSize;
    }

    /** Runs a statement whose result is not wanted (BEGIN, COMMIT, SET ...). */
    void run(DbConn conn, String sql) {
        try (Statement st = conn.connection().createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failed(conn, e);
        }
    }

    /** Runs a statement and returns its whole result. */
    QueryResult execute(DbConn conn, String sql, ExecuteOptions options) {
        try (Statement st = conn.connection().createStatement()) {
            applySelectLimit(st, options);
            if (!st.execute(sql)) {
                return dmlResult(st);
            }
            try (ResultSet rs = st.getResultSet()) {
                return readAll(rs, options);
            }
        } catch (SQLException e) {
            throw failed(conn, e);
        }
    }

    private QueryResult readAll(ResultSet rs, ExecuteOptions options) throws SQLException {
        ResultReader reader = new ResultReader(rs);
        QueryResult.Builder result = QueryResult.newBuilder().addAllFields(reader.fields(options.getIncludedFields()));
        int limit = options.getWorkload() == Workload.OLAP ? 0 : maxResultSize;
        while (rs.next()) {
            if (limit > 0 && result.getRowsCount() >= limit) {
                throw VtException.mysql(ErrorCode.ABORTED, ER_MAX_ROWS_EXCEEDED, "HY000", "Row count exceeded " + limit, null);
            }
            result.addRows(reader.row());
        }
        return result.build();
    }

    /**
     * Runs a statement with Connector/J's row-by-row streaming and hands the result to the sink: first the
     * fields alone, then rows in chunks of about {@link #STREAM_CHUNK_BYTES}. If the sink or MySQL fails
     * mid-stream the connection is marked broken, because the rest of the result is still on the wire.
     */
    void stream(DbConn conn, String sql, ExecuteOptions options, Consumer<QueryResult> sink) {
        Statement st;
        ResultSet rs;
        try {
            st = conn.connection().createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            st.setFetchSize(Integer.MIN_VALUE);
            applySelectLimit(st, options);
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

    /**
     * Applies ExecuteOptions.sql_select_limit through Connector/J's max-rows, which sets the session's
     * SQL_SELECT_LIMIT only when it changes and puts it back to DEFAULT for the next statement without one.
     */
    private static void applySelectLimit(Statement st, ExecuteOptions options) throws SQLException {
        long limit = options.getSqlSelectLimit();
        if (limit > 0) {
            st.setMaxRows((int) Math.min(limit, Integer.MAX_VALUE));
        }
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
