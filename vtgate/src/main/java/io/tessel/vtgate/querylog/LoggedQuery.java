package io.tessel.vtgate.querylog;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A statement the query log will write, filled in by the executor as it runs ({@link QueryLog#start} makes
 * one only for sampled statements). Confined to the statement's thread until {@link QueryLog#finish}.
 */
public final class LoggedQuery {
    private final Instant start;
    private final int connectionId;
    private final String user;
    private final String sql;
    private String normalizedSql;
    private Map<String, BindVariable> bindVars;
    private long shardQueries;
    private List<String> shards = List.of();
    private long rowsReturned;
    private long rowsAffected;
    private RuntimeException error;

    LoggedQuery(Instant start, int connectionId, String user, String sql) {
        this.start = start;
        this.connectionId = connectionId;
        this.user = user;
        this.sql = sql;
    }

    /** vtgate planned the statement: its normalized text and every bind variable it ran with. */
    public void planned(String normalized, Map<String, BindVariable> vars) {
        normalizedSql = normalized;
        bindVars = vars;
    }

    /** The shard queries the statement sent and the shards ({@code keyspace/shard}) they went to. */
    public void touched(long queries, Collection<String> shardNames) {
        shardQueries = queries;
        shards = List.copyOf(shardNames);
    }

    /** The rows a streamed statement sent, counted as they went. */
    public void streamed(long rows) {
        rowsReturned = rows;
    }

    public void result(QueryResult r) {
        rowsReturned = r.getRowsCount();
        rowsAffected = r.getRowsAffected();
    }

    public void failed(RuntimeException e) {
        error = e;
    }

    QueryLogEntry finish(long durationNanos, String keyspace, String shard, String tabletType, String planType) {
        String code = "";
        int errno = 0;
        String state = "";
        String message = "";
        if (error instanceof VtException e) {
            code = e.code().name();
            errno = e.errno();
            state = e.sqlState();
            message = e.getMessage();
        } else if (error != null) {
            code = "INTERNAL";
            message = String.valueOf(error.getMessage());
        }
        return new QueryLogEntry(start, durationNanos, connectionId, user, sql, normalizedSql, bindVars,
                keyspace == null ? "" : keyspace, shard == null ? "" : shard, tabletType, planType, shardQueries,
                shards, rowsReturned, rowsAffected, code, errno, state, message == null ? "" : message);
    }
}
