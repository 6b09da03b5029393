package io.tessel.vtgate.vindex;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import java.util.Map;

/**
 * What a {@link LookupVindex} runs its queries through, as Vitess's {@code vindexes.VCursor}: SQL planned and
 * routed by vtgate like a client's query (a lookup table is a table of a keyspace, often itself sharded),
 * either in the session's transaction or in its own autocommit transaction outside it. One per statement
 * execution.
 */
public interface VindexCursor {
    /**
     * Plans and runs {@code sql} through vtgate. Unqualified table names resolve as for a session without a
     * default keyspace: the one keyspace whose VSchema has the table.
     *
     * @param isAutocommitOutsideTx run in its own autocommit transaction, committed at once, outside the
     *     session's transaction (the "pre" connection of consistent lookups); else in the session's transaction
     */
    QueryResult execute(String sql, Map<String, BindVariable> bindVars, boolean isAutocommitOutsideTx);

    /**
     * Runs {@code sql} as it is on the shard of {@code keyspace} holding {@code ksid}, in the session's
     * transaction (consistent lookups check their owner's rows this way).
     */
    QueryResult executeKeyspaceId(String keyspace, byte[] ksid, String sql, Map<String, BindVariable> bindVars);

    /**
     * Runs {@code sql} in its own autocommit transaction once the statement being executed is done (the "post"
     * connection of consistent lookups, which deletes lookup rows after their owner's rows). A cursor outside a
     * DML statement runs it at once.
     */
    default void executeAfterStatement(String sql, Map<String, BindVariable> bindVars) {
        execute(sql, bindVars, true);
    }
}
