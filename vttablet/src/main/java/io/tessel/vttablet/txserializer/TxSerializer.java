package io.tessel.vttablet.txserializer;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot-row protection, after Vitess's {@code txserializer}: transactions that write the same row (see
 * {@link HotRowKey}) take a slot of that row's queue before their first statement and keep it until they
 * end. At most {@code concurrentTransactions} hold a row's slots; later ones wait in line (fairly, first
 * come first served), so MySQL sees a few lock waiters per row instead of hundreds. A row's queue
 * (holders plus waiters) and all queues together are bounded; a transaction beyond either bound fails at
 * once with RESOURCE_EXHAUSTED. In dry-run mode nothing waits or fails: what would have is counted.
 * Thread-safe; the queue bookkeeping is under one lock, never held while waiting.
 */
public final class TxSerializer {
    private static final Logger log = LoggerFactory.getLogger(TxSerializer.class);

    private final HotRowConfig config;
    private final String logPrefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final HashMap<String, RowQueue> queues = new HashMap<>();
    private int globalSize;
    private final LongAdder waits = new LongAdder();
    private final LongAdder queueExceeded = new LongAdder();
    private final LongAdder globalQueueExceeded = new LongAdder();
    private final LongAdder waitsDryRun = new LongAdder();
    private final LongAdder queueExceededDryRun = new LongAdder();
    private final LongAdder globalQueueExceededDryRun = new LongAdder();

    /** A row's transactions, running plus waiting; {@code slots} admits the running ones. Guarded by {@code lock}. */
    private static final class RowQueue {
        final Semaphore slots;
        int size;

        RowQueue(int concurrent) {
            slots = new Semaphore(concurrent, true);
        }
    }

    /** A transaction's place in a row's queue; released once, when the transaction ends. */
    public interface Slot {
        /** Not in any queue. */
        Slot NONE = () -> { };

        void release();
    }

    /** One row's queue length, for {@code /debug/hotrows}. */
    public record QueueLength(String key, int transactions) {}

    /** The counters, for stats pages: each a total since start. */
    public record Stats(long waits, long queueExceeded, long globalQueueExceeded, long waitsDryRun,
                        long queueExceededDryRun, long globalQueueExceededDryRun) {}

    public TxSerializer(HotRowConfig config, String logPrefix) {
        this.config = config;
        this.logPrefix = logPrefix;
    }

    /**
     * Takes a slot of the row's queue, waiting up to {@code maxWait} (zero for no limit) behind the
     * transactions already holding one.
     *
     * @throws VtException RESOURCE_EXHAUSTED when the row's or the global queue is full, DEADLINE_EXCEEDED
     *                     after waiting {@code maxWait}, CANCELED when interrupted
     */
    public Slot acquire(String key, Duration maxWait) {
        RowQueue q = enqueue(key);
        if (q == null) {
            return Slot.NONE; // dry run over a limit: counted, not tracked
        }
        if (config.isDryRun()) {
            return new Held(key, q, false);
        }
        try {
            boolean isAdmitted = maxWait.isZero() ? acquireUnbounded(q) : q.slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            if (!isAdmitted) {
                dequeue(key, q);
                throw VtException.of(ErrorCode.DEADLINE_EXCEEDED, "hot row protection: waited " + maxWait.toMillis()
                        + "ms for the transactions ahead on the same row (table + WHERE clause: '" + key + "')");
            }
        } catch (InterruptedException e) {
            dequeue(key, q);
            Thread.currentThread().interrupt();
            throw VtException.of(ErrorCode.CANCELED, "hot row protection: interrupted while waiting for the row '" + key + "'");
        }
        return new Held(key, q, true);
    }

    private static boolean acquireUnbounded(RowQueue q) throws InterruptedException {
        q.slots.acquire();
        return true;
    }

    /** Adds the transaction to the row's queue, counting a wait if it will have to; null in dry run past a limit. */
    private RowQueue enqueue(String key) {
        lock.lock();
        try {
            if (globalSize >= config.maxGlobalQueueSize()) {
                return overLimit(globalQueueExceeded, globalQueueExceededDryRun, "too many queued transactions ("
                        + globalSize + " >= " + config.maxGlobalQueueSize() + ")");
            }
            RowQueue q = queues.computeIfAbsent(key, k -> new RowQueue(config.concurrentTransactions()));
            if (q.size >= config.maxQueueSize()) {
                return overLimit(queueExceeded, queueExceededDryRun, "too many queued transactions (" + q.size + " >= "
                        + config.maxQueueSize() + ") for the same row (table + WHERE clause: '" + key + "')");
            }
            q.size++;
            globalSize++;
            if (q.size > config.concurrentTransactions()) {
                (config.isDryRun() ? waitsDryRun : waits).increment();
            }
            return q;
        } finally {
            lock.unlock();
        }
    }

    private RowQueue overLimit(LongAdder counter, LongAdder dryRunCounter, String reason) {
        if (config.isDryRun()) {
            dryRunCounter.increment();
            log.debug("{}: hot row protection (dry run) would reject: {}", logPrefix, reason);
            return null;
        }
        counter.increment();
        throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED, "hot row protection: " + reason);
    }

    private void dequeue(String key, RowQueue q) {
        lock.lock();
        try {
            q.size--;
            globalSize--;
            if (q.size == 0) {
                queues.remove(key, q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A held (or, in dry run, counted) place in a row's queue. */
    private final class Held implements Slot {
        private final String key;
        private final RowQueue queue;
        private final boolean hasPermit;
        private final AtomicBoolean isReleased = new AtomicBoolean();

        Held(String key, RowQueue queue, boolean hasPermit) {
            this.key = key;
            this.queue = queue;
            this.hasPermit = hasPermit;
        }

        @Override
        public void release() {
            if (!isReleased.compareAndSet(false, true)) {
                return;
            }
            if (hasPermit) {
                queue.slots.release();
            }
            dequeue(key, queue);
        }
    }

    /** The rows with transactions running or waiting right now, longest queue first. */
    public List<QueueLength> queueLengths() {
        List<QueueLength> out = new ArrayList<>();
        lock.lock();
        try {
            queues.forEach((key, q) -> out.add(new QueueLength(key, q.size)));
        } finally {
            lock.unlock();
        }
        out.sort(Comparator.comparingInt(QueueLength::transactions).reversed());
        return out;
    }

    public Stats stats() {
        return new Stats(waits.sum(), queueExceeded.sum(), globalQueueExceeded.sum(), waitsDryRun.sum(),
                queueExceededDryRun.sum(), globalQueueExceededDryRun.sum());
    }

    public HotRowConfig config() {
        return config;
    }
}
