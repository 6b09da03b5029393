package io.tessel.vttablet.health;

import io.tessel.common.queryservice.QueryService.HealthSubscription;
import io.tessel.proto.Query.RealtimeStats;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletAlias;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's health as its StreamHealth subscribers see it: serving or not, the last health error and
 * QPS. A check every {@code interval} asks whether MySQL answers; any change is pushed to every
 * subscriber at once, and the state is re-sent every {@code heartbeatEvery} checks as a heartbeat.
 * {@link #stopServing} (graceful shutdown) is pushed immediately. Thread-safe.
 */
public final class HealthReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);

    private final Target target;
    private final TabletAlias alias;
    private final String logPrefix;
    private final BooleanSupplier mysqlCheck;
    private final int heartbeatEvery;
    private record Subscriber(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onEnd) {}

    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong queries = new AtomicLong();
    private final ScheduledExecutorService timer;
    private volatile StreamHealthResponse current;
    private volatile boolean isShuttingDown;
    private long lastQueries;
    private long lastCheckNanos = System.nanoTime();
    private int checks;

    /**
     * @param mysqlCheck returns whether MySQL answers; called on the reporter's own thread
     * @param interval   time between checks; a MySQL outage is seen within one interval
     */
    public HealthReporter(Target target, TabletAlias alias, String logPrefix, BooleanSupplier mysqlCheck,
                          Duration interval, int heartbeatEvery) {
        this.target = target;
        this.alias = alias;
        this.logPrefix = logPrefix;
        this.mysqlCheck = mysqlCheck;
        this.heartbeatEvery = Math.max(1, heartbeatEvery);
        this.current = build(true, "", 0);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("vttablet-health").factory());
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts one query for QPS. */
    public void recordQuery() {
        queries.incrementAndGet();
    }

    public StreamHealthResponse current() {
        return current;
    }

    public boolean isServing() {
        return current.getServing();
    }

    /**
     * Subscribes: the current state is delivered at once, on the caller's thread; {@code onEnd} is called
     * when the reporter closes (the tablet shuts down), which ends a remote subscriber's stream.
     */
    public HealthSubscription subscribe(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onEnd) {
        Subscriber s = new Subscriber(listener, onEnd);
        subscribers.add(s);
        listener.accept(current);
        return () -> subscribers.remove(s);
    }

    /** Marks the tablet not serving (shutdown) and tells every subscriber now. */
    public void stopServing() {
        isShuttingDown = true;
        publish(build(false, "tablet is shutting down", 0), true);
    }

    private void check() {
        try {
            boolean ok = mysqlCheck.getAsBoolean();
            long now = System.nanoTime();
            long q = queries.get();
            double qps = (q - lastQueries) * 1e9 / Math.max(1, now - lastCheckNanos);
            lastQueries = q;
            lastCheckNanos = now;
            if (isShuttingDown) {
                return;
            }
            StreamHealthResponse next = build(ok, ok ? "" : "MySQL is not reachable", qps);
            boolean changed = next.getServing() != current.getServing()
                    || !next.getRealtimeStats().getHealthError().equals(current.getRealtimeStats().getHealthError());
            if (changed) {
                log.info("{}: {}", logPrefix, ok ? "serving again" : "not serving: MySQL is not reachable");
            }
            publish(next, changed || ++checks % heartbeatEvery == 0);
        } catch (RuntimeException e) {
            log.warn("{}: health check failed: {}", logPrefix, e.toString());
        }
    }

    private void publish(StreamHealthResponse next, boolean send) {
        current = next;
        if (!send) {
            return;
        }
        for (Subscriber s : subscribers) {
            try {
                s.listener().accept(next);
            } catch (RuntimeException e) {
                subscribers.remove(s); // the subscriber's stream is gone
            }
        }
    }

    private StreamHealthResponse build(boolean serving, String error, double qps) {
        return StreamHealthResponse.newBuilder().setTarget(target).setTabletAlias(alias).setServing(serving)
                .setRealtimeStats(RealtimeStats.newBuilder().setHealthError(error).setQps(qps)).build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        RuntimeException end = io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.UNAVAILABLE,
                logPrefix + ": tablet is shut down");
        for (Subscriber s : subscribers) {
            subscribers.remove(s);
            try {
                s.onEnd().accept(end);
            } catch (RuntimeException e) {
                log.debug("{}: ending a health stream failed: {}", logPrefix, e.toString());
            }
        }
    }
}
