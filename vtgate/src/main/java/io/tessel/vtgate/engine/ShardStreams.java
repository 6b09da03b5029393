package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results of several shard streams in flight, each in a bounded queue of parts (Vitess's small per-shard
 * channels): the shards' threads {@link #put} parts and {@link #end} their streams; one consumer takes them
 * shard by shard ({@link #next}, for a merge) or as they come ({@link #nextAny}). A full queue blocks its
 * shard, which holds the tablet and MySQL back. The first failure of any shard is thrown to the consumer at
 * its next take. {@link #close} (the consumer is done or gave up) wakes blocked producers, whose puts then
 * return false, and runs the cancel action that stops the shards' calls. Thread-safe.
 */
public final class ShardStreams implements AutoCloseable {
    /** Parts each shard may have waiting: with the tablet's 32 KiB parts, about 128 KiB per shard. */
    public static final int QUEUE_PARTS = 4;

    /** A part and the shard it came from. */
    public record Part(int shard, QueryResult result) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<QueryResult>[] queues;
    private final boolean[] isEnded;
    private final int capacity;
    private final Runnable cancel;
    private RuntimeException failure;
    private boolean isClosed;
    private int nextShard; // where nextAny starts looking, so no shard starves

    /**
     * @param shards   how many streams
     * @param capacity parts each queue holds before its producer blocks
     * @param cancel   stops the shards' calls; run once, by {@link #close}
     */
    @SuppressWarnings("unchecked")
    public ShardStreams(int shards, int capacity, Runnable cancel) {
        this.queues = new ArrayDeque[shards];
        for (int i = 0; i < shards; i++) {
            queues[i] = new ArrayDeque<>(capacity);
        }
        this.isEnded = new boolean[shards];
        this.capacity = capacity;
        this.cancel = cancel;
    }

    /** Streams already complete: each shard's whole result as its one part. */
    public static ShardStreams of(List<QueryResult> results) {
        ShardStreams streams = new ShardStreams(results.size(), 1, () -> { });
        for (int i = 0; i < results.size(); i++) {
            streams.queues[i].add(results.get(i));
            streams.isEnded[i] = true;
        }
        return streams;
    }

    /**
     * Queues a part of shard {@code shard}, waiting while its queue is full.
     *
     * @return false when the consumer has closed the streams: the producer should stop
     * @throws VtException CANCELED when the waiting thread is interrupted
     */
    public boolean put(int shard, QueryResult part) {
        lock.lock();
        try {
            while (!isClosed && queues[shard].size() >= capacity) {
                changed.await();
            }
            if (isClosed) {
                return false;
            }
            queues[shard].add(part);
            changed.signalAll();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VtException.of(ErrorCode.CANCELED, "interrupted while streaming from a shard");
        } finally {
            lock.unlock();
        }
    }

    /** Ends shard {@code shard}'s stream, with its failure or null when it ended normally. */
    public void end(int shard, RuntimeException error) {
        lock.lock();
        try {
            isEnded[shard] = true;
            if (error != null && failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many streams there are. */
    public int size() {
        return queues.length;
    }

    /**
     * The next part of shard {@code shard}, waiting for it; null when that stream has ended.
     *
     * @throws RuntimeException the first failure of any shard
     */
    public QueryResult next(int shard) {
        lock.lock();
        try {
            while (true) {
                checkFailure();
                QueryResult part = queues[shard].poll();
                if (part != null) {
                    changed.signalAll();
                    return part;
                }
                if (isEnded[shard]) {
                    return null;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next part of whichever shard has one, waiting for one; null when every stream has ended.
     *
     * @throws RuntimeException the first failure of any shard
     */
    public Part nextAny() {
        lock.lock();
        try {
            while (true) {
                checkFailure();
                boolean isAllEnded = true;
                for (int k = 0; k < queues.length; k++) {
                    int shard = (nextShard + k) % queues.length;
                    QueryResult part = queues[shard].poll();
                    if (part != null) {
                        nextShard = (shard + 1) % queues.length;
                        changed.signalAll();
                        return new Part(shard, part);
                    }
                    isAllEnded &= isEnded[shard];
                }
                if (isAllEnded) {
                    return null;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkFailure() {
        if (failure != null) {
            throw failure;
        }
        if (isClosed) {
            throw VtException.of(ErrorCode.CANCELED, "shard streams are closed");
        }
    }

    private void awaitChange() {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VtException.of(ErrorCode.CANCELED, "interrupted while waiting for shards");
        }
    }

    /** The consumer is done: producers stop at their next put and the shards' calls are cancelled. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (isClosed) {
                return;
            }
            isClosed = true;
            for (ArrayDeque<QueryResult> q : queues) {
                q.clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        cancel.run();
    }
}
