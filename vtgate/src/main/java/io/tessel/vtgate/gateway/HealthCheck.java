package io.tessel.vtgate.gateway;

import io.tessel.common.queryservice.QueryService;
import io.tessel.common.queryservice.QueryService.HealthSubscription;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a health stream open to every known tablet and a routing snapshot of them by target. A tablet
 * whose stream breaks (its process died, the network failed) is unroutable at once and re-dialled every
 * {@code retry}; one that reports not serving (graceful shutdown, MySQL down) likewise until it reports
 * serving again. The snapshot is immutable and swapped atomically. Thread-safe.
 */
public final class HealthCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    private record Key(String keyspace, String shard, TabletType type) {}

    private final Function<Tablet, QueryService> dialer;
    private final Duration retry;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Per target: every known tablet, and the ones a query may go to (precomputed once per health change). */
    private record Routes(Map<Key, List<TabletHealth>> tablets, Map<Key, List<TabletHealth>> candidates) {}

    private final java.util.concurrent.locks.ReentrantLock rebuildLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition rebuilt = rebuildLock.newCondition();
    private final AtomicReference<Routes> routes = new AtomicReference<>(new Routes(Map.of(), Map.of()));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("vtgate-healthcheck").factory());

    /** @param dialer opens a QueryService to a tablet record; the HealthCheck closes it when the tablet goes */
    public HealthCheck(Function<Tablet, QueryService> dialer, Duration retry) {
        this.dialer = dialer;
        this.retry = retry;
    }

    /** Makes the watched set equal to {@code tablets}: new ones are dialled, gone or changed ones closed. */
    public void setTablets(List<Tablet> tablets) {
        Set<String> seen = new HashSet<>();
        for (Tablet t : tablets) {
            String key = key(t);
            seen.add(key);
            Entry old = entries.get(key);
            if (old != null && old.tablet.equals(t)) {
                continue;
            }
            if (old != null) {
                old.close();
            }
            Entry e = new Entry(t, dialer.apply(t));
            entries.put(key, e);
            e.subscribe();
        }
        for (String key : new ArrayList<>(entries.keySet())) {
            if (!seen.contains(key)) {
                entries.remove(key).close();
            }
        }
        rebuild();
    }

    /** The known tablets of a target with their last health; empty when there are none. */
    public List<TabletHealth> tablets(String keyspace, String shard, TabletType type) {
        return routes.get().tablets().getOrDefault(new Key(keyspace, shard, type), List.of());
    }

    /** Every known tablet with its last health, in no particular order. */
    public List<TabletHealth> allTablets() {
        List<TabletHealth> out = new ArrayList<>();
        routes.get().tablets().values().forEach(out::addAll);
        return out;
    }

    /** The tablets a query for the target may go to, per {@link TabletPicker#candidates}; empty when none. */
    public List<TabletHealth> candidates(String keyspace, String shard, TabletType type) {
        return routes.get().candidates().getOrDefault(new Key(keyspace, shard, type), List.of());
    }

    private static String key(Tablet t) {
        return t.getAlias().getCell() + "-" + t.getAlias().getUid();
    }

    /**
     * Recomputes the snapshot from every entry's current health. Serialized, so a rebuild that read older
     * health can never overwrite a newer one's result; health events are rare next to queries.
     */
    private void rebuild() {
        rebuildLock.lock();
        try {
            rebuildLocked();
            rebuilt.signalAll();
        } finally {
            rebuildLock.unlock();
        }
    }

    /** Waits until the snapshot changes or {@code nanos} pass; returns the time left, as Condition does. */
    long awaitChange(long nanos) throws InterruptedException {
        rebuildLock.lock();
        try {
            return rebuilt.awaitNanos(nanos);
        } finally {
            rebuildLock.unlock();
        }
    }

    private void rebuildLocked() {
        Map<Key, List<TabletHealth>> next = new HashMap<>();
        for (Entry e : entries.values()) {
            TabletHealth h = e.health;
            Tablet t = h.tablet();
            next.computeIfAbsent(new Key(t.getKeyspace(), t.getShard(), t.getType()), k -> new ArrayList<>()).add(h);
        }
        Map<Key, List<TabletHealth>> candidates = new HashMap<>();
        next.forEach((k, v) -> candidates.put(k, List.copyOf(TabletPicker.candidates(v, k.type()))));
        next.replaceAll((k, v) -> List.copyOf(v));
        routes.set(new Routes(Map.copyOf(next), Map.copyOf(candidates)));
    }

    /** One watched tablet; its health is replaced by stream callbacks. */
    private final class Entry {
        final Tablet tablet;
        final QueryService conn;
        volatile TabletHealth health;
        volatile HealthSubscription subscription;
        volatile boolean isClosed;

        Entry(Tablet tablet, QueryService conn) {
            this.tablet = tablet;
            this.conn = conn;
            this.health = new TabletHealth(tablet, conn, false, 0, "no health report yet");
        }

        void subscribe() {
            if (isClosed) {
                return;
            }
            subscription = conn.streamHealth(this::onHealth, this::onError);
        }

        void onHealth(StreamHealthResponse r) {
            if (isClosed) {
                return;
            }
            boolean wasServing = health.isServing();
            health = new TabletHealth(tablet, conn, r.getServing(), r.getRealtimeStats().getReplicationLagSeconds(),
                    r.getRealtimeStats().getHealthError());
            if (wasServing != r.getServing()) {
                log.info("vtgate: tablet {} {}/{} is {}", key(tablet), tablet.getKeyspace(), tablet.getShard(),
                        r.getServing() ? "serving" : "not serving: " + r.getRealtimeStats().getHealthError());
            }
            rebuild();
        }

        void onError(RuntimeException e) {
            if (isClosed) {
                return;
            }
            if (health.isServing() || health.lastError().equals("no health report yet")) {
                log.warn("vtgate: tablet {} {}/{} unreachable: {}", key(tablet), tablet.getKeyspace(),
                        tablet.getShard(), e.getMessage());
            }
            health = new TabletHealth(tablet, conn, false, 0, "health stream broken: " + e.getMessage());
            rebuild();
            timer.schedule(this::subscribe, retry.toMillis(), TimeUnit.MILLISECONDS);
        }

        void close() {
            isClosed = true;
            HealthSubscription s = subscription;
            if (s != null) {
                s.close();
            }
            conn.close();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        entries.values().forEach(Entry::close);
        entries.clear();
        routes.set(new Routes(Map.of(), Map.of()));
    }
}
