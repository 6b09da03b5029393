package io.tessel.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.KeyRange;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.Shard;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vschema.SrvVSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The typed layer's suite, run on every backend: records at Vitess's paths, the serving graph, locks and
 * typed watches, on a topology with cells {@code zone1} and {@code zone2} laid out as Vitess's examples
 * (global root {@code /vitess/global}, cell roots {@code /vitess/<cell>}) inside a namespace of its own.
 * Published in the test-jar; test methods are public so subclasses in other packages inherit them. A
 * little over the 400-line guideline on purpose: one class per contract lets a backend run all of it with a
 * short subclass.
 */
@SuppressWarnings("try") // try-with-resources closes watches and locks the body never names
public abstract class TopoContract {
    protected static final Duration SHORT = Duration.ofMillis(100);

    /** The topology under test, with cells zone1 and zone2. */
    protected Topo topo;
    /** A connection at the top of the test's namespace, to check the raw files the typed layer writes. */
    protected TopoConn raw;

    /**
     * The backend's absolute root for {@code path} inside this test's namespace: the same path when the
     * namespace is a fresh store, the path below the test's prefix on a shared server.
     */
    protected abstract String absolute(String path);

    /** A connection at an absolute root returned by {@link #absolute}; the subclass closes it after the test. */
    protected abstract TopoConn connAt(String absoluteRoot);

    /** How {@link Topo} opens cell connections on this backend. */
    protected abstract Topo.CellConnector connector();

    /** The {@code CellInfo.server_address} that {@link #connector()} connects to. */
    protected abstract String serverAddress();

    @BeforeEach
    public void createTopology() {
        raw = connAt(absolute("/"));
        topo = openTopo(Topo.DEFAULT_LOCK_TIMEOUT);
        for (String cell : List.of("zone1", "zone2")) {
            topo.createCellInfo(cell, cellInfo(absolute("/vitess/" + cell)));
        }
    }

    @AfterEach
    public void closeTopology() {
        topo.close();
    }

    /** Another Topo on the same topology, whose own lock waits take {@code lockTimeout}. */
    protected Topo openTopo(Duration lockTimeout) {
        return new Topo(connAt(absolute(Topo.DEFAULT_GLOBAL_ROOT)), connector(), lockTimeout);
    }

    protected CellInfo cellInfo(String absoluteRoot) {
        return CellInfo.newBuilder().setServerAddress(serverAddress()).setRoot(absoluteRoot).build();
    }

    @Test
    public void cellsAreRegisteredInTheGlobalTopology() throws Exception {
        assertEquals(List.of("zone1", "zone2"), topo.getCellNames());
        assertEquals(absolute("/vitess/zone1"), topo.getCellInfo("zone1").getRoot());
        assertEquals(topo.getCellInfo("zone1"), CellInfo.parseFrom(raw.get("vitess/global/cells/zone1/CellInfo").value()));
        assertTopo(TopoCode.NO_NODE, () -> topo.cellConn("zone9"));
        topo.createCellInfo("zone3", cellInfo(absolute("/elsewhere/zone3")));
        topo.cellConn("zone3").create("probe", new byte[] {1});
        assertEquals(1, raw.get("elsewhere/zone3/probe").value()[0]);
    }

    @Test
    public void keyspacesAreCreatedReadListedAndUnique() throws Exception {
        Keyspace record = Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build();
        topo.createKeyspace("commerce", record);
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        assertEquals(record, topo.getKeyspace("commerce").value());
        assertEquals(List.of("commerce", "customer"), topo.getKeyspaceNames());
        assertEquals(record, Keyspace.parseFrom(raw.get("vitess/global/keyspaces/commerce/Keyspace").value()));
        assertTopo(TopoCode.NODE_EXISTS, () -> topo.createKeyspace("commerce", record));
        assertTopo(TopoCode.NO_NODE, () -> topo.getKeyspace("nope"));
        assertInvalid(ErrorCode.INVALID_ARGUMENT, () -> topo.createKeyspace("a/b", record));
    }

