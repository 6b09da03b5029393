package io.tessel.vtgate.gateway;

import io.grpc.Context;
import io.grpc.Deadline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;
import java.net.ConnectException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Vitess's vtgate buffering, for calls that start new work on a shard (outside a transaction, or beginning
 * one). When the shard has no serving tablet (its tablet is restarting: it said "not serving", or its health
 * stream broke), the call waits, woken by every health change, until one serves, up to the window; then it
 * runs there. When the tablet vtgate picked refuses the call before doing anything (it stopped serving and
 * vtgate has not heard yet: {@link ErrorCode#CLUSTER_EVENT}; or its process is gone: the connection was
 * refused), the call waits the same way and is sent again, never to that tablet state again. Any other error,
 * and any error after a stream delivered rows, goes to the caller unchanged: the call may have run.
 *
 * <p>A call is not buffered, and fails at once with UNAVAILABLE, when {@code size} calls already wait or when
 * the shard has been without a serving tablet for longer than the maximum failover duration (a shard that is
 * down, not restarting). Waiting blocks the calling thread (a virtual thread per client command, never an
 * event loop) and ends early when the caller's gRPC context is cancelled (the client went away). Thread-safe.
 */
public final class ShardBuffer {
    private static final long MAX_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Where the buffer looks for serving tablets, and how it waits for them to change. */
    public interface Routes {
        /** The tablets a call for {@code target} may go to now; empty when none serves. */
        List<TabletHealth> candidates(Target target);

        /** Waits until the candidates may have changed or {@code nanos} pass; returns the time left. */
        long awaitChange(long nanos) throws InterruptedException;
    }

    /** One try of a call on a tablet. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(QueryService tablet);
    }

    /** Why a call gave up (the {@code reason} of vtgate_buffer_requests_failed_total). */
    enum Failure {
        WINDOW_EXCEEDED, BUFFER_FULL, FAILOVER_TOO_LONG, CANCELED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final BufferConfig config;
    private final Routes routes;
    private final LongSupplier nanoTime;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Per target: when a call first found it without a serving tablet, until it is seen serving again. */
    private final Map<Target, Long> failingSince = new ConcurrentHashMap<>();
    private final LongAdder buffered = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final Map<Failure, LongAdder> failed = new EnumMap<>(Failure.class);

    public ShardBuffer(BufferConfig config, Routes routes) {
        this(config, routes, System::nanoTime);
    }

    /** With the clock the window is measured on (tests drive it). */
    ShardBuffer(BufferConfig config, Routes routes, LongSupplier nanoTime) {
        this.config = config;
        this.routes = routes;
        this.nanoTime = nanoTime;
        for (Failure f : Failure.values()) {
            failed.put(f, new LongAdder());
        }
    }

    public BufferConfig config() {
        return config;
    }

    /** Registers vtgate_buffer_* meters. */
    public void bindMeters(MeterRegistry registry) {
        Gauge.builder("vtgate.buffer.requests.waiting", waiting, AtomicInteger::get)
                .description("Calls waiting in the buffer now for a shard to serve again").register(registry);
        FunctionCounter.builder("vtgate.buffer.requests.buffered", buffered, LongAdder::sum)
                .description("Calls that waited in the buffer for a shard without a serving tablet").register(registry);
        FunctionCounter.builder("vtgate.buffer.requests.retried", retried, LongAdder::sum)
                .description("Calls sent again after a tablet refused them before running them (it was stopping or gone)")
                .register(registry);
        for (Failure f : Failure.values()) {
            FunctionCounter.builder("vtgate.buffer.requests.failed", failed.get(f), LongAdder::sum)
                    .description("Calls the buffer gave up on, by reason").tag("reason", f.label()).register(registry);
        }
    }

    /** Calls that waited in the buffer so far. */
    public long bufferedCount() {
        return buffered.sum();
    }

    /** Calls sent again after a refusal so far. */
    public long retriedCount() {
        return retried.sum();
    }

    long failedCount(Failure reason) {
        return failed.get(reason).sum();
    }

    /** Calls waiting now. */
    public int waitingCount() {
        return waiting.get();
    }

    /**
     * Runs {@code attempt} on a serving tablet of {@code target} without buffering: the old fail-fast path, for
     * calls inside a transaction or on a reserved connection.
     */
    public <T> T runNow(Target target, Attempt<T> attempt) {
        List<TabletHealth> candidates = routes.candidates(target);
        if (candidates.isEmpty()) {
            throw noTablet(target, "");
        }
        return attempt.run(TabletPicker.pick(candidates).queryService());
    }

    /**
     * Runs {@code attempt} on a serving tablet of {@code target}, buffering while there is none and sending it
     * again after a refusal (see the class comment); {@code mayRetry} says whether a failed attempt did nothing
     * the caller saw (a stream that delivered rows may not start over).
     */
    public <T> T run(Target target, Attempt<T> attempt, BooleanSupplier mayRetry) {
        if (!config.isEnabled()) {
            return runNow(target, attempt);
        }
        long start = nanoTime.getAsLong();
        boolean isWaiting = false;
        Set<TabletHealth> refusedBy = null; // made on the first refusal: the serving path allocates nothing
        VtException refusal = null;
        try {
            while (true) {
                TabletHealth tablet = pick(target, refusedBy);
                if (tablet == null) {
                    if (!isWaiting) {
                        enter(target, refusal);
                        isWaiting = true;
                    }
                    awaitOnce(target, start, refusal);
                    continue;
                }
                try {
                    T result = attempt.run(tablet.queryService());
                    if (!failingSince.isEmpty()) { // the common case costs one read
                        failingSince.remove(shardOf(target));
                    }
                    return result;
                } catch (VtException e) {
                    if (!isRefusedBeforeRunning(e) || !mayRetry.getAsBoolean()) {
                        throw e;
                    }
                    if (nanoTime.getAsLong() - start > config.window().toNanos()) {
                        throw e; // refused again and again past the window
                    }
                    retried.increment();
                    refusedBy = refusedBy == null ? Collections.newSetFromMap(new IdentityHashMap<>()) : refusedBy;
                    refusedBy.add(tablet);
                    refusal = e;
                    failingSince.putIfAbsent(shardOf(target), nanoTime.getAsLong());
                }
            }
        } finally {
            if (isWaiting) {
                waiting.decrementAndGet();
            }
        }
    }

    /** A serving tablet of the target other than the states that refused the call (may be null); null when none. */
    private TabletHealth pick(Target target, Set<TabletHealth> refusedBy) {
        List<TabletHealth> candidates = routes.candidates(target);
        if (refusedBy != null) { // by identity: a tablet's next health report is a new state, tried again
            candidates = candidates.stream().filter(t -> !refusedBy.contains(t)).toList();
        }
        return candidates.isEmpty() ? null : TabletPicker.pick(candidates);
    }

    /** Takes a place in the buffer, or fails the call when it may not wait. */
    private void enter(Target target, VtException refusal) {
        long now = nanoTime.getAsLong();
        long since = failingSince.computeIfAbsent(shardOf(target), k -> now);
        if (now - since > config.maxFailoverDuration().toNanos()) {
            throw fail(Failure.FAILOVER_TOO_LONG, target, refusal, "it has had none for longer than "
                    + "--buffer-max-failover-duration (" + config.maxFailoverDuration().toMillis() + " ms), so calls "
                    + "are not buffered until it serves again");
        }
        if (waiting.incrementAndGet() > config.size()) {
            waiting.decrementAndGet();
            throw fail(Failure.BUFFER_FULL, target, refusal, "the buffer is full (--buffer-size " + config.size()
                    + " calls waiting)");
        }
        buffered.increment();
    }

    /** Waits for one health change, or fails the call when its window passed or its client went away. */
    private void awaitOnce(Target target, long start, VtException refusal) {
        long left = config.window().toNanos() - (nanoTime.getAsLong() - start);
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            left = Math.min(left, deadline.timeRemaining(TimeUnit.NANOSECONDS));
        }
        if (Context.current().isCancelled()) {
            throw fail(Failure.CANCELED, target, refusal, "the call was cancelled while it waited in the buffer");
        }
        if (left <= 0) {
            throw fail(Failure.WINDOW_EXCEEDED, target, refusal, "none served within the buffer window of "
                    + config.window().toMillis() + " ms (--buffer-window)");
        }
        try {
            routes.awaitChange(Math.min(left, MAX_WAIT_SLICE_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(Failure.CANCELED, target, refusal, "interrupted while it waited in the buffer");
        }
    }

    private VtException fail(Failure reason, Target target, VtException refusal, String why) {
        failed.get(reason).increment();
        return noTablet(target, ": " + why + (refusal == null ? "" : "; last refusal: " + refusal.getMessage()));
    }

    private static VtException noTablet(Target target, String detail) {
        return VtException.of(ErrorCode.UNAVAILABLE, "no healthy tablet available for '" + target.getKeyspace() + "/"
                + target.getShard() + " " + target.getTabletType().name().toLowerCase(Locale.ROOT) + "'" + detail);
    }

    /** The target without anything but keyspace, shard and tablet type. */
    private static Target shardOf(Target target) {
        return Target.newBuilder().setKeyspace(target.getKeyspace()).setShard(target.getShard())
                .setTabletType(target.getTabletType()).build();
    }

    /**
     * Ends the failover of every shard that has a serving tablet again, so its next outage is buffered anew even
     * when no call ran in between; vtgate calls it on every topology refresh.
     */
    public void forgetRecovered() {
        failingSince.keySet().removeIf(shard -> !routes.candidates(shard).isEmpty());
    }

    /**
     * Whether a call failed without running: the tablet refused it as not serving (CLUSTER_EVENT), or the
     * connection to the tablet could not be made (so the request never reached it).
     */
    public static boolean isRefusedBeforeRunning(VtException e) {
        if (e.code() == ErrorCode.CLUSTER_EVENT) {
            return true;
        }
        if (e.code() != ErrorCode.UNAVAILABLE || e.hasErrno()) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
