package io.tessel.vtctld;

import static io.tessel.vtctld.VtctldServiceTest.assertRpcError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vtctldata.ChangeTabletTypeRequest;
import io.tessel.proto.Vtctldata.ChangeTabletTypeResponse;
import io.tessel.proto.Vtctldata.DeleteKeyspaceRequest;
import io.tessel.proto.Vtctldata.DeleteShardsRequest;
import io.tessel.proto.Vtctldata.GetTabletRequest;
import io.tessel.proto.Vtctldata.GetTabletsRequest;
import io.tessel.proto.Vtctldata.Shard;
import io.tessel.proto.VtctldGrpc.VtctldBlockingStub;
import io.tessel.topo.TabletAliases;
import io.tessel.topo.Topo;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tablet RPCs (GetTablet, GetTablets, ChangeTabletType) and the tablet side of DeleteShards and
 * DeleteKeyspace, through in-process gRPC against an in-memory topology with cells zone1 and zone2 and
 * tablets ks/-80 zone1-100 (PRIMARY), zone1-101 (REPLICA), zone2-200 (RDONLY) and ks/80- zone1-110 (PRIMARY).
 */
class VtctldTabletRpcTest {
    private InProcessVtctld vtctld;
    private Topo topo;
    private VtctldBlockingStub stub;

    @BeforeEach
    void setUp() throws Exception {
        vtctld = new InProcessVtctld();
        topo = vtctld.topo;
        stub = vtctld.stub;
        topo.createCellInfo("zone2", CellInfo.newBuilder().setServerAddress("memory").setRoot("/vitess/zone2").build());
        VtctldServiceTest.createKeyspace(stub, "ks");
        VtctldServiceTest.createShard(stub, "ks", "-80");
        VtctldServiceTest.createShard(stub, "ks", "80-");
        topo.createTablet(tablet("zone1", 100, "-80", TabletType.PRIMARY));
        topo.createTablet(tablet("zone1", 101, "-80", TabletType.REPLICA));
        topo.createTablet(tablet("zone2", 200, "-80", TabletType.RDONLY));
        topo.createTablet(tablet("zone1", 110, "80-", TabletType.PRIMARY));
    }

    @AfterEach
    void tearDown() {
        vtctld.close();
    }

    private static Tablet tablet(String cell, int uid, String shard, TabletType type) {
        return Tablet.newBuilder().setAlias(TabletAliases.of(cell, uid)).setHostname("127.0.0.1")
                .putPortMap("grpc", 16000 + uid).setKeyspace("ks").setShard(shard).setType(type).build();
    }

    private List<String> aliases(GetTabletsRequest request) {
        return stub.getTablets(request).getTabletsList().stream().map(t -> TabletAliases.format(t.getAlias())).toList();
    }

