package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.topo.EphemeralFile;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.memory.InMemoryTopoConn;
import io.tessel.vtgate.exec.FakeQueryService;
import io.tessel.vtgate.vindex.HashVindex;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery from an in-memory topology, with fake tablets whose health the test drives. */
class TopoGatewayTest {
    private final InMemoryTopoConn store = new InMemoryTopoConn();
    private final Topo topo = store.newTopo("zone1");
    private final Map<Integer, FakeQueryService> tablets = new ConcurrentHashMap<>();
    private final HealthCheck healthCheck = new HealthCheck(
            t -> tablets.computeIfAbsent(t.getAlias().getUid(), uid -> new FakeQueryService()), Duration.ofMillis(50));
    private TopoGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private final Map<Integer, EphemeralFile> healthRecords = new ConcurrentHashMap<>();

    private void addTablet(int uid, String shard, TabletType type) {
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid(uid).build();
        topo.createTablet(Tablet.newBuilder().setAlias(alias)
                .setKeyspace("ks").setShard(shard).setType(type).setHostname("127.0.0.1").putPortMap("grpc", 16000 + uid)
                .build());
        healthRecords.put(uid, topo.publishTabletHealth(alias, StreamHealthResponse.getDefaultInstance(),
                Duration.ofSeconds(10)));
    }

    private static Target target(String shard, TabletType type) {
        return Target.newBuilder().setKeyspace("ks").setShard(shard).setTabletType(type).build();
    }

    private void startWithTwoShards() {
        topo.createKeyspace("ks", Keyspace.getDefaultInstance());
        topo.createShard("ks", "-80");
        topo.createShard("ks", "80-");
        topo.rebuildKeyspaceGraph("ks", List.of());
        addTablet(100, "-80", TabletType.PRIMARY);
        addTablet(101, "80-", TabletType.PRIMARY);
        gateway = new TopoGateway(topo, "zone1", healthCheck, Duration.ofMillis(50));
    }

    @Test
    void servingGraphAndTabletsComeFromTheTopology() {
        startWithTwoShards();
        assertEquals(List.of("-80", "80-"), gateway.shards("ks").orElseThrow());
        assertSame(tablets.get(100), gateway.queryService(target("-80", TabletType.PRIMARY)));
        assertSame(tablets.get(101), gateway.queryService(target("80-", TabletType.PRIMARY)));
        assertEquals(List.of("zone1-100", "zone1-101"), gateway.tabletHealth().stream().map(TabletHealth::aliasString)
                .sorted().toList()); // SHOW VITESS_TABLETS lists them
    }

