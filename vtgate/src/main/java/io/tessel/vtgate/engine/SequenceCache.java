package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out values of Vitess sequence tables ({@code create table seq(id int, next_id bigint, cache bigint,
 * primary key(id)) comment 'vitess_sequence'}, one row with id 0): each sequence reserves a block of
 * {@code max(cache, n)} values at a time by advancing {@code next_id} with a compare-and-set update, then
 * serves requests from memory until the block runs out, as Vitess's tablet does. Safe with several vtgates,
 * since every block is reserved in the table. Thread-safe.
 */
public final class SequenceCache {
    private static final int MAX_ATTEMPTS = 100;

    private static final class Block {
        final ReentrantLock lock = new ReentrantLock();
        long next;
        long end; // exclusive
    }

    private final ConcurrentHashMap<String, Block> blocks = new ConcurrentHashMap<>();

    /**
     * Reserves {@code count} consecutive values of sequence {@code keyspace.table} and returns the first.
     *
     * @throws VtException INVALID_ARGUMENT for a count below 1, or the error of the sequence table's shard
     */
    public long next(VCursor vcursor, String keyspace, String table, long count) {
        if (count < 1) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "sequence " + table + ": number of values must be positive, got " + count);
        }
        Block block = blocks.computeIfAbsent(keyspace + "." + table, k -> new Block());
        block.lock.lock();
        try {
            if (block.end - block.next < count) {
                reserve(vcursor, keyspace, table, count, block);
            }
            long first = block.next;
            block.next += count;
            return first;
        } finally {
            block.lock.unlock();
        }
    }

    /** Forgets the cached blocks (their unused values are skipped, as when Vitess's tablet restarts). */
    public void clear() {
        blocks.clear();
    }

    private static void reserve(VCursor vcursor, String keyspace, String table, long count, Block block) {
        String shard = vcursor.resolver(keyspace).shardNames().getFirst();
        String quoted = "`" + table.replace("`", "``") + "`";
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            QueryResult row = vcursor.executeStandalone(keyspace, shard, BoundQuery.newBuilder()
                    .setSql("select next_id, cache from " + quoted + " where id = 0").build());
            if (row.getRowsCount() != 1) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "sequence table " + keyspace + "." + table
                        + " has no row with id 0; seed it with insert into " + table + "(id, next_id, cache) values (0, 1, 1000)");
            }
            byte[][] values = ResultRows.decode(row.getRows(0));
            long next = Long.parseLong(new String(values[0], StandardCharsets.US_ASCII));
            long cache = values[1] == null ? 1 : Long.parseLong(new String(values[1], StandardCharsets.US_ASCII));
            long amount = Math.max(Math.max(cache, 1), count);
            // Values below the table's next_id may have been handed out by a previous block of this vtgate.
            long start = Math.max(next, block.end);
            QueryResult updated = vcursor.executeStandalone(keyspace, shard, BoundQuery.newBuilder()
                    .setSql("update " + quoted + " set next_id = :new where id = 0 and next_id = :old")
                    .putBindVariables("new", int64(start + amount)).putBindVariables("old", int64(next)).build());
            if (updated.getRowsAffected() == 1) {
                block.next = start;
                block.end = start + amount;
                return;
            }
        }
        throw VtException.of(ErrorCode.ABORTED, "sequence " + keyspace + "." + table + ": could not reserve values after "
                + MAX_ATTEMPTS + " attempts (too much contention)");
    }

    private static BindVariable int64(long value) {
        return BindVariable.newBuilder().setType(Type.INT64)
                .setValue(com.google.protobuf.ByteString.copyFromUtf8(Long.toString(value))).build();
    }
}
