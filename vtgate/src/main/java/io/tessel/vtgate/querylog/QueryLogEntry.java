package io.tessel.vtgate.querylog;

import io.tessel.proto.Query.BindVariable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One finished statement, as handed to the query log's writer. {@code sql} is the client's text;
 * {@code normalizedSql} and {@code bindVars} are the normalizer's output when vtgate planned the statement
 * (null otherwise: the writer normalizes {@code sql} itself). The error fields are empty, 0 and empty when
 * the statement succeeded. Values and messages leave the process only with {@code --querylog-include-values}.
 */
public record QueryLogEntry(Instant start, long durationNanos, int connectionId, String user, String sql,
        String normalizedSql, Map<String, BindVariable> bindVars, String keyspace, String shard, String tabletType,
        String planType, long shardQueries, List<String> shards, long rowsReturned, long rowsAffected,
        String errorCode, int errno, String sqlState, String errorMessage) {

    public QueryLogEntry {
        shards = shards == null ? List.of() : List.copyOf(shards);
    }

    public boolean isError() {
        return !errorCode.isEmpty();
    }
}
