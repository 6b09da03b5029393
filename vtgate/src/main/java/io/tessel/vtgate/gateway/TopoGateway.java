package io.tessel.vtgate.gateway;

import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.ShardReference;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vschema.SrvVSchema;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vtgate's view of the cluster from the topology: the serving graph (keyspaces and their shards, from
 * each SrvKeyspace of the cell), the VSchema (from the cell's SrvVSchema, rebuilt only when it changed)
 * and the cell's live tablets (those whose health record exists), re-read every {@code refresh} and
 * swapped atomically; tablets are routed to through a {@link HealthCheck}. When the topology cannot be read,
 * the last known state keeps serving, the outage is logged once, and reading resumes when it returns.
 * Thread-safe.
 */
public final class TopoGateway implements TabletGateway, ServingGraph, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopoGateway.class);

    private final Topo topo;
    private final String cell;
    private final HealthCheck healthCheck;
    private final ShardBuffer buffer;
    private final AtomicReference<Map<String, List<String>>> graph = new AtomicReference<>(Map.of());
    private final VSchemaTracker vschema = new VSchemaTracker(new VSchemaLoader(VindexRegistry.builtin()));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("vtgate-topo-refresh").factory());
    private volatile boolean isTopoReachable = true;
    private volatile boolean hasView;
    /** Per keyspace/shard: when a refresh last saw it with a serving primary. */
    private final Map<String, Long> lastServed = new java.util.concurrent.ConcurrentHashMap<>();

    /** Without buffering: a shard without a serving tablet fails its calls at once. */
    public TopoGateway(Topo topo, String cell, HealthCheck healthCheck, Duration refresh) {
        this(topo, cell, healthCheck, refresh, BufferConfig.DISABLED);
    }

    /** With {@code buffering} for calls that start new work on a shard that has no serving tablet for a moment. */
    public TopoGateway(Topo topo, String cell, HealthCheck healthCheck, Duration refresh, BufferConfig buffering) {
        this.topo = topo;
        this.cell = cell;
        this.healthCheck = healthCheck;
        this.buffer = new ShardBuffer(buffering, new ShardBuffer.Routes() {
            @Override
            public List<TabletHealth> candidates(Target target) {
                return healthCheck.candidates(target.getKeyspace(), target.getShard(), target.getTabletType());
            }

            @Override
            public long awaitChange(long nanos) throws InterruptedException {
                return healthCheck.awaitChange(nanos);
            }
        });
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the serving graph and tablets once; on failure keeps the last state. */
    void refresh() {
        try {
            Map<String, List<String>> next = new TreeMap<>();
            for (String ks : topo.getSrvKeyspaceNames(cell)) {
                next.put(ks, primaryShards(topo.getSrvKeyspace(cell, ks)));
            }
            // A tablet whose health record expired (it died and its lease ran out) leaves discovery.
            healthCheck.setTablets(topo.getTabletsByCell(cell).stream()
                    .filter(t -> topo.hasTabletHealth(t.getAlias())).toList());
            graph.set(java.util.Collections.unmodifiableMap(next));
            vschema.update(readSrvVSchema());
            hasView = true;
            if (!isTopoReachable) {
                log.info("vtgate: topology reachable again in cell {}; {} keyspaces", cell, next.size());
            }
            isTopoReachable = true;
        } catch (TopoException | VtException e) {
            if (isTopoReachable) {
                log.warn("vtgate: topology unreachable in cell {}, serving with the last known state: {}", cell,
                        e.getMessage());
            }
            isTopoReachable = false;
        } catch (RuntimeException e) {
            log.error("vtgate: topology refresh failed", e);
        }
        noteServingShards();
        buffer.forgetRecovered();
    }

    /** Remembers, per shard of the serving graph, when it last had a serving primary (for readiness while buffering). */
    private void noteServingShards() {
        long now = System.nanoTime();
        for (Map.Entry<String, List<String>> ks : graph.get().entrySet()) {
            for (String shard : ks.getValue()) {
                if (!healthCheck.candidates(ks.getKey(), shard, TabletType.PRIMARY).isEmpty()) {
                    lastServed.put(ks.getKey() + "/" + shard, now);
                }
            }
        }
    }

    private SrvVSchema readSrvVSchema() {
        try {
            return topo.getSrvVSchema(cell);
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return null;
            }
            throw e;
        }
    }

    private static List<String> primaryShards(SrvKeyspace srv) {
        List<String> shards = new ArrayList<>();
        for (SrvKeyspace.KeyspacePartition p : srv.getPartitionsList()) {
            if (p.getServedType() == TabletType.PRIMARY) {
                for (ShardReference ref : p.getShardReferencesList()) {
                    shards.add(ref.getName());
                }
            }
        }
        return List.copyOf(shards);
    }

    /** Whether the last topology read succeeded (vtgate_topology_reachable). */
    public boolean isTopoReachable() {
        return isTopoReachable;
    }

    /**
     * Why vtgate should not get traffic, for {@code /readyz}: it has no topology view yet (no read has
     * succeeded), or a shard of the serving graph has no serving tablet of {@code type}; empty when neither.
     * A topology outage after the first read keeps the last view, so vtgate stays ready through it.
     */
    public Optional<String> notServingReason(TabletType type) {
        if (!hasView) {
            return Optional.of("no topology view yet: cell " + cell + " has not been read from the topology");
        }
        for (Map.Entry<String, List<String>> ks : graph.get().entrySet()) {
            for (String shard : ks.getValue()) {
                if (healthCheck.candidates(ks.getKey(), shard, type).isEmpty()) {
                    return Optional.of("no serving " + type.name().toLowerCase(java.util.Locale.ROOT) + " tablet for "
                            + ks.getKey() + "/" + shard);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why vtgate should not get traffic, for {@code /readyz}: {@link #notServingReason}, except that with
     * buffering on, a shard that had a serving primary less than --buffer-max-failover-duration ago counts as
     * serving: its tablet is restarting and vtgate holds its calls in the buffer meanwhile. Otherwise every
     * vtgate would leave its Service at once while any one tablet restarts, and new connections would fail.
     */
    public Optional<String> readinessReason(TabletType type) {
        Optional<String> reason = notServingReason(type);
        if (reason.isEmpty() || !buffer.config().isEnabled() || type != TabletType.PRIMARY || !hasView) {
            return reason;
        }
        long now = System.nanoTime();
        long bridged = buffer.config().maxFailoverDuration().toNanos();
        for (Map.Entry<String, List<String>> ks : graph.get().entrySet()) {
            for (String shard : ks.getValue()) {
                Long served = lastServed.get(ks.getKey() + "/" + shard);
                if (healthCheck.candidates(ks.getKey(), shard, type).isEmpty() && (served == null || now - served > bridged)) {
                    return Optional.of("no serving primary tablet for " + ks.getKey() + "/" + shard);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Set<String> keyspaces() {
        return graph.get().keySet();
    }

    @Override
    public Optional<List<String>> shards(String keyspace) {
        return Optional.ofNullable(graph.get().get(keyspace));
    }

    @Override
    public List<TabletHealth> tabletHealth() {
        return healthCheck.allTablets();
    }

    @Override
    public VSchema vschema() {
        return vschema.current();
    }

    @Override
    public void addVSchemaListener(Runnable listener) {
        vschema.addListener(listener);
    }

    /** The buffer of calls for shards without a serving tablet (its meters and counts); off unless configured. */
    public ShardBuffer buffer() {
        return buffer;
    }

    /**
     * Without buffering, a serving tablet of the target, or UNAVAILABLE when there is none. With buffering, a
     * query service that picks the tablet per call and buffers calls that start new work (see {@link ShardBuffer}).
     */
    @Override
    public QueryService queryService(Target target) {
        return buffer.config().isEnabled() ? new BufferedQueryService(target, buffer) : buffer.runNow(target, qs -> qs);
    }

    @Override
    public QueryService transactionService(Target target, TabletAlias alias) {
        for (TabletHealth t : healthCheck.tablets(target.getKeyspace(), target.getShard(), target.getTabletType())) {
            if (t.tablet().getAlias().equals(alias)) {
                return t.queryService();
            }
        }
        return queryService(target);
    }

    /**
     * Waits until every shard of every keyspace has a serving tablet of {@code type} (Vitess's
     * --tablet_types_to_wait), woken by health changes; false when {@code timeout} passes first.
     */
    public boolean awaitServing(TabletType type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (notServingReason(type).isPresent()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Woken by every health change; the serving graph itself changes only with a refresh, which
            // also rebuilds the snapshot, so a bounded wait re-checks both.
            healthCheck.awaitChange(Math.min(left, 100_000_000L));
        }
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        healthCheck.close();
    }
}