    @Test
    public void noKeyspacesIsAnEmptyList() {
        assertEquals(List.of(), topo.getKeyspaceNames());
    }

    @Test
    public void shardsTakeTheirKeyRangeFromTheirName() throws Exception {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        Shard low = topo.createShard("customer", "-80");
        assertEquals(range("", "80"), low.getKeyRange());
        assertTrue(low.getIsPrimaryServing());
        assertEquals(low, Shard.parseFrom(raw.get("vitess/global/keyspaces/customer/shards/-80/Shard").value()));

        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        Shard unsharded = topo.createShard("commerce", "0");
        assertFalse(unsharded.hasKeyRange());
        assertTrue(unsharded.getIsPrimaryServing());
    }

    @Test
    public void shardOverlappingAServingShardIsNotServing() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.createShard("customer", "-80");
        topo.createShard("customer", "80-");
        assertFalse(topo.createShard("customer", "-40").getIsPrimaryServing());
        assertFalse(topo.createShard("customer", "0").getIsPrimaryServing());
    }

    @Test
    public void createShardChecksKeyspaceNameAndDuplicates() {
        assertTopo(TopoCode.NO_NODE, () -> topo.createShard("nope", "-80"));
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        assertInvalid(ErrorCode.INVALID_ARGUMENT, () -> topo.createShard("customer", "80-40"));
        assertInvalid(ErrorCode.INVALID_ARGUMENT, () -> topo.createShard("customer", "x"));
        topo.createShard("customer", "-80");
        assertTopo(TopoCode.NODE_EXISTS, () -> topo.createShard("customer", "-80"));
    }

    @Test
    public void findAllShardsOrdersByKeyRange() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        assertEquals(List.of(), List.copyOf(topo.findAllShardsInKeyspace("customer").keySet()));
        for (String shard : List.of("c0-", "-40", "80-c0", "40-80")) {
            topo.createShard("customer", shard);
        }
        assertEquals(List.of("-40", "40-80", "80-c0", "c0-"), List.copyOf(topo.findAllShardsInKeyspace("customer").keySet()));
        assertTopo(TopoCode.NO_NODE, () -> topo.findAllShardsInKeyspace("nope"));
    }

    @Test
    public void updateShardFieldsIsReadModifyWrite() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.createShard("customer", "-80");
        Version before = topo.getShard("customer", "-80").version();
        Versioned<Shard> updated = topo.updateShardFields("customer", "-80",
                s -> s.toBuilder().setPrimaryAlias(TabletAliases.of("zone1", 100)).build());
        assertNotEquals(before, updated.version());
        assertEquals(100, topo.getShard("customer", "-80").value().getPrimaryAlias().getUid());

        Versioned<Shard> unchanged = topo.updateShardFields("customer", "-80", s -> s);
        assertEquals(updated.version(), unchanged.version());
        assertTopo(TopoCode.NO_NODE, () -> topo.updateShardFields("customer", "80-", s -> s));
    }

    @Test
    public void concurrentShardUpdatesAreAllKept() throws Exception {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.createShard("customer", "-80");
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10; i++) {
                    String table = "t" + writer + "_" + i;
                    topo.updateShardFields("customer", "-80", s -> s.toBuilder()
                            .addSourceShards(Shard.SourceShard.newBuilder().addTables(table)).build());
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(40, topo.getShard("customer", "-80").value().getSourceShardsCount());
    }

    @Test
    public void vschemaIsSavedPerKeyspace() throws Exception {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        assertTopo(TopoCode.NO_NODE, () -> topo.getVSchema("customer"));
        Vschema.Keyspace vschema = shardedVSchema();
        topo.saveVSchema("customer", vschema);
        assertEquals(vschema, topo.getVSchema("customer"));
        assertEquals(vschema, Vschema.Keyspace.parseFrom(raw.get("vitess/global/keyspaces/customer/VSchema").value()));
        topo.saveVSchema("customer", Vschema.Keyspace.getDefaultInstance());
        assertEquals(Vschema.Keyspace.getDefaultInstance(), topo.getVSchema("customer"));
        assertTopo(TopoCode.NO_NODE, () -> topo.saveVSchema("nope", vschema));
    }

    @Test
    public void tabletsLiveInTheirCell() throws Exception {
        Tablet t100 = tablet("zone1", 100, "customer", "-80", TabletType.PRIMARY);
        topo.createTablet(t100);
        topo.createTablet(tablet("zone1", 7, "customer", "80-", TabletType.REPLICA));
        topo.createTablet(tablet("zone2", 200, "customer", "-80", TabletType.REPLICA));
        assertEquals(t100, Tablet.parseFrom(raw.get("vitess/zone1/tablets/zone1-0000000100/Tablet").value()));
        assertEquals(t100, topo.getTablet(t100.getAlias()).value());
        assertEquals(List.of(7, 100), topo.getTabletsByCell("zone1").stream().map(t -> t.getAlias().getUid()).toList());
        assertEquals(1, topo.getTabletsByCell("zone2").size());
        assertTopo(TopoCode.NODE_EXISTS, () -> topo.createTablet(t100));
        assertTopo(TopoCode.NO_NODE, () -> topo.createTablet(tablet("zone9", 1, "customer", "-80", TabletType.REPLICA)));
    }

    @Test
    public void tabletsAreUpdatedWithVersionsAndDeleted() {
        Tablet t = tablet("zone1", 100, "customer", "-80", TabletType.REPLICA);
        topo.createTablet(t);
        Version v1 = topo.getTablet(t.getAlias()).version();
        Version v2 = topo.updateTablet(t.toBuilder().setType(TabletType.PRIMARY).build(), v1);
        assertTopo(TopoCode.BAD_VERSION, () -> topo.updateTablet(t, v1));
        assertEquals(v2, topo.getTablet(t.getAlias()).version());
        topo.updateTabletFields(t.getAlias(), x -> x.toBuilder().setMysqlPort(3306).build());
        Tablet read = topo.getTablet(t.getAlias()).value();
        assertEquals(TabletType.PRIMARY, read.getType());
        assertEquals(3306, read.getMysqlPort());
        topo.deleteTablet(t.getAlias());
        assertTopo(TopoCode.NO_NODE, () -> topo.getTablet(t.getAlias()));
        assertEquals(List.of(), topo.getTabletsByCell("zone1"));
    }

    @Test
    public void rebuildKeyspaceGraphWritesOnePartitionPerServedType() throws Exception {
        shardedKeyspace("customer");
        topo.createShard("customer", "-40");
        topo.rebuildKeyspaceGraph("customer", List.of());
        for (String cell : List.of("zone1", "zone2")) {
            SrvKeyspace srv = topo.getSrvKeyspace(cell, "customer");
            assertEquals(List.of(TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY),
                    srv.getPartitionsList().stream().map(SrvKeyspace.KeyspacePartition::getServedType).toList());
            for (SrvKeyspace.KeyspacePartition partition : srv.getPartitionsList()) {
                assertEquals(List.of("-80", "80-"), partition.getShardReferencesList().stream().map(r -> r.getName()).toList());
                assertEquals(range("", "80"), partition.getShardReferences(0).getKeyRange());
                assertEquals(range("80", ""), partition.getShardReferences(1).getKeyRange());
            }
        }
        SrvKeyspace stored = SrvKeyspace.parseFrom(raw.get("vitess/zone1/keyspaces/customer/SrvKeyspace").value());
        assertEquals(topo.getSrvKeyspace("zone1", "customer"), stored);
        assertEquals(List.of("customer"), topo.getSrvKeyspaceNames("zone1"));
    }

    @Test
    public void rebuildKeyspaceGraphOnlyTouchesTheGivenCells() {
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.createShard("commerce", "0");
        topo.rebuildKeyspaceGraph("commerce", List.of("zone2"));
        assertFalse(topo.getSrvKeyspace("zone2", "commerce").getPartitions(0).getShardReferences(0).hasKeyRange());
        assertTopo(TopoCode.NO_NODE, () -> topo.getSrvKeyspace("zone1", "commerce"));
    }

    @Test
    public void rebuildKeyspaceGraphRejectsGaps() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.createShard("customer", "-80");
        assertInvalid(ErrorCode.FAILED_PRECONDITION, () -> topo.rebuildKeyspaceGraph("customer", List.of()));
        assertTopo(TopoCode.NO_NODE, () -> topo.rebuildKeyspaceGraph("nope", List.of()));
    }

    @Test
    public void rebuildVSchemaGraphRollsUpEveryKeyspace() throws Exception {
        shardedKeyspace("customer");
        topo.saveVSchema("customer", shardedVSchema());
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.rebuildVSchemaGraph(List.of());
        SrvVSchema srv = topo.getSrvVSchema("zone2");
        assertEquals(shardedVSchema(), srv.getKeyspacesOrThrow("customer"));
        assertEquals(Vschema.Keyspace.getDefaultInstance(), srv.getKeyspacesOrThrow("commerce"));
        assertEquals(srv, SrvVSchema.parseFrom(raw.get("vitess/zone1/SrvVSchema").value()));
    }

    @Test
    public void watchSrvKeyspaceFollowsAReshard() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.createShard("customer", "0");
        assertTopo(TopoCode.NO_NODE, () -> topo.watchSrvKeyspace("zone1", "customer", new RecordingListener<>()));
        topo.rebuildKeyspaceGraph("customer", List.of());
        RecordingListener<SrvKeyspace> listener = new RecordingListener<>();
        try (Watch watch = topo.watchSrvKeyspace("zone1", "customer", listener)) {
            assertEquals(List.of("0"), shardNames(listener.nextChanged().value()));
            topo.createShard("customer", "-80");
            topo.createShard("customer", "80-");
            topo.updateShardFields("customer", "0", s -> s.toBuilder().setIsPrimaryServing(false).build());
            topo.updateShardFields("customer", "-80", s -> s.toBuilder().setIsPrimaryServing(true).build());
            topo.updateShardFields("customer", "80-", s -> s.toBuilder().setIsPrimaryServing(true).build());
            topo.rebuildKeyspaceGraph("customer", List.of());
            listener.awaitValue(srv -> shardNames(srv).equals(List.of("-80", "80-")));
        }
    }

    @Test
    public void watchSrvVSchemaSeesRebuilds() {
        topo.createKeyspace("customer", Keyspace.getDefaultInstance());
        topo.rebuildVSchemaGraph(List.of());
        RecordingListener<SrvVSchema> listener = new RecordingListener<>();
        try (Watch watch = topo.watchSrvVSchema("zone1", listener)) {
            assertFalse(listener.nextChanged().value().getKeyspacesOrThrow("customer").getSharded());
            topo.saveVSchema("customer", shardedVSchema());
            topo.rebuildVSchemaGraph(List.of("zone1"));
            listener.awaitValue(srv -> srv.getKeyspacesOrThrow("customer").getSharded());
        }
    }

    @Test
    public void undecodableValueEndsATypedWatch() {
        topo.rebuildVSchemaGraph(List.of("zone1"));
        RecordingListener<SrvVSchema> listener = new RecordingListener<>();
        try (Watch watch = topo.watchSrvVSchema("zone1", listener)) {
            listener.nextChanged();
            topo.cellConn("zone1").update("SrvVSchema", new byte[] {0x0a, 0x05}, null);
            listener.awaitError(TopoCode.INVALID_DATA);
        }
    }

    @Test
    public void deleteKeyspaceRefusesShardsUnlessRecursive() {
        shardedKeyspace("customer");
        topo.saveVSchema("customer", shardedVSchema());
        topo.createTablet(tablet("zone1", 100, "customer", "-80", TabletType.PRIMARY));
        topo.createTablet(tablet("zone2", 200, "other", "0", TabletType.PRIMARY));
        topo.rebuildKeyspaceGraph("customer", List.of());
        assertTopo(TopoCode.NODE_NOT_EMPTY, () -> topo.deleteKeyspace("customer", false));

        topo.deleteKeyspace("customer", true);
        assertEquals(List.of(), topo.getKeyspaceNames());
        assertTopo(TopoCode.NO_NODE, () -> topo.getVSchema("customer"));
        assertTopo(TopoCode.NO_NODE, () -> topo.getSrvKeyspace("zone1", "customer"));
        assertEquals(List.of(), topo.getTabletsByCell("zone1"));
        assertEquals(1, topo.getTabletsByCell("zone2").size());
        assertTopo(TopoCode.NO_NODE, () -> topo.deleteKeyspace("customer", true));
    }

    @Test
    public void deleteShardThenEmptyKeyspace() {
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.createShard("commerce", "0");
        topo.deleteShard("commerce", "0");
        assertTopo(TopoCode.NO_NODE, () -> topo.getShard("commerce", "0"));
        topo.deleteKeyspace("commerce", false);
        assertTopo(TopoCode.NO_NODE, () -> topo.getKeyspace("commerce"));
    }

    @Test
    public void keyspaceAndShardLocksAreSeparate() {
        shardedKeyspace("customer");
        try (LockHandle keyspace = topo.lockKeyspace("customer", "test", SHORT);
                LockHandle shard = topo.lockShard("customer", "-80", "test", SHORT)) {
            assertTopo(TopoCode.TIMEOUT, () -> topo.lockShard("customer", "-80", "second", SHORT));
            Topo impatient = openTopo(SHORT);
            assertTopo(TopoCode.TIMEOUT, () -> impatient.rebuildKeyspaceGraph("customer", List.of()));
            assertTopo(TopoCode.TIMEOUT, () -> impatient.createShard("customer", "80-c0"));
        }
    }

    @Test
    public void closeClosesCellConnectionsOnly() {
        TopoConn cell = topo.cellConn("zone1");
        topo.close();
        assertTopo(TopoCode.UNREACHABLE, () -> cell.listDir("/", false));
        topo.createKeyspace("after", Keyspace.getDefaultInstance());
        topo.createTablet(tablet("zone1", 1, "after", "0", TabletType.REPLICA));
        assertEquals(1, topo.getTabletsByCell("zone1").size());
    }

    protected void shardedKeyspace(String name) {
        topo.createKeyspace(name, Keyspace.getDefaultInstance());
        topo.createShard(name, "-80");
        topo.createShard(name, "80-");
    }

    private static Vschema.Keyspace shardedVSchema() {
        return Vschema.Keyspace.newBuilder().setSharded(true)
                .putVindexes("hash", Vschema.Vindex.newBuilder().setType("hash").build())
                .putTables("customer", Vschema.Table.newBuilder()
                        .addColumnVindexes(Vschema.ColumnVindex.newBuilder().setColumn("id").setName("hash")).build())
                .build();
    }

    private static Tablet tablet(String cell, int uid, String keyspace, String shard, TabletType type) {
        return Tablet.newBuilder().setAlias(TabletAliases.of(cell, uid)).setHostname("localhost")
                .putPortMap("grpc", 15000 + uid).setKeyspace(keyspace).setShard(shard).setType(type).build();
    }

    private static KeyRange range(String start, String end) {
        return KeyRange.newBuilder().setStart(ByteString.fromHex(start)).setEnd(ByteString.fromHex(end)).build();
    }

    private static List<String> shardNames(SrvKeyspace srv) {
        return srv.getPartitions(0).getShardReferencesList().stream().map(r -> r.getName()).toList();
    }

    protected static TopoException assertTopo(TopoCode code, Executable call) {
        TopoException e = assertThrows(TopoException.class, call);
        assertEquals(code, e.code(), e::getMessage);
        return e;
    }

    private static void assertInvalid(ErrorCode code, Executable call) {
        VtException e = assertThrows(VtException.class, call);
        assertEquals(code, e.code(), e::getMessage);
    }
}
