package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.TransactionIsolation;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.DbPools;
import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open transactions of one tablet: each holds a connection from the transaction pool under an id that
 * is unique for the life of the process (seeded from the start time in nanoseconds, then counted up, as
 * Vitess does). An id is used by one call at a time; a second concurrent call gets "in use". A
 * transaction whose connection broke, or that MySQL rolled back after a deadlock, is ended (its id is
 * then unknown) and a broken connection dropped; one left open longer than the transaction timeout is
 * rolled back by a background killer, as Vitess does. A transaction may hold a place in a hot row's
 * queue ({@link TxSerializer}), given at begin and released whenever the transaction ends. Thread-safe.
 */
final class TxEngine {
    private static final Logger log = LoggerFactory.getLogger(TxEngine.class);
    private static final int ER_LOCK_DEADLOCK = 1213;

    private final DbPools pools;
    private final QueryExecutor executor;
    private final String logPrefix;
    private final ConcurrentHashMap<Long, TxConn> active = new ConcurrentHashMap<>();
    private final AtomicLong lastId;
    private final Duration timeout;
    private final ScheduledExecutorService killer;
    private final LongAdder kills = new LongAdder();

    /**
     * One open transaction; {@code inUse} keeps a second RPC off the connection while one runs.
     *
     * @param hotRow its place in a hot row's queue, released when the transaction ends
     */
    private record TxConn(long id, DbConn conn, AtomicBoolean inUse, long startNanos, TxSerializer.Slot hotRow) {}

