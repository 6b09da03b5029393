package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A cursor whose shards stream, as the tablets do: each shard's scripted result goes out from a thread of its
 * own as a fields-only part, then parts of {@code rowsPerPart} rows, into real {@link ShardStreams}. It counts
 * the parts produced and whether the consumer closed the streams; a shard named in {@code failing} fails
 * after its fields. Non-streaming execution is not part of these tests.
 */
class StreamingCursor implements VCursor {
    final AtomicInteger partsProduced = new AtomicInteger();
    final AtomicBoolean isCancelled = new AtomicBoolean();
    private final List<String> shards;
    private final Map<String, QueryResult> results;
    private final int rowsPerPart;
    private final String failing;

    StreamingCursor(Map<String, QueryResult> results, int rowsPerPart, String failing) {
        this.shards = results.keySet().stream().sorted().toList();
        this.results = results;
        this.rowsPerPart = rowsPerPart;
        this.failing = failing;
    }

    @Override
    public ShardStreams streamMultiShard(List<ShardQuery> queries) {
        ShardStreams streams = new ShardStreams(queries.size(), ShardStreams.QUEUE_PARTS, () -> isCancelled.set(true));
        for (int i = 0; i < queries.size(); i++) {
            int index = i;
            String shard = queries.get(i).shard();
            Thread.ofVirtual().start(() -> produce(streams, index, shard));
        }
        return streams;
    }

    private void produce(ShardStreams streams, int index, String shard) {
        QueryResult all = results.get(shard);
        if (!put(streams, index, QueryResult.newBuilder().addAllFields(all.getFieldsList()).build())) {
            return;
        }
        if (shard.equals(failing)) {
            streams.end(index, VtException.of(ErrorCode.UNAVAILABLE, "shard " + shard + " failed"));
            return;
        }
        for (int from = 0; from < all.getRowsCount(); from += rowsPerPart) {
            int to = Math.min(all.getRowsCount(), from + rowsPerPart);
            if (!put(streams, index, QueryResult.newBuilder().addAllRows(all.getRowsList().subList(from, to)).build())) {
                return;
            }
        }
        streams.end(index, null);
    }

    private boolean put(ShardStreams streams, int index, QueryResult part) {
        boolean isTaken = streams.put(index, part);
        if (isTaken) {
            partsProduced.incrementAndGet();
        } else {
            streams.end(index, null);
        }
        return isTaken;
    }

    @Override
    public ShardResolver resolver(String keyspace) {
        return ShardResolver.of(shards);
    }

    @Override
    public List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite) {
        return queries.stream().map(q -> results.get(q.shard())).toList();
    }

    @Override
    public QueryResult executeStandalone(String keyspace, String shard, BoundQuery query) {
        throw new UnsupportedOperationException("streaming tests do not run standalone queries");
    }

    @Override
    public long maxMemoryRows() {
        return 10;
    }

    @Override
    public void setLastInsertId(long id) {
        throw new UnsupportedOperationException("streaming tests do not insert");
    }

    @Override
    public VindexCursor vindexCursor() {
        throw new UnsupportedOperationException("streaming tests do not look up vindexes");
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        throw new UnsupportedOperationException("streaming tests do not write");
    }
}
