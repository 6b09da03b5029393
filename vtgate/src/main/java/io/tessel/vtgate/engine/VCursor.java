package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.List;
import java.util.function.Supplier;

/**
 * The engine's only window on the world, as Vitess's {@code VCursor}: shard resolution, shard execution
 * within the session's transaction, and the session state plans read or change. One per statement
 * execution; used from one thread at a time (fan-out to shards happens inside).
 */
public interface VCursor {
    /**
     * The keyspace's shards, for mapping keyspace ids to shard names.
     *
     * @throws io.tessel.common.errors.VtException NOT_FOUND (ER_BAD_DB_ERROR) for an unknown keyspace
     */
    ShardResolver resolver(String keyspace);

    /**
     * Runs each query on its shard, in parallel, inside the session's transaction when one is open. A write
     * on more than one shard outside a transaction runs in an implicit transaction committed at the end.
     * Results are in the order of {@code queries}; the first failure is thrown (other shards' work is
     * cancelled or rolled back).
     */
    List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite);

    /**
     * Starts streaming each query's result (a read) from its shard, all shards at once, into the bounded
     * queues of the returned {@link ShardStreams}; the caller takes the parts and must close the streams,
     * which cancels what is still running. This default executes the queries with
     * {@link #executeMultiShard} and hands over the whole results, for cursors that cannot stream.
     */
    default ShardStreams streamMultiShard(List<ShardQuery> queries) {
        return ShardStreams.of(executeMultiShard(queries, false));
    }

    /**
     * Runs one query on one shard in its own autocommit transaction, outside the session's transaction
     * (sequence reservations, lookup-vindex rows of consistent lookups).
     */
    QueryResult executeStandalone(String keyspace, String shard, BoundQuery query);

    /** The most rows a primitive may hold in memory at vtgate (Vitess's {@code max_memory_rows}, 300,000). */
    long maxMemoryRows();

    /** Records the id of an auto-increment insert, for {@code LAST_INSERT_ID()} and the OK packet. */
    void setLastInsertId(long id);

    /**
     * The cursor lookup vindexes run their queries through: SQL planned and routed like a client's query, in
     * this session's transaction or in an autocommit transaction of its own.
     */
    VindexCursor vindexCursor();

    /**
     * Runs {@code work} (several statements that belong together, such as a DML and its lookup-vindex rows) in
     * the session's transaction; when the session has none and autocommits, in an implicit transaction that is
     * committed when {@code work} returns and rolled back if it throws, as Vitess does for such DML.
     */
    <T> T inTransaction(Supplier<T> work);
}