    /** @param timeout how long a transaction may stay open before it is rolled back; zero for no limit */
    TxEngine(DbPools pools, QueryExecutor executor, String logPrefix, Duration timeout) {
        this.pools = pools;
        this.executor = executor;
        this.logPrefix = logPrefix;
        this.timeout = timeout;
        Instant now = Instant.now();
        this.lastId = new AtomicLong(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        this.killer = timeout.isZero() ? null : startKiller(logPrefix, timeout);
    }

    private ScheduledExecutorService startKiller(String name, Duration txTimeout) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(name + " tx-killer").factory());
        long every = Math.max(10, txTimeout.toMillis() / 10); // Vitess checks ten times per timeout
        s.scheduleWithFixedDelay(() -> killExpired(System.nanoTime()), every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Starts a transaction on a transaction-pool connection and returns its id. With client_found_rows the
     * connection comes from the found-rows pool, and every statement of the transaction counts found rows.
     */
    long begin(ExecuteOptions options) {
        return begin(options, TxSerializer.Slot.NONE);
    }

    /**
     * Starts a transaction that holds a place in a hot row's queue until it ends; the place is released
     * here if the transaction cannot start.
     */
    long begin(ExecuteOptions options, TxSerializer.Slot hotRow) {
        DbConn conn;
        try {
            conn = pools.get(PoolKind.transaction(options.getClientFoundRows()));
        } catch (RuntimeException e) {
            hotRow.release();
            throw e;
        }
        try {
            for (String sql : beginStatements(options.getTransactionIsolation())) {
                executor.run(conn, sql);
            }
        } catch (RuntimeException e) {
            pools.giveBack(conn);
            hotRow.release();
            throw e;
        }
        long id = lastId.incrementAndGet();
        active.put(id, new TxConn(id, conn, new AtomicBoolean(false), System.nanoTime(), hotRow));
        return id;
    }

    private static List<String> beginStatements(TransactionIsolation isolation) {
        return switch (isolation) {
            case DEFAULT, UNRECOGNIZED -> List.of("begin");
            case REPEATABLE_READ -> List.of("set transaction isolation level repeatable read", "begin");
            case READ_COMMITTED -> List.of("set transaction isolation level read committed", "begin");
            case READ_UNCOMMITTED -> List.of("set transaction isolation level read uncommitted", "begin");
            case SERIALIZABLE -> List.of("set transaction isolation level serializable", "begin");
            case CONSISTENT_SNAPSHOT_READ_ONLY -> List.of("set transaction isolation level repeatable read",
                    "start transaction with consistent snapshot, read only");
            case AUTOCOMMIT -> List.of(); // statements commit one by one on the reserved connection
        };
    }

    /** Runs work on the transaction's connection; a broken connection ends the transaction. */
    <T> T run(long id, Function<DbConn, T> work) {
        TxConn tx = acquire(id);
        boolean isRolledBack = false;
        try {
            return work.apply(tx.conn());
        } catch (VtException e) {
            // After a deadlock InnoDB has rolled the whole transaction back and the session is in autocommit
            // again: end it here, so later statements cannot silently commit one by one under the old id.
            isRolledBack = e.errno() == ER_LOCK_DEADLOCK;
            throw e;
        } finally {
            if (tx.conn().isBroken()) {
                end(tx, "connection broke");
            } else if (isRolledBack) {
                end(tx, "deadlock");
            } else {
                release(tx);
            }
        }
    }

    /** Commits and returns the connection; id 0 is a no-op, as in Vitess. */
    void commit(long id) {
        finish(id, "commit");
    }

    /** Rolls back and returns the connection; id 0 is a no-op, as in Vitess. */
    void rollback(long id) {
        finish(id, "rollback");
    }

    private void finish(long id, String sql) {
        if (id == 0) {
            return;
        }
        TxConn tx = acquire(id);
        try {
            executor.run(tx.conn(), sql);
        } catch (VtException e) {
            cleanUpAfterFailed(tx, sql);
            throw e;
        } finally {
            end(tx, sql);
        }
    }

    /** After a failed COMMIT or ROLLBACK on a live connection, make sure it goes back with no transaction. */
    private void cleanUpAfterFailed(TxConn tx, String sql) {
        if (tx.conn().isBroken()) {
            return;
        }
        try {
            executor.run(tx.conn(), "rollback");
        } catch (VtException e) {
            log.warn("{}: transaction {}: rollback after failed {} also failed: {}", logPrefix, tx.id(), sql, e.getMessage());
            tx.conn().markBroken();
        }
    }

    boolean isActive(long id) {
        return active.containsKey(id);
    }

    int activeCount() {
        return active.size();
    }

    /**
     * Rolls back transactions open longer than the timeout at {@code nowNanos} and not running a call right
     * now; returns how many. Later calls with their ids get "not found".
     */
    int killExpired(long nowNanos) {
        int killed = 0;
        for (TxConn tx : active.values()) {
            boolean isExpired = nowNanos - tx.startNanos() > timeout.toNanos();
            if (isExpired && tx.inUse().compareAndSet(false, true) && active.get(tx.id()) == tx) {
                log.warn("{}: transaction {} exceeded the {} transaction timeout; rolling it back", logPrefix, tx.id(), timeout);
                try {
                    executor.run(tx.conn(), "rollback");
                } catch (VtException e) {
                    tx.conn().markBroken();
                } finally {
                    end(tx, "killed");
                }
                killed++;
                kills.increment();
            }
        }
        return killed;
    }

    /** How many transactions the killer rolled back for exceeding the transaction timeout. */
    long kills() {
        return kills.sum();
    }

    /** Stops the killer and rolls back every open transaction, for shutdown. */
    void close() {
        if (killer != null) {
            killer.shutdownNow();
        }
        rollbackAll();
    }

    /** Rolls back every open transaction. */
    private void rollbackAll() {
        for (Long id : List.copyOf(active.keySet())) {
            try {
                rollback(id);
            } catch (VtException e) {
                log.warn("{}: rolling back transaction {} at shutdown: {}", logPrefix, id, e.getMessage());
            }
        }
    }

    private TxConn acquire(long id) {
        TxConn tx = active.get(id);
        if (tx == null) {
            throw VtException.of(ErrorCode.NOT_FOUND, "transaction " + id + ": not found");
        }
        if (!tx.inUse().compareAndSet(false, true)) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, "transaction " + id + ": in use by another call");
        }
        if (active.get(id) != tx) { // ended between the lookup and the claim
            throw VtException.of(ErrorCode.NOT_FOUND, "transaction " + id + ": not found");
        }
        return tx;
    }

    private static void release(TxConn tx) {
        tx.inUse().set(false);
    }

    private void end(TxConn tx, String reason) {
        active.remove(tx.id(), tx);
        tx.hotRow().release();
        if (tx.conn().isBroken()) {
            log.warn("{}: transaction {} ended ({}): its connection was dropped", logPrefix, tx.id(), reason);
        }
        pools.giveBack(tx.conn());
    }
}
