package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.List;
import java.util.function.Supplier;

/** A cursor for operator tests: only the memory limit is real; shard access is not part of these tests. */
final class FakeVCursor implements VCursor {
    private final long maxMemoryRows;

    FakeVCursor(long maxMemoryRows) {
        this.maxMemoryRows = maxMemoryRows;
    }

    FakeVCursor() {
        this(300_000);
    }

    @Override
    public ShardResolver resolver(String keyspace) {
        throw new UnsupportedOperationException("operator tests do not resolve shards");
    }

    @Override
    public List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite) {
        throw new UnsupportedOperationException("operator tests do not reach shards");
    }

    @Override
    public QueryResult executeStandalone(String keyspace, String shard, BoundQuery query) {
        throw new UnsupportedOperationException("operator tests do not reach shards");
    }

    @Override
    public long maxMemoryRows() {
        return maxMemoryRows;
    }

    @Override
    public void setLastInsertId(long id) {
        throw new UnsupportedOperationException("operator tests do not insert");
    }

    @Override
    public VindexCursor vindexCursor() {
        throw new UnsupportedOperationException("operator tests do not look up vindexes");
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        throw new UnsupportedOperationException("operator tests do not write");
    }
}
