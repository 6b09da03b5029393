package io.tessel.vttablet.health;

import io.tessel.common.queryservice.QueryService;
import io.tessel.common.queryservice.QueryService.HealthSubscription;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.topo.EphemeralFile;
import io.tessel.topo.Topo;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a tablet's health record in the topology: an ephemeral file beside its tablet record, rewritten
 * every third of its TTL with the latest health report. If the tablet dies the record expires within
 * the TTL and vtgates drop the tablet from discovery; if the topology was unreachable long enough for the
 * record to expire, it is created again once the topology is back. A change between serving and not serving
 * (a graceful shutdown, MySQL lost) is written at once. Thread-safe.
 */
public final class HealthPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthPublisher.class);

    private final Topo topo;
    private final TabletAlias alias;
    private final Duration ttl;
    private final String logPrefix;
    private final AtomicReference<StreamHealthResponse> latest = new AtomicReference<>();
    private final HealthSubscription subscription;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("vttablet-health-publisher").factory());
    private EphemeralFile file; // touched only on the timer thread
    private boolean isFailing;

    /** Subscribes to {@code tablet}'s health and starts publishing it (first write happens at once). */
    public HealthPublisher(Topo topo, QueryService tablet, TabletAlias alias, Duration ttl, String logPrefix) {
        this.topo = topo;
        this.alias = alias;
        this.ttl = ttl;
        this.logPrefix = logPrefix;
        this.subscription = tablet.streamHealth(this::onHealth, error -> { });
        long period = Math.max(100, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::publish, 0, period, TimeUnit.MILLISECONDS);
    }

    private void onHealth(StreamHealthResponse health) {
        StreamHealthResponse previous = latest.getAndSet(health);
        if (previous != null && previous.getServing() != health.getServing()) {
            try {
                timer.execute(this::publish);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: the record is about to be deleted anyway
            }
        }
    }

    private void publish() {
        StreamHealthResponse health = latest.get();
        if (health == null) {
            return;
        }
        try {
            if (file == null) {
                file = topo.publishTabletHealth(alias, health, ttl);
            } else {
                file.update(health.toByteArray());
            }
            if (isFailing) {
                log.info("{}: health record published again", logPrefix);
            }
            isFailing = false;
        } catch (RuntimeException e) {
            if (!isFailing) {
                log.warn("{}: cannot publish the health record, retrying: {}", logPrefix, e.getMessage());
            }
            isFailing = true;
            EphemeralFile broken = file;
            file = null; // its lease may be gone: create a new record next time
            if (broken != null) {
                closeQuietly(broken);
            }
        }
    }

    private static void closeQuietly(EphemeralFile f) {
        try {
            f.close();
        } catch (RuntimeException ignored) {
            // the topology is unreachable; the lease expires on its own
        }
    }

    /** Stops publishing and deletes the record (a graceful stop). */
    @Override
    public void close() {
        subscription.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (file != null) {
            closeQuietly(file);
        }
    }
}
