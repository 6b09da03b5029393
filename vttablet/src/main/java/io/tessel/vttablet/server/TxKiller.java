package io.tessel.vttablet.server;

import io.tessel.common.errors.VtException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vitess's transaction killer for {@link TxEngine}: in the background, ten times per transaction timeout,
 * rolls back transactions open longer than the timeout and closes reserved connections idle that long.
 * Later calls with their ids get "not found". Thread-safe.
 */
final class TxKiller {
    private static final Logger log = LoggerFactory.getLogger(TxKiller.class);

    private final TxEngine engine;
    private final QueryExecutor executor;
    private final Duration timeout;
    private final String logPrefix;
    private final ScheduledExecutorService scheduler;
    private final LongAdder kills = new LongAdder();
    private final LongAdder reservedKills = new LongAdder();

    /** Starts killing unless {@code timeout} is zero (no limit). */
    TxKiller(TxEngine engine, QueryExecutor executor, Duration timeout, String logPrefix) {
        this.engine = engine;
        this.executor = executor;
        this.timeout = timeout;
        this.logPrefix = logPrefix;
        this.scheduler = timeout.isZero() ? null : start();
    }

    private ScheduledExecutorService start() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(logPrefix + " tx-killer").factory());
        long every = Math.max(10, timeout.toMillis() / 10); // Vitess checks ten times per timeout
        s.scheduleWithFixedDelay(() -> killExpired(System.nanoTime()), every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Rolls back transactions open longer than the timeout at {@code nowNanos}, and closes reserved connections
     * idle that long, when not running a call right now; returns how many.
     */
    int killExpired(long nowNanos) {
        int killed = 0;
        for (StatefulConn sc : engine.held()) {
            if (isExpired(sc, nowNanos) && sc.inUse.compareAndSet(false, true)) {
                if (!engine.isHeld(sc) || !isExpired(sc, nowNanos)) { // ended or used in between
                    sc.inUse.set(false);
                    continue;
                }
                kill(sc);
                killed++;
            }
        }
        return killed;
    }

    /** Ends a claimed, expired connection, rolling its plain transaction back first. */
    private void kill(StatefulConn sc) {
        boolean isTransaction = sc.isInTransaction;
        log.warn("{}: {} {} exceeded the {} transaction timeout; closing it", logPrefix,
                isTransaction ? "transaction" : "idle reserved connection", sc.id, timeout);
        try {
            if (isTransaction && sc.xid == null) { // an XA branch's connection is closed, which rolls it back
                executor.run(sc.conn, "rollback");
            }
        } catch (VtException e) {
            sc.conn.markBroken();
        } finally {
            engine.end(sc, "killed");
        }
        (isTransaction ? kills : reservedKills).increment();
    }

    private boolean isExpired(StatefulConn sc, long nowNanos) {
        long since = sc.isInTransaction ? sc.txStartNanos : sc.idleSinceNanos;
        return nowNanos - since > timeout.toNanos();
    }

    /** How many transactions were rolled back for exceeding the transaction timeout. */
    long kills() {
        return kills.sum();
    }

    /** How many reserved connections were closed for being idle longer than the transaction timeout. */
    long reservedKills() {
        return reservedKills.sum();
    }

    /** Stops the background killing. */
    void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