    @Test
    void brokenOrNotServingTabletIsNotRoutedToUntilItRecovers() {
        startWithTwoShards();
        tablets.get(100).breakHealthStream();
        VtException e = assertThrows(VtException.class, () -> gateway.queryService(target("-80", TabletType.PRIMARY)));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("ks/-80 primary"), e.getMessage());
        assertSame(tablets.get(101), gateway.queryService(target("80-", TabletType.PRIMARY)), "the other shard serves on");
        awaitRoutable("-80"); // the health check re-subscribes after its retry delay
        tablets.get(101).setServing(false);
        assertThrows(VtException.class, () -> gateway.queryService(target("80-", TabletType.PRIMARY)));
        tablets.get(101).setServing(true);
        assertSame(tablets.get(101), gateway.queryService(target("80-", TabletType.PRIMARY)));
    }

    @Test
    void topologyOutageKeepsTheLastStateAndChangesArePickedUpAfterwards() {
        startWithTwoShards();
        store.setError(TopoCode.UNREACHABLE);
        gateway.refresh();
        assertEquals(false, gateway.isTopoReachable());
        assertSame(tablets.get(100), gateway.queryService(target("-80", TabletType.PRIMARY)), "last known state serves");
        store.setError(null);
        addTablet(102, "-80", TabletType.REPLICA);
        gateway.refresh();
        assertEquals(true, gateway.isTopoReachable());
        assertSame(tablets.get(102), gateway.queryService(target("-80", TabletType.REPLICA)));
    }

    @Test
    void readinessNeedsATopologyViewAndAServingTabletPerShard() {
        topo.createKeyspace("ks", Keyspace.getDefaultInstance());
        topo.createShard("ks", "-80");
        topo.createShard("ks", "80-");
        topo.rebuildKeyspaceGraph("ks", List.of());
        addTablet(100, "-80", TabletType.PRIMARY);
        store.setError(TopoCode.UNREACHABLE);
        gateway = new TopoGateway(topo, "zone1", healthCheck, Duration.ofHours(1)); // refreshed by hand below
        assertEquals(Optional.of("no topology view yet: cell zone1 has not been read from the topology"),
                gateway.notServingReason(TabletType.PRIMARY));

        store.setError(null);
        gateway.refresh();
        assertEquals(Optional.of("no serving primary tablet for ks/80-"), gateway.notServingReason(TabletType.PRIMARY),
                "a known shard without a tablet");
        addTablet(101, "80-", TabletType.PRIMARY);
        gateway.refresh();
        assertEquals(Optional.empty(), gateway.notServingReason(TabletType.PRIMARY));
        assertEquals(Optional.of("no serving replica tablet for ks/-80"), gateway.notServingReason(TabletType.REPLICA));

        tablets.get(100).setServing(false);
        assertEquals(Optional.of("no serving primary tablet for ks/-80"), gateway.notServingReason(TabletType.PRIMARY));
        tablets.get(100).setServing(true);
        assertEquals(Optional.empty(), gateway.notServingReason(TabletType.PRIMARY));

        store.setError(TopoCode.UNREACHABLE);
        gateway.refresh();
        assertEquals(Optional.empty(), gateway.notServingReason(TabletType.PRIMARY), "an outage keeps the last view");
    }

    @Test
    void aTransactionReachesItsTabletAfterItStopsServing() {
        startWithTwoShards();
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid(100).build();
        assertSame(tablets.get(100), gateway.transactionService(target("-80", TabletType.PRIMARY), alias));
        tablets.get(100).setServing(false); // draining for a shutdown: no new queries, open transactions finish
        assertThrows(VtException.class, () -> gateway.queryService(target("-80", TabletType.PRIMARY)));
        assertSame(tablets.get(100), gateway.transactionService(target("-80", TabletType.PRIMARY), alias));
        TabletAlias unknown = TabletAlias.newBuilder().setCell("zone1").setUid(999).build();
        assertThrows(VtException.class, () -> gateway.transactionService(target("-80", TabletType.PRIMARY), unknown),
                "an unknown tablet falls back to routing");
    }

    @Test
    void withBufferingANewCallWaitsForTheRestartedTabletWhileTransactionCallsDoNot() throws Exception {
        startWithTwoShards();
        gateway.close();
        gateway = new TopoGateway(topo, "zone1", healthCheck, Duration.ofMillis(50),
                new BufferConfig(true, Duration.ofSeconds(60), 10, Duration.ofSeconds(60)));
        tablets.get(100).setServing(false); // the tablet is restarting
        Target target = target("-80", TabletType.PRIMARY);
        io.tessel.proto.Query.ExecuteRequest select = io.tessel.proto.Query.ExecuteRequest.newBuilder().setTarget(target)
                .setQuery(io.tessel.proto.Query.BoundQuery.newBuilder().setSql("select 1")).build();
        VtException inTransaction = assertThrows(VtException.class,
                () -> gateway.queryService(target).execute(select.toBuilder().setTransactionId(7).build()));
        assertTrue(inTransaction.getMessage().contains("ks/-80 primary"), "a transaction's call is not buffered");
        java.util.concurrent.CompletableFuture<String> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> gateway.queryService(target).execute(select).getResult().getRows(0).getValues().toStringUtf8());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (gateway.buffer().waitingCount() == 0) {
            assertTrue(System.nanoTime() < deadline, "the call never entered the buffer");
            Thread.sleep(5); // the call runs on its own thread
        }
        assertFalse(waiting.isDone());
        tablets.get(100).setServing(true);
        assertEquals("tablet", waiting.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of("execute select 1 tx=0"), tablets.get(100).calls);
        assertEquals(1, gateway.buffer().bufferedCount());
    }

    @Test
    void withBufferingVtgateStaysReadyWhileAShardsPrimaryRestartsButNotLongerThanTheFailoverDuration() {
        startWithTwoShards();
        gateway.close();
        gateway = new TopoGateway(topo, "zone1", healthCheck, Duration.ofHours(1), // refreshed by hand below
                new BufferConfig(true, Duration.ofSeconds(10), 10, Duration.ofHours(1)));
        TopoGateway briefly = new TopoGateway(topo, "zone1", healthCheck, Duration.ofHours(1),
                new BufferConfig(true, Duration.ofNanos(1), 10, Duration.ofNanos(1)));
        try {
            tablets.get(100).setServing(false); // after both saw it serving
            assertEquals(Optional.of("no serving primary tablet for ks/-80"), gateway.notServingReason(TabletType.PRIMARY));
            assertEquals(Optional.empty(), gateway.readinessReason(TabletType.PRIMARY), "its calls are buffered");
            assertEquals(Optional.of("no serving primary tablet for ks/-80"), briefly.readinessReason(TabletType.PRIMARY),
                    "without a serving primary for longer than the failover duration");
            tablets.get(100).setServing(true);
            assertEquals(Optional.empty(), briefly.readinessReason(TabletType.PRIMARY));
        } finally {
            briefly.close();
        }
    }

    @Test
    void withBufferingAShardThatNeverServedMakesVtgateUnready() {
        topo.createKeyspace("ks", Keyspace.getDefaultInstance());
        topo.createShard("ks", "-80");
        topo.createShard("ks", "80-");
        topo.rebuildKeyspaceGraph("ks", List.of());
        addTablet(100, "-80", TabletType.PRIMARY);
        gateway = new TopoGateway(topo, "zone1", healthCheck, Duration.ofHours(1),
                new BufferConfig(true, Duration.ofSeconds(10), 10, Duration.ofHours(1)));
        assertEquals(Optional.of("no serving primary tablet for ks/80-"), gateway.readinessReason(TabletType.PRIMARY));
    }

    @Test
    void removedTabletIsClosedAndForgotten() {
        startWithTwoShards();
        topo.deleteTablet(TabletAlias.newBuilder().setCell("zone1").setUid(101).build());
        gateway.refresh();
        assertThrows(VtException.class, () -> gateway.queryService(target("80-", TabletType.PRIMARY)));
        assertEquals(0, tablets.get(101).healthSubscribers());
    }

    @Test
    void tabletWhoseHealthRecordExpiredLeavesDiscovery() {
        startWithTwoShards();
        healthRecords.get(101).close(); // what etcd does when a dead tablet's lease runs out
        gateway.refresh();
        VtException e = assertThrows(VtException.class, () -> gateway.queryService(target("80-", TabletType.PRIMARY)));
        assertTrue(e.getMessage().contains("ks/80- primary"), e.getMessage());
        assertEquals(0, tablets.get(101).healthSubscribers(), "its health stream is closed too");
    }

    private static final String SHARDED = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";

    private void saveVSchema(String keyspace, String json) {
        topo.saveVSchema(keyspace, VSchemaLoader.parseJson(json));
        topo.rebuildVSchemaGraph(List.of());
    }

    @Test
    void vschemaIsEmptyWithoutSrvVSchemaAndFollowsItsChanges() {
        startWithTwoShards();
        assertSame(VSchema.EMPTY, gateway.vschema(), "no SrvVSchema yet");
        AtomicInteger changes = new AtomicInteger();
        gateway.addVSchemaListener(changes::incrementAndGet);
        saveVSchema("ks", SHARDED);
        gateway.refresh();
        KeyspaceSchema ks = gateway.vschema().keyspace("ks").orElseThrow();
        assertTrue(ks.isSharded());
        assertInstanceOf(HashVindex.class, ks.table("t").orElseThrow().columnVindexes().get(0).vindex());
        assertEquals(1, changes.get());

        VSchema before = gateway.vschema();
        gateway.refresh();
        assertSame(before, gateway.vschema(), "an unchanged SrvVSchema keeps the snapshot");
        assertEquals(1, changes.get(), "and tells nobody");

        saveVSchema("ks", "{\"sharded\": false, \"tables\": {\"seq\": {\"type\": \"sequence\"}}}");
        gateway.refresh();
        assertNotSame(before, gateway.vschema());
        assertFalse(gateway.vschema().keyspace("ks").orElseThrow().isSharded());
        assertEquals(2, changes.get());
        assertTrue(before.keyspace("ks").orElseThrow().isSharded(), "an old snapshot never changes");
    }

    @Test
    void keyspaceWhoseVSchemaDoesNotBuildIsLeftOutWhileTheOthersServe() {
        startWithTwoShards();
        topo.createKeyspace("bad", Keyspace.getDefaultInstance());
        saveVSchema("ks", SHARDED);
        saveVSchema("bad", """
                {"sharded": true, "tables": {"t": {"column_vindexes": [{"column": "id", "name": "nope"}]}}}""");
        gateway.refresh();
        assertEquals(java.util.Set.of("ks"), gateway.vschema().keyspaces().keySet(), "the good keyspace serves");
        saveVSchema("bad", "{}");
        gateway.refresh();
        assertEquals(java.util.Set.of("bad", "ks"), gateway.vschema().keyspaces().keySet(), "fixed, it is back");
    }

    @Test
    void deletedSrvVSchemaMeansAnEmptyVSchema() {
        startWithTwoShards();
        saveVSchema("ks", SHARDED);
        gateway.refresh();
        assertTrue(gateway.vschema().keyspace("ks").isPresent());
        topo.cellConn("zone1").delete("SrvVSchema", null);
        gateway.refresh();
        assertEquals(VSchema.EMPTY, gateway.vschema());
    }

    private void awaitRoutable(String shard) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                gateway.queryService(target(shard, TabletType.PRIMARY));
                return;
            } catch (VtException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }
}
