package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.DbPools;
import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's connections held across calls, as Vitess's stateful connection pool: open transactions and
 * reserved connections (a connection kept for one vtgate session, with the session's settings applied by
 * pre-queries), each from the transaction pool under an id unique for the life of the process (seeded from
 * the start time in nanoseconds, then counted up, as Vitess does). A transaction begun on a reserved
 * connection keeps its id; commit and rollback end the transaction and keep the reservation; release ends
 * both, and closes a reserved connection rather than pooling it with another session's settings. An id is
 * used by one call at a time; a second concurrent call gets "in use". A transaction whose connection broke,
 * or that MySQL rolled back after a deadlock, is ended (a plain transaction's id is then unknown) and a
 * broken connection dropped. A background killer ({@link TxKiller}) rolls back transactions open longer than
 * the transaction timeout and closes reserved connections idle that long, as Vitess does. A transaction may
 * hold a place in a hot row's queue ({@link TxSerializer}), given at begin and released whenever the
 * transaction ends.
 * A transaction of an atomic distributed transaction (TWOPC) is an XA branch: it begins with XA START, a
 * one-phase commit or a rollback ends it with XA END and XA COMMIT ... ONE PHASE or XA ROLLBACK, and
 * {@link #prepare} ends it with XA END and XA PREPARE and closes its connection, which MySQL then keeps
 * prepared without a session. A branch's connection is never pooled again unless the branch ended cleanly.
 * Thread-safe.
 */
final class TxEngine {
    private static final Logger log = LoggerFactory.getLogger(TxEngine.class);
    private static final int ER_LOCK_DEADLOCK = 1213;

    private final DbPools pools;
    private final QueryExecutor executor;
    private final String logPrefix;
    private final ConcurrentHashMap<Long, StatefulConn> active = new ConcurrentHashMap<>();
    private final AtomicLong lastId;
    private final TxKiller killer;

    /** @param timeout how long a transaction may stay open, or a reserved connection idle; zero for no limit */
    TxEngine(DbPools pools, QueryExecutor executor, String logPrefix, Duration timeout) {
        this.pools = pools;
        this.executor = executor;
        this.logPrefix = logPrefix;
        Instant now = Instant.now();
        this.lastId = new AtomicLong(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        this.killer = new TxKiller(this, executor, timeout, logPrefix);
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
        return begin(options, hotRow, null);
    }

    /**
     * Starts a transaction, as the XA branch {@code xid} (SQL, e.g. {@code 'dtid','ks:-80'}) when not null.
     * A failed XA START leaves the connection closed, not pooled.
     */
    long begin(ExecuteOptions options, TxSerializer.Slot hotRow, String xid) {
        DbConn conn = newConn(options, hotRow);
        try {
            if (xid == null) {
                runBeginStatements(conn, options);
            } else {
                for (String sql : BeginStatements.xa(options.getTransactionIsolation(), xid)) {
                    executor.run(conn, sql);
                }
            }
        } catch (RuntimeException e) {
            if (xid == null) {
                pools.giveBack(conn);
            } else {
                pools.evict(conn);
            }
            hotRow.release();
            throw e;
        }
        StatefulConn sc = register(conn);
        sc.xid = xid;
        sc.isInTransaction = true;
        sc.txStartNanos = System.nanoTime();
        sc.hotRow = hotRow;
        return sc.id;
    }

    /**
     * Reserves a transaction-pool connection for one session and runs {@code preQueries} (the session's
     * settings) on it; returns its id. A connection whose pre-queries failed is closed, not pooled.
     */
    long reserve(ExecuteOptions options, List<String> preQueries) {
        DbConn conn = newConn(options, TxSerializer.Slot.NONE);
        try {
            for (String sql : preQueries) {
                executor.run(conn, sql);
            }
        } catch (RuntimeException e) {
            pools.evict(conn);
            throw e;
        }
        StatefulConn sc = register(conn);
        sc.isReserved = true;
        return sc.id;
    }

    private DbConn newConn(ExecuteOptions options, TxSerializer.Slot hotRow) {
        try {
            return pools.get(PoolKind.transaction(options.getClientFoundRows()));
        } catch (RuntimeException e) {
            hotRow.release();
            throw e;
        }
    }

    private StatefulConn register(DbConn conn) {
        StatefulConn sc = new StatefulConn(lastId.incrementAndGet(), conn);
        active.put(sc.id, sc);
        return sc;
    }

    /** Begins a transaction on reserved connection {@code id}; the transaction gets the same id. */
    void beginOn(long id, ExecuteOptions options, TxSerializer.Slot hotRow) {
        StatefulConn sc;
        try {
            sc = acquire(id);
        } catch (RuntimeException e) {
            hotRow.release();
            throw e;
        }
        try {
            if (sc.isInTransaction) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "transaction " + id + ": already in a transaction");
            }
            runBeginStatements(sc.conn, options);
            sc.isInTransaction = true;
            sc.txStartNanos = System.nanoTime();
            sc.hotRow = hotRow;
        } catch (RuntimeException e) {
            hotRow.release();
            throw e;
        } finally {
            afterCall(sc, false);
        }
    }

    /** Makes transaction {@code id}'s connection reserved too, running {@code preQueries} on it. */
    void reserveTransaction(long id, List<String> preQueries) {
        run(id, conn -> {
            for (String sql : preQueries) {
                executor.run(conn, sql);
            }
            active.get(id).isReserved = true;
            return null;
        });
    }

    private void runBeginStatements(DbConn conn, ExecuteOptions options) {
        for (String sql : BeginStatements.plain(options.getTransactionIsolation())) {
            executor.run(conn, sql);
        }
    }

    /** Runs work on the connection of transaction or reservation {@code id}; a broken connection ends it. */
    <T> T run(long id, Function<DbConn, T> work) {
        StatefulConn sc = acquire(id);
        boolean isRolledBack = false;
        try {
            return work.apply(sc.conn);
        } catch (VtException e) {
            // After a deadlock InnoDB has rolled the whole transaction back and the session is in autocommit
            // again: end it here, so later statements cannot silently commit one by one under the old id.
            isRolledBack = e.errno() == ER_LOCK_DEADLOCK && sc.isInTransaction;
            throw e;
        } finally {
            afterCall(sc, isRolledBack);
        }
    }

    /** Runs {@code before} and then the query on held connection {@code id}; the query's result. */
    QueryResult runAll(long id, List<String> before, String sql, ExecuteOptions options) {
        return run(id, conn -> {
            for (String pre : before) {
                executor.run(conn, pre);
            }
            return executor.execute(conn, sql, options);
        });
    }

    /** Ends what a call left ended: a broken connection ends everything, a deadlock the transaction. */
    private void afterCall(StatefulConn sc, boolean isRolledBack) {
        if (sc.conn.isBroken()) {
            end(sc, "connection broke");
        } else if (isRolledBack && !sc.isReserved) {
            end(sc, "deadlock");
        } else {
            if (isRolledBack) {
                endTransaction(sc);
            }
            release(sc);
        }
    }

    /** Commits; returns the id the connection stays reserved under, 0 if it went back. Id 0 is a no-op, as in Vitess. */
    long commit(long id) {
        return finish(id, "commit");
    }

    /** Rolls back; returns the id the connection stays reserved under, 0 if it went back. Id 0 is a no-op. */
    long rollback(long id) {
        return finish(id, "rollback");
    }

    private long finish(long id, String sql) {
        if (id == 0) {
            return 0;
        }
        StatefulConn sc = acquire(id);
        if (!sc.isInTransaction) { // a reservation without a transaction: nothing to end
            release(sc);
            return id;
        }
        try {
            if (sc.xid == null) {
                executor.run(sc.conn, sql);
            } else {
                executor.run(sc.conn, "xa end " + sc.xid);
                executor.run(sc.conn, sql.equals("commit") ? "xa commit " + sc.xid + " one phase" : "xa rollback " + sc.xid);
                sc.isXaEnded = true;
            }
        } catch (VtException e) {
            cleanUpAfterFailed(sc, sql);
            throw e;
        } finally {
            if (sc.isReserved && !sc.conn.isBroken()) {
                endTransaction(sc);
                release(sc);
            } else {
                end(sc, sql);
            }
        }
        return sc.isReserved ? id : 0;
    }

    /** After a failed COMMIT or ROLLBACK on a live connection, make sure it goes back with no transaction. */
    private void cleanUpAfterFailed(StatefulConn sc, String sql) {
        if (sc.conn.isBroken() || sc.xid != null) { // an XA branch's connection is closed, which rolls it back
            return;
        }
        try {
            executor.run(sc.conn, "rollback");
        } catch (VtException e) {
            log.warn("{}: transaction {}: rollback after failed {} also failed: {}", logPrefix, sc.id, sql, e.getMessage());
            sc.conn.markBroken();
        }
    }

    /**
     * Ends and prepares XA branch {@code id} (XA END, XA PREPARE) and closes its connection, so MySQL keeps
     * the branch prepared without a session and any connection can commit or roll it back once MySQL has
     * seen the close. Returns the MySQL connection id that held the branch, for the caller to wait until it
     * is gone. A failure rolls the branch back (the connection is closed) and is thrown.
     */
    long prepare(long id, String xid) {
        StatefulConn sc = acquire(id);
        try {
            if (!sc.isInTransaction || !xid.equals(sc.xid)) {
                if (sc.isInTransaction) {
                    cleanUpAfterFailed(sc, "prepare"); // a plain transaction must not go back to the pool open
                }
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "transaction " + id + ": not the XA branch " + xid);
            }
            long connectionId = TwoPc.queryLong(sc.conn, "select connection_id()");
            executor.run(sc.conn, "xa end " + xid);
            executor.run(sc.conn, "xa prepare " + xid);
            return connectionId;
        } finally {
            end(sc, "prepared");
        }
    }

    /** Rolls back the transaction {@code id} (if one is open) and closes its reserved connection; 0 is a no-op. */
    void release(long id) {
        if (id == 0) {
            return;
        }
        StatefulConn sc = acquire(id);
        try {
            if (sc.isInTransaction) {
                cleanUpAfterFailed(sc, "release");
            }
        } finally {
            end(sc, "released");
        }
    }

    /** The id of the open transaction that is XA branch {@code xid}, or 0. */
    long findXa(String xid) {
        for (StatefulConn sc : active.values()) {
            if (xid.equals(sc.xid)) {
                return sc.id;
            }
        }
        return 0;
    }

    boolean isActive(long id) {
        return active.containsKey(id);
    }

    /** How many transactions and reservations are held. */
    int activeCount() {
        return active.size();
    }

    /** How many transactions are open (on reserved connections or not). */
    int transactionCount() {
        return (int) active.values().stream().filter(sc -> sc.isInTransaction).count();
    }

    /** How many reserved connections are held. */
    int reservedCount() {
        return (int) active.values().stream().filter(sc -> sc.isReserved).count();
    }

    /**
     * Rolls back transactions open longer than the timeout at {@code nowNanos}, and closes reserved connections
     * idle that long, when not running a call right now; returns how many ({@link TxKiller}).
     */
    int killExpired(long nowNanos) {
        return killer.killExpired(nowNanos);
    }

    /** How many transactions the killer rolled back for exceeding the transaction timeout. */
    long kills() {
        return killer.kills();
    }

    /** How many reserved connections the killer closed for being idle longer than the transaction timeout. */
    long reservedKills() {
        return killer.reservedKills();
    }

    /** The connections held now, for the killer. */
    Collection<StatefulConn> held() {
        return active.values();
    }

    /** Whether {@code sc} is still held (not ended since it was looked up). */
    boolean isHeld(StatefulConn sc) {
        return active.get(sc.id) == sc;
    }

    /** Stops the killer, rolls back every open transaction and closes every reserved connection, for shutdown. */
    void close() {
        killer.close();
        for (Long id : List.copyOf(active.keySet())) {
            try {
                release(id);
            } catch (VtException e) {
                log.warn("{}: releasing connection {} at shutdown: {}", logPrefix, id, e.getMessage());
            }
        }
    }

    private StatefulConn acquire(long id) {
        StatefulConn sc = active.get(id);
        if (sc == null) {
            throw VtException.of(ErrorCode.NOT_FOUND, "transaction " + id + ": not found");
        }
        if (!sc.inUse.compareAndSet(false, true)) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, "transaction " + id + ": in use by another call");
        }
        if (active.get(id) != sc) { // ended between the lookup and the claim
            throw VtException.of(ErrorCode.NOT_FOUND, "transaction " + id + ": not found");
        }
        return sc;
    }

    private static void release(StatefulConn sc) {
        sc.idleSinceNanos = System.nanoTime();
        sc.inUse.set(false);
    }

    /** The transaction ended on a connection that stays reserved. */
    private static void endTransaction(StatefulConn sc) {
        sc.isInTransaction = false;
        TxSerializer.Slot slot = sc.hotRow;
        sc.hotRow = TxSerializer.Slot.NONE;
        slot.release();
    }

    /** Ends what {@code sc} holds and gives its connection back, or closes it when it must not be reused. */
    void end(StatefulConn sc, String reason) {
        active.remove(sc.id, sc);
        sc.hotRow.release();
        if (sc.conn.isBroken()) {
            log.warn("{}: transaction {} ended ({}): its connection was dropped", logPrefix, sc.id, reason);
            pools.giveBack(sc.conn);
        } else if (sc.isReserved || (sc.xid != null && !sc.isXaEnded)) {
            // It carries a session's settings, or an XA branch that closing the connection rolls back (or, once
            // prepared, leaves to MySQL): never hand it to another caller.
            pools.evict(sc.conn);
        } else {
            pools.giveBack(sc.conn);
        }
    }
}
