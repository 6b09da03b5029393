package io.tessel.vtctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.proto.Topodata.KeyspaceType;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vtctldata.ApplyVSchemaRequest;
import io.tessel.proto.Vtctldata.CreateKeyspaceRequest;
import io.tessel.proto.Vtctldata.CreateShardRequest;
import io.tessel.proto.Vtctldata.CreateShardResponse;
import io.tessel.proto.Vtctldata.DeleteKeyspaceRequest;
import io.tessel.proto.Vtctldata.DeleteShardsRequest;
import io.tessel.proto.Vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessel.proto.Vtctldata.GetKeyspaceRequest;
import io.tessel.proto.Vtctldata.GetKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetShardRequest;
import io.tessel.proto.Vtctldata.GetSrvKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetSrvVSchemaRequest;
import io.tessel.proto.Vtctldata.GetVSchemaRequest;
import io.tessel.proto.Vtctldata.Keyspace;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphRequest;
import io.tessel.proto.Vtctldata.RebuildVSchemaGraphRequest;
import io.tessel.proto.Vtctldata.Shard;
import io.tessel.proto.VtctldGrpc.VtctldBlockingStub;
import io.tessel.topo.KeyRanges;
import io.tessel.topo.Topo;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The keyspace, shard, VSchema and serving-graph RPCs through in-process gRPC against an in-memory topology
 * with cell zone1: each happy path, and each refused request with its gRPC code and RPCError trailer. The
 * tablet RPCs are in {@link VtctldTabletRpcTest}.
 */
class VtctldServiceTest {
    static final Vschema.Keyspace SHARDED = Vschema.Keyspace.newBuilder().setSharded(true)
            .putVindexes("hash", Vschema.Vindex.newBuilder().setType("hash").build())
            .putTables("user", Vschema.Table.newBuilder()
                    .addColumnVindexes(Vschema.ColumnVindex.newBuilder().setColumn("id").setName("hash")).build())
            .build();

    private InProcessVtctld vtctld;
    private Topo topo;
    private VtctldBlockingStub stub;

    @BeforeEach
    void setUp() throws Exception {
        vtctld = new InProcessVtctld();
        topo = vtctld.topo;
        stub = vtctld.stub;
    }

    @AfterEach
    void tearDown() {
        vtctld.close();
    }

    /** Asserts the call fails with {@code code}, the same code in the RPCError trailer, and a message with {@code text}. */
    static void assertRpcError(Status.Code code, String text, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(ErrorCode.valueOf(code.name()), RpcErrors.fromStatus(e).code());
        assertTrue(e.getStatus().getDescription().contains(text), e.getStatus().getDescription());
    }

    private void createKeyspace(String name) {
        createKeyspace(stub, name);
    }

    private CreateShardResponse createShard(String keyspace, String shard) {
        return createShard(stub, keyspace, shard);
    }

