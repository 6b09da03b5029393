package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.health.HealthReporter;
import io.tessel.vttablet.server.TabletMeters.Method;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The way into every query-service call: refuses calls once the tablet is shut down and calls that would
 * start new work while it stops serving (with CLUSTER_EVENT: refused before doing anything, so vtgate's
 * buffer may send them again), and calls for another keyspace, shard or tablet type; counts the calls in
 * flight and records each one's latency in {@link TabletMeters}. Thread-safe.
 */
final class CallGate {
    private final TabletConfig config;
    private final String logPrefix;
    private final HealthReporter health;
    private final AtomicInteger inFlight = new AtomicInteger();
    private TabletMeters meters;
    private volatile boolean isStopping;
    private volatile boolean isClosed;

    CallGate(TabletConfig config, HealthReporter health) {
        this.config = config;
        this.logPrefix = config.logPrefix();
        this.health = health;
    }

    /** Where calls' latencies go; set once, before the first call. */
    void setMeters(TabletMeters meters) {
        this.meters = meters;
    }

    /**
     * Runs a call once admitted; {@code isInTransaction} calls (on an open transaction) pass while the tablet
     * stops serving.
     */
    <T> T call(Method method, Target target, boolean isInTransaction, Supplier<T> work) {
        long start = admit(target, isInTransaction);
        try {
            return work.get();
        } finally {
            release(method, start);
        }
    }

    /** {@link #call} for a call that returns nothing (a stream). */
    void run(Method method, Target target, boolean isInTransaction, Runnable work) {
        call(method, target, isInTransaction, () -> {
            work.run();
            return null;
        });
    }

    /** Checks a call and counts it in flight; returns its start time for {@link #release}. */
    private long admit(Target target, boolean isInTransaction) {
        check(target);
        if (isStopping && !isInTransaction) {
            throw VtException.of(ErrorCode.CLUSTER_EVENT, logPrefix + ": tablet is shutting down, not serving new queries");
        }
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    private void release(Method method, long startNanos) {
        inFlight.decrementAndGet();
        meters.record(method, startNanos);
    }

    /** Refuses a call to a closed tablet or for another target, and tells health a query came. */
    void check(Target target) {
        if (isClosed) {
            throw VtException.of(ErrorCode.CLUSTER_EVENT, logPrefix + ": tablet is shut down");
        }
        health.recordQuery();
        checkTarget(target);
    }

    private void checkTarget(Target target) {
        if (!target.getKeyspace().isEmpty() && !target.getKeyspace().equals(config.keyspace())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid keyspace " + target.getKeyspace() + " does not match expected " + config.keyspace());
        }
        if (!target.getShard().isEmpty() && !target.getShard().equals(config.shard())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid shard " + target.getShard() + " does not match expected " + config.shard());
        }
        TabletType type = target.getTabletType();
        if (type != TabletType.UNKNOWN && type != config.tabletType()) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION,
                    "invalid tablet type: " + type + ", want: " + config.tabletType());
        }
    }

    /** From now on calls that would start new work fail. */
    void stopServing() {
        isStopping = true;
    }

    /** From now on every call fails; true the first time. */
    boolean close() {
        if (isClosed) {
            return false;
        }
        isClosed = true;
        return true;
    }

    boolean isClosed() {
        return isClosed;
    }

    /** How many calls are running now. */
    int inFlight() {
        return inFlight.get();
    }
}