    @Test
    void getTabletReadsOneRecord() {
        Tablet tablet = stub.getTablet(GetTabletRequest.newBuilder().setTabletAlias(TabletAliases.of("zone2", 200))
                .build()).getTablet();
        assertEquals(TabletType.RDONLY, tablet.getType());
        assertEquals(16200, tablet.getPortMapOrThrow("grpc"));
        assertRpcError(Status.Code.NOT_FOUND, "tablet zone1-0000000999 not found", () -> stub.getTablet(
                GetTabletRequest.newBuilder().setTabletAlias(TabletAliases.of("zone1", 999)).build()));
        assertRpcError(Status.Code.NOT_FOUND, "tablet zone9-0000000001 not found", () -> stub.getTablet(
                GetTabletRequest.newBuilder().setTabletAlias(TabletAliases.of("zone9", 1)).build()));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "tablet_alias with a cell is required",
                () -> stub.getTablet(GetTabletRequest.getDefaultInstance()));
    }

    @Test
    void getTabletsFiltersByKeyspaceShardCellsTypeAndAlias() {
        assertEquals(List.of("zone1-0000000100", "zone1-0000000101", "zone1-0000000110", "zone2-0000000200"),
                aliases(GetTabletsRequest.getDefaultInstance()));
        assertEquals(List.of("zone1-0000000100", "zone1-0000000101", "zone2-0000000200"),
                aliases(GetTabletsRequest.newBuilder().setKeyspace("ks").setShard("-80").build()));
        assertEquals(List.of("zone2-0000000200"), aliases(GetTabletsRequest.newBuilder().addCells("zone2").build()));
        assertEquals(List.of("zone1-0000000100", "zone1-0000000110"),
                aliases(GetTabletsRequest.newBuilder().setTabletType(TabletType.PRIMARY).build()));
        assertEquals(List.of("zone1-0000000110", "zone2-0000000200"), aliases(GetTabletsRequest.newBuilder()
                .addTabletAliases(TabletAliases.of("zone2", 200)).addTabletAliases(TabletAliases.of("zone1", 110))
                .addTabletAliases(TabletAliases.of("zone1", 999)).build()));
    }

    @Test
    void getTabletsRefusesBadFilters() {
        assertRpcError(Status.Code.INVALID_ARGUMENT, "keyspace is required when shard is set",
                () -> stub.getTablets(GetTabletsRequest.newBuilder().setShard("-80").build()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found",
                () -> stub.getTablets(GetTabletsRequest.newBuilder().setKeyspace("nope").build()));
        assertRpcError(Status.Code.NOT_FOUND, "shard ks/-40 not found",
                () -> stub.getTablets(GetTabletsRequest.newBuilder().setKeyspace("ks").setShard("-40").build()));
        assertRpcError(Status.Code.NOT_FOUND, "cell 'zone9' not found",
                () -> stub.getTablets(GetTabletsRequest.newBuilder().addCells("zone9").build()));
        assertRpcError(Status.Code.NOT_FOUND, "tablet zone1-0000000999 not found", () -> stub.getTablets(
                GetTabletsRequest.newBuilder().setStrict(true).addTabletAliases(TabletAliases.of("zone1", 999)).build()));
    }

    @Test
    void changeTabletTypeMovesAmongReplicaRdonlyAndSpare() {
        TabletAlias replica = TabletAliases.of("zone1", 101);
        ChangeTabletTypeRequest request = ChangeTabletTypeRequest.newBuilder().setTabletAlias(replica)
                .setDbType(TabletType.RDONLY).setDryRun(true).build();
        ChangeTabletTypeResponse dry = stub.changeTabletType(request);
        assertTrue(dry.getWasDryRun());
        assertEquals(TabletType.REPLICA, dry.getBeforeTablet().getType());
        assertEquals(TabletType.RDONLY, dry.getAfterTablet().getType());
        assertEquals(TabletType.REPLICA, topo.getTablet(replica).value().getType());
        ChangeTabletTypeResponse done = stub.changeTabletType(request.toBuilder().setDryRun(false).build());
        assertEquals(TabletType.RDONLY, done.getAfterTablet().getType());
        assertEquals(TabletType.RDONLY, topo.getTablet(replica).value().getType());
        stub.changeTabletType(request.toBuilder().setDryRun(false).setDbType(TabletType.SPARE).build());
        assertEquals(TabletType.SPARE, topo.getTablet(replica).value().getType());
    }

    @Test
    void changeTabletTypeNeverTouchesPrimaries() {
        ChangeTabletTypeRequest request = ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(TabletAliases.of("zone1", 101)).setDbType(TabletType.PRIMARY).build();
        assertRpcError(Status.Code.INVALID_ARGUMENT, "not PRIMARY", () -> stub.changeTabletType(request));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "not BACKUP",
                () -> stub.changeTabletType(request.toBuilder().setDbType(TabletType.BACKUP).build()));
        assertRpcError(Status.Code.FAILED_PRECONDITION, "is PRIMARY", () -> stub.changeTabletType(request.toBuilder()
                .setTabletAlias(TabletAliases.of("zone1", 100)).setDbType(TabletType.REPLICA).build()));
        assertRpcError(Status.Code.NOT_FOUND, "tablet zone1-0000000999 not found", () -> stub.changeTabletType(
                request.toBuilder().setTabletAlias(TabletAliases.of("zone1", 999)).setDbType(TabletType.RDONLY).build()));
        assertEquals(TabletType.PRIMARY, topo.getTablet(TabletAliases.of("zone1", 100)).value().getType());
    }

    @Test
    void deleteShardsDeletesTabletsOnlyWhenRecursive() {
        DeleteShardsRequest request = DeleteShardsRequest.newBuilder()
                .addShards(Shard.newBuilder().setKeyspace("ks").setName("-80")).build();
        assertRpcError(Status.Code.FAILED_PRECONDITION, "still has 3 tablets", () -> stub.deleteShards(request));
        stub.deleteShards(request.toBuilder().setRecursive(true).build());
        assertEquals(List.of("zone1-0000000110"), aliases(GetTabletsRequest.getDefaultInstance()));
        stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("ks").setRecursive(true).build());
        assertEquals(List.of(), aliases(GetTabletsRequest.getDefaultInstance()));
    }
}