    static void createKeyspace(VtctldBlockingStub stub, String name) {
        stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName(name).build());
    }

    static CreateShardResponse createShard(VtctldBlockingStub stub, String keyspace, String shard) {
        return stub.createShard(CreateShardRequest.newBuilder().setKeyspace(keyspace).setShardName(shard).build());
    }

    @Test
    void createKeyspaceStoresRecordAndEmptyVSchemaAndRebuildsSrvVSchema() {
        Keyspace created = stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce")
                .setDurabilityPolicy("semi_sync").build()).getKeyspace();
        assertEquals("commerce", created.getName());
        assertEquals("semi_sync", created.getKeyspace().getDurabilityPolicy());
        assertEquals(Vschema.Keyspace.getDefaultInstance(), stub.getVSchema(vschemaOf("commerce")).getVSchema());
        assertTrue(topo.getSrvVSchema("zone1").containsKeyspaces("commerce"));
        assertEquals(created, stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("commerce").build()).getKeyspace());
        createKeyspace("customer");
        assertEquals(List.of("commerce", "customer"), stub.getKeyspaces(GetKeyspacesRequest.getDefaultInstance())
                .getKeyspacesList().stream().map(Keyspace::getName).toList());
        assertEquals("none", stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("customer").build())
                .getKeyspace().getKeyspace().getDurabilityPolicy());
    }

    @Test
    void createKeyspaceRefusesBadNamesExistingKeyspacesAndSnapshots() {
        stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks").setAllowEmptyVSchema(true).build());
        assertRpcError(Status.Code.NOT_FOUND, "vschema of keyspace 'ks' not found", () -> stub.getVSchema(vschemaOf("ks")));
        assertRpcError(Status.Code.ALREADY_EXISTS, "keyspace 'ks' already exists", () -> createKeyspace("ks"));
        stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks").setForce(true).build());
        assertEquals(Vschema.Keyspace.getDefaultInstance(), stub.getVSchema(vschemaOf("ks")).getVSchema());
        assertRpcError(Status.Code.INVALID_ARGUMENT, "name is required", () -> createKeyspace(""));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "invalid keyspace name", () -> createKeyspace("a/b"));
        assertRpcError(Status.Code.UNIMPLEMENTED, "SNAPSHOT", () -> stub.createKeyspace(CreateKeyspaceRequest
                .newBuilder().setName("snap").setType(KeyspaceType.SNAPSHOT).setBaseKeyspace("ks").build()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found",
                () -> stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("nope").build()));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "keyspace is required",
                () -> stub.getKeyspace(GetKeyspaceRequest.getDefaultInstance()));
    }

    @Test
    void deleteKeyspaceRefusesOneWithShardsUnlessRecursive() {
        createKeyspace("ks");
        createShard("ks", "0");
        DeleteKeyspaceRequest plain = DeleteKeyspaceRequest.newBuilder().setKeyspace("ks").build();
        assertRpcError(Status.Code.FAILED_PRECONDITION, "still has shards", () -> stub.deleteKeyspace(plain));
        stub.deleteKeyspace(plain.toBuilder().setRecursive(true).build());
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'ks' not found",
                () -> stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("ks").build()));
        assertFalse(topo.getSrvVSchema("zone1").containsKeyspaces("ks"));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'ks' not found", () -> stub.deleteKeyspace(plain));
        createKeyspace("empty");
        stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("empty").build());
        assertRpcError(Status.Code.UNIMPLEMENTED, "force", () -> stub.deleteKeyspace(plain.toBuilder().setForce(true).build()));
    }

    @Test
    void createShardParsesKeyRangeFromName() {
        createKeyspace("ks");
        CreateShardResponse low = createShard("ks", "-80");
        assertEquals("ks", low.getKeyspace().getName());
        assertEquals(KeyRanges.parseShardName("-80"), low.getShard().getShard().getKeyRange());
        assertTrue(low.getShard().getShard().getIsPrimaryServing());
        assertFalse(low.getShardAlreadyExists());
        createShard("ks", "80-");
        Shard high = stub.getShard(GetShardRequest.newBuilder().setKeyspace("ks").setShardName("80-").build()).getShard();
        assertEquals("80-", KeyRanges.format(high.getShard().getKeyRange()));
        assertEquals(List.of("-80", "80-"), List.copyOf(stub.findAllShardsInKeyspace(
                FindAllShardsInKeyspaceRequest.newBuilder().setKeyspace("ks").build()).getShardsMap().keySet()).stream()
                .sorted().toList());
        assertEquals(high, stub.findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest.newBuilder().setKeyspace("ks")
                .build()).getShardsOrThrow("80-"));
    }

    @Test
    void createShardRefusesBadNamesOverlapsMissingKeyspacesAndDuplicates() {
        createKeyspace("ks");
        createShard("ks", "-80");
        assertRpcError(Status.Code.INVALID_ARGUMENT, "invalid shard name: 'xyz'", () -> createShard("ks", "xyz"));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "start must be before end", () -> createShard("ks", "80-40"));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "shard_name is required", () -> createShard("ks", ""));
        assertRpcError(Status.Code.FAILED_PRECONDITION, "overlap existing shard -80", () -> createShard("ks", "40-c0"));
        assertRpcError(Status.Code.FAILED_PRECONDITION, "overlap existing shard -80", () -> createShard("ks", "0"));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'other' not found", () -> createShard("other", "0"));
        assertRpcError(Status.Code.ALREADY_EXISTS, "shard ks/-80 already exists", () -> createShard("ks", "-80"));
        CreateShardResponse forced = stub.createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("-80").setForce(true).build());
        assertTrue(forced.getShardAlreadyExists());
        CreateShardResponse parent = stub.createShard(CreateShardRequest.newBuilder().setKeyspace("other")
                .setShardName("0").setIncludeParent(true).build());
        assertEquals("other", parent.getKeyspace().getName());
        assertFalse(parent.getShard().getShard().hasKeyRange());
    }

    @Test
    void getShardAndFindAllShardsReportMissingRecords() {
        createKeyspace("ks");
        assertRpcError(Status.Code.NOT_FOUND, "shard ks/-80 not found",
                () -> stub.getShard(GetShardRequest.newBuilder().setKeyspace("ks").setShardName("-80").build()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found", () -> stub.findAllShardsInKeyspace(
                FindAllShardsInKeyspaceRequest.newBuilder().setKeyspace("nope").build()));
        assertEquals(0, stub.findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest.newBuilder().setKeyspace("ks")
                .build()).getShardsCount());
    }

    @Test
    void deleteShardsRefusesServingAndMissingShards() {
        createKeyspace("ks");
        createShard("ks", "0");
        stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks").build());
        DeleteShardsRequest request = DeleteShardsRequest.newBuilder()
                .addShards(Shard.newBuilder().setKeyspace("ks").setName("0")).build();
        assertRpcError(Status.Code.FAILED_PRECONDITION, "still serving in cell zone1", () -> stub.deleteShards(request));
        assertRpcError(Status.Code.NOT_FOUND, "shard ks/-80 not found", () -> stub.deleteShards(DeleteShardsRequest
                .newBuilder().setEvenIfServing(true).addShards(Shard.newBuilder().setKeyspace("ks").setName("-80")).build()));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "shards is required",
                () -> stub.deleteShards(DeleteShardsRequest.getDefaultInstance()));
        stub.deleteShards(request.toBuilder().setEvenIfServing(true).build());
        assertRpcError(Status.Code.NOT_FOUND, "shard ks/0 not found",
                () -> stub.getShard(GetShardRequest.newBuilder().setKeyspace("ks").setShardName("0").build()));
    }

    @Test
    void applyVSchemaValidatesStoresAndRebuildsSrvVSchema() {
        createKeyspace("ks");
        ApplyVSchemaRequest request = ApplyVSchemaRequest.newBuilder().setKeyspace("ks").setVSchema(SHARDED).build();
        assertEquals(SHARDED, stub.applyVSchema(request.toBuilder().setDryRun(true).build()).getVSchema());
        assertEquals(Vschema.Keyspace.getDefaultInstance(), stub.getVSchema(vschemaOf("ks")).getVSchema());
        assertEquals(SHARDED, stub.applyVSchema(request).getVSchema());
        assertEquals(SHARDED, stub.getVSchema(vschemaOf("ks")).getVSchema());
        assertEquals(SHARDED, stub.getSrvVSchema(GetSrvVSchemaRequest.newBuilder().setCell("zone1").build())
                .getSrvVSchema().getKeyspacesOrThrow("ks"));
        Vschema.Keyspace unsharded = Vschema.Keyspace.getDefaultInstance();
        stub.applyVSchema(request.toBuilder().setVSchema(unsharded).setSkipRebuild(true).build());
        assertEquals(unsharded, stub.getVSchema(vschemaOf("ks")).getVSchema());
        assertEquals(SHARDED, topo.getSrvVSchema("zone1").getKeyspacesOrThrow("ks"));
    }

    @Test
    void applyVSchemaRefusesInvalidRequests() {
        createKeyspace("ks");
        ApplyVSchemaRequest request = ApplyVSchemaRequest.newBuilder().setKeyspace("ks").setVSchema(SHARDED).build();
        Vschema.Keyspace unknownType = SHARDED.toBuilder()
                .putVindexes("hash", Vschema.Vindex.newBuilder().setType("hsh").build()).build();
        assertRpcError(Status.Code.INVALID_ARGUMENT, "unknown vindex type 'hsh'",
                () -> stub.applyVSchema(request.toBuilder().setVSchema(unknownType).build()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found",
                () -> stub.applyVSchema(request.toBuilder().setKeyspace("nope").build()));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "v_schema is required",
                () -> stub.applyVSchema(request.toBuilder().clearVSchema().build()));
        assertRpcError(Status.Code.UNIMPLEMENTED, "sql", () -> stub.applyVSchema(request.toBuilder()
                .clearVSchema().setSql("alter vschema add table t").build()));
        assertRpcError(Status.Code.NOT_FOUND, "cell 'zone9' not found",
                () -> stub.applyVSchema(request.toBuilder().addCells("zone9").build()));
        assertEquals(Vschema.Keyspace.getDefaultInstance(), stub.getVSchema(vschemaOf("ks")).getVSchema());
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found", () -> stub.getVSchema(vschemaOf("nope")));
    }

    @Test
    void rebuildKeyspaceGraphWritesSrvKeyspaceOnceShardsCoverTheRange() {
        createKeyspace("ks");
        createShard("ks", "-80");
        RebuildKeyspaceGraphRequest request = RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks").build();
        assertRpcError(Status.Code.FAILED_PRECONDITION, "do not cover the full key range",
                () -> stub.rebuildKeyspaceGraph(request));
        createShard("ks", "80-");
        stub.rebuildKeyspaceGraph(request);
        SrvKeyspace srv = stub.getSrvKeyspaces(GetSrvKeyspacesRequest.newBuilder().setKeyspace("ks").build())
                .getSrvKeyspacesOrThrow("zone1");
        assertEquals(List.of(TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY),
                srv.getPartitionsList().stream().map(SrvKeyspace.KeyspacePartition::getServedType).toList());
        assertEquals(List.of("-80", "80-"), srv.getPartitions(0).getShardReferencesList().stream()
                .map(ref -> ref.getName()).toList());
        assertRpcError(Status.Code.NOT_FOUND, "cell 'zone9' not found",
                () -> stub.rebuildKeyspaceGraph(request.toBuilder().addCells("zone9").build()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found",
                () -> stub.rebuildKeyspaceGraph(request.toBuilder().setKeyspace("nope").build()));
        assertRpcError(Status.Code.UNIMPLEMENTED, "allow_partial",
                () -> stub.rebuildKeyspaceGraph(request.toBuilder().setAllowPartial(true).build()));
    }

    @Test
    void srvKeyspacesAndSrvVSchemaAreReadPerCell() {
        assertRpcError(Status.Code.NOT_FOUND, "SrvVSchema in cell 'zone1' not found",
                () -> stub.getSrvVSchema(GetSrvVSchemaRequest.newBuilder().setCell("zone1").build()));
        stub.rebuildVSchemaGraph(RebuildVSchemaGraphRequest.getDefaultInstance());
        assertNotNull(stub.getSrvVSchema(GetSrvVSchemaRequest.newBuilder().setCell("zone1").build()).getSrvVSchema());
        createKeyspace("ks");
        topo.saveVSchema("ks", SHARDED);
        stub.rebuildVSchemaGraph(RebuildVSchemaGraphRequest.newBuilder().addCells("zone1").build());
        assertEquals(SHARDED, stub.getSrvVSchema(GetSrvVSchemaRequest.newBuilder().setCell("zone1").build())
                .getSrvVSchema().getKeyspacesOrThrow("ks"));
        assertEquals(0, stub.getSrvKeyspaces(GetSrvKeyspacesRequest.newBuilder().setKeyspace("ks").build())
                .getSrvKeyspacesCount());
        assertRpcError(Status.Code.NOT_FOUND, "cell 'zone9' not found",
                () -> stub.rebuildVSchemaGraph(RebuildVSchemaGraphRequest.newBuilder().addCells("zone9").build()));
        assertRpcError(Status.Code.NOT_FOUND, "cell 'zone9' not found",
                () -> stub.getSrvVSchema(GetSrvVSchemaRequest.newBuilder().setCell("zone9").build()));
        assertRpcError(Status.Code.INVALID_ARGUMENT, "cell is required",
                () -> stub.getSrvVSchema(GetSrvVSchemaRequest.getDefaultInstance()));
        assertRpcError(Status.Code.NOT_FOUND, "keyspace 'nope' not found",
                () -> stub.getSrvKeyspaces(GetSrvKeyspacesRequest.newBuilder().setKeyspace("nope").build()));
    }

    static GetVSchemaRequest vschemaOf(String keyspace) {
        return GetVSchemaRequest.newBuilder().setKeyspace(keyspace).build();
    }
}
