package io.tessel.vttablet.server;

import com.mysql.cj.jdbc.JdbcConnection;
import io.grpc.Context;
import io.tessel.common.errors.VtException;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.DbPools;
import io.tessel.vttablet.pool.PoolKind;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the query timeout the way Vitess does: a statement still running when its time is up is
 * killed on MySQL with {@code KILL QUERY <connection id>}, sent over a connection of the DBA pool. The
 * statement's caller then reports DEADLINE_EXCEEDED, whatever MySQL answered (a killed {@code SLEEP}
 * returns 1 rather than an error). The same kill ends a statement whose caller went away: the gRPC
 * {@link Context} current when the watch starts (the RPC's, or vtgate's in process) cancelling means
 * CANCELED. A kill never reaches a later statement on the same connection: the caller does not give the
 * connection back until a kill that started has finished, and MySQL ignores a {@code KILL QUERY} that
 * arrives while the connection is idle. Thread-safe.
 */
final class QueryWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryWatchdog.class);
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int KILLING = 2;
    private static final int CANCELLING = 3;
    /** Longest a statement's caller waits for its kill to be sent before dropping the connection instead. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final DbPools pools;
    private final Duration timeout;
    private final String logPrefix;
    private final ScheduledThreadPoolExecutor timer;
    private final LongAdder kills = new LongAdder();
    private final LongAdder cancelKills = new LongAdder();

    /** How a watched statement ended. */
    enum Outcome {
        COMPLETED,
        /** killed for running past the query timeout */
        TIMED_OUT,
        /** killed because its caller cancelled (client disconnect, a stream nobody reads any more) */
        CANCELLED
    }

    /** @param timeout how long a statement may run; zero for no limit (nothing is watched) */
    QueryWatchdog(DbPools pools, Duration timeout, String logPrefix) {
        this.pools = pools;
        this.timeout = timeout;
        this.logPrefix = logPrefix;
        if (timeout.isZero()) {
            timer = null;
        } else {
            timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name(logPrefix + " query-killer").factory());
            timer.setRemoveOnCancelPolicy(true); // cancelled watches must not pile up in the queue
        }
    }

    /**
     * Starts watching a statement about to run on {@code conn} for the query timeout and for its caller's
     * cancellation; the caller must {@link Watch#finish} it.
     */
    Watch watch(DbConn conn) {
        Watch w = new Watch(conn);
        if (timer != null) {
            w.task = timer.schedule(() -> w.kill(Outcome.TIMED_OUT), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        w.listenForCancellation();
        return w;
    }

    /** Starts watching a statement with no time limit (a stream) for its caller's cancellation only. */
    Watch watchCancellation(DbConn conn) {
        Watch w = new Watch(conn);
        w.listenForCancellation();
        return w;
    }

    Duration timeout() {
        return timeout;
    }

    /** How many statements were killed for running past the timeout. */
    long kills() {
        return kills.sum();
    }

    /** How many statements were killed because their caller cancelled. */
    long cancelKills() {
        return cancelKills.sum();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * One watched statement: RUNNING until the caller finishes it (DONE) or the timer or a cancellation
     * kills it (KILLING for the timeout, CANCELLING for a cancellation).
     */
    final class Watch {
        private final DbConn conn;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final CountDownLatch killSent = new CountDownLatch(1);
        private volatile ScheduledFuture<?> task;
        private Context context;
        private Context.CancellationListener onCancel;
        private long connectionId;

        private Watch(DbConn conn) {
            this.conn = conn;
        }

        /** Kills the statement when the current context is (or becomes) cancelled; a no-op for the root context. */
        private void listenForCancellation() {
            context = Context.current();
            onCancel = c -> kill(Outcome.CANCELLED);
            context.addListener(onCancel, Runnable::run); // runs at once when already cancelled
        }

        /**
         * Ends the watch once the statement has returned; waits for a kill that already started, so it
         * cannot hit the connection's next statement. Idempotent.
         *
         * @return whether and why the statement was killed
         */
        Outcome finish() {
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            if (onCancel != null) {
                context.removeListener(onCancel);
            }
            if (state.compareAndSet(RUNNING, DONE) || state.get() == DONE) {
                return Outcome.COMPLETED;
            }
            if (!awaitKill()) {
                conn.markBroken(); // the kill may still land: the connection must not run another statement
            }
            return state.get() == KILLING ? Outcome.TIMED_OUT : Outcome.CANCELLED;
        }

        /** Waits, at most {@link #KILL_WAIT}, for the kill to have been sent; keeps an interrupt for later. */
        private boolean awaitKill() {
            boolean isInterrupted = false;
            long deadline = System.nanoTime() + KILL_WAIT.toNanos();
            try {
                while (true) {
                    try {
                        return killSent.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        isInterrupted = true;
                    }
                }
            } finally {
                if (isInterrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        long connectionId() {
            return connectionId;
        }

        private void kill(Outcome reason) {
            if (!state.compareAndSet(RUNNING, reason == Outcome.TIMED_OUT ? KILLING : CANCELLING)) {
                return;
            }
            (reason == Outcome.TIMED_OUT ? kills : cancelKills).increment();
            // Off the timer thread: getting a DBA connection may mean opening one.
            Thread.ofVirtual().name(logPrefix + " kill").start(() -> {
                try {
                    killQuery();
                } finally {
                    killSent.countDown();
                }
            });
        }

        private void killQuery() {
            DbConn dba = null;
            try {
                connectionId = conn.connection().unwrap(JdbcConnection.class).getId();
                dba = pools.get(PoolKind.DBA);
                try (Statement st = dba.connection().createStatement()) {
                    st.execute("KILL QUERY " + connectionId);
                }
                if (state.get() == KILLING) {
                    log.warn("{}: killed query on MySQL connection {} after the {} query timeout", logPrefix, connectionId,
                            timeout);
                } else {
                    log.info("{}: killed query on MySQL connection {}: its caller cancelled", logPrefix, connectionId);
                }
            } catch (SQLException | VtException e) {
                // MySQL's own max_statement_time, set a little above the timeout, still ends the statement.
                log.warn("{}: could not kill the query on MySQL connection {}: {}", logPrefix, connectionId, e.getMessage());
                if (dba != null && e instanceof SQLException) {
                    dba.markBroken();
                }
            } finally {
                if (dba != null) {
                    pools.giveBack(dba);
                }
            }
        }
    }
}
