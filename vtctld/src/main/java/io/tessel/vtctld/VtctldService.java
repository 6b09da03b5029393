package io.tessel.vtctld;

import io.grpc.stub.StreamObserver;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vtctldata.ApplyVSchemaRequest;
import io.tessel.proto.Vtctldata.ApplyVSchemaResponse;
import io.tessel.proto.Vtctldata.ChangeTabletTypeRequest;
import io.tessel.proto.Vtctldata.ChangeTabletTypeResponse;
import io.tessel.proto.Vtctldata.CreateKeyspaceRequest;
import io.tessel.proto.Vtctldata.CreateKeyspaceResponse;
import io.tessel.proto.Vtctldata.CreateShardRequest;
import io.tessel.proto.Vtctldata.CreateShardResponse;
import io.tessel.proto.Vtctldata.DeleteKeyspaceRequest;
import io.tessel.proto.Vtctldata.DeleteKeyspaceResponse;
import io.tessel.proto.Vtctldata.DeleteShardsRequest;
import io.tessel.proto.Vtctldata.DeleteShardsResponse;
import io.tessel.proto.Vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessel.proto.Vtctldata.FindAllShardsInKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetKeyspaceRequest;
import io.tessel.proto.Vtctldata.GetKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetKeyspacesResponse;
import io.tessel.proto.Vtctldata.GetShardRequest;
import io.tessel.proto.Vtctldata.GetShardResponse;
import io.tessel.proto.Vtctldata.GetSrvKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetSrvKeyspacesResponse;
import io.tessel.proto.Vtctldata.GetSrvVSchemaRequest;
import io.tessel.proto.Vtctldata.GetSrvVSchemaResponse;
import io.tessel.proto.Vtctldata.GetTabletRequest;
import io.tessel.proto.Vtctldata.GetTabletResponse;
import io.tessel.proto.Vtctldata.GetTabletsRequest;
import io.tessel.proto.Vtctldata.GetTabletsResponse;
import io.tessel.proto.Vtctldata.GetVSchemaRequest;
import io.tessel.proto.Vtctldata.GetVSchemaResponse;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphRequest;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphResponse;
import io.tessel.proto.Vtctldata.RebuildVSchemaGraphRequest;
import io.tessel.proto.Vtctldata.RebuildVSchemaGraphResponse;
import io.tessel.proto.VtctldGrpc;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoException;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vitess {@code Vtctld} admin service over a {@link Topo} on any backend. It only dispatches: each RPC
 * runs in one of the admin classes, and every failure leaves as a gRPC status with the {@code RPCError}
 * trailer ({@link RpcErrors#toStatus}): bad requests INVALID_ARGUMENT, missing records NOT_FOUND, existing
 * ones ALREADY_EXISTS, requests the current topology refuses FAILED_PRECONDITION. Thread-safe.
 */
public final class VtctldService extends VtctldGrpc.VtctldImplBase {
    private static final Logger log = LoggerFactory.getLogger(VtctldService.class);
    /** Refusals of a request; anything else is logged as a server-side failure. */
    private static final Set<ErrorCode> CLIENT_ERRORS = Set.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND,
            ErrorCode.ALREADY_EXISTS, ErrorCode.FAILED_PRECONDITION, ErrorCode.UNIMPLEMENTED);

    private final KeyspaceAdmin keyspaces;
    private final ShardAdmin shards;
    private final VSchemaAdmin vschemas;
    private final TabletAdmin tablets;
    private final ServingAdmin serving;

    /** @param topo the topology to administer; stays the caller's to close */
    public VtctldService(Topo topo) {
        this.keyspaces = new KeyspaceAdmin(topo);
        this.shards = new ShardAdmin(topo);
        this.vschemas = new VSchemaAdmin(topo);
        this.tablets = new TabletAdmin(topo);
        this.serving = new ServingAdmin(topo);
    }

    @Override
    public void createKeyspace(CreateKeyspaceRequest request, StreamObserver<CreateKeyspaceResponse> response) {
        unary("CreateKeyspace", response, () -> keyspaces.create(request));
    }

    @Override
    public void getKeyspace(GetKeyspaceRequest request, StreamObserver<GetKeyspaceResponse> response) {
        unary("GetKeyspace", response, () -> keyspaces.getKeyspace(request.getKeyspace()));
    }

    @Override
    public void getKeyspaces(GetKeyspacesRequest request, StreamObserver<GetKeyspacesResponse> response) {
        unary("GetKeyspaces", response, keyspaces::getKeyspaces);
    }

    @Override
    public void deleteKeyspace(DeleteKeyspaceRequest request, StreamObserver<DeleteKeyspaceResponse> response) {
        unary("DeleteKeyspace", response, () -> keyspaces.delete(request));
    }

    @Override
    public void createShard(CreateShardRequest request, StreamObserver<CreateShardResponse> response) {
        unary("CreateShard", response, () -> shards.create(request));
    }

    @Override
    public void getShard(GetShardRequest request, StreamObserver<GetShardResponse> response) {
        unary("GetShard", response, () -> shards.get(request.getKeyspace(), request.getShardName()));
    }

    @Override
    public void findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest request,
            StreamObserver<FindAllShardsInKeyspaceResponse> response) {
        unary("FindAllShardsInKeyspace", response, () -> shards.findAll(request.getKeyspace()));
    }

    @Override
    public void deleteShards(DeleteShardsRequest request, StreamObserver<DeleteShardsResponse> response) {
        unary("DeleteShards", response, () -> shards.delete(request));
    }

    @Override
    public void applyVSchema(ApplyVSchemaRequest request, StreamObserver<ApplyVSchemaResponse> response) {
        unary("ApplyVSchema", response, () -> vschemas.apply(request));
    }

    @Override
    public void getVSchema(GetVSchemaRequest request, StreamObserver<GetVSchemaResponse> response) {
        unary("GetVSchema", response, () -> vschemas.get(request.getKeyspace()));
    }

    @Override
    public void getTablet(GetTabletRequest request, StreamObserver<GetTabletResponse> response) {
        unary("GetTablet", response, () -> tablets.get(request.getTabletAlias(), request.hasTabletAlias()));
    }

    @Override
    public void getTablets(GetTabletsRequest request, StreamObserver<GetTabletsResponse> response) {
        unary("GetTablets", response, () -> tablets.list(request));
    }

    @Override
    public void changeTabletType(ChangeTabletTypeRequest request, StreamObserver<ChangeTabletTypeResponse> response) {
        unary("ChangeTabletType", response, () -> tablets.changeType(request));
    }

    @Override
    public void rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest request,
            StreamObserver<RebuildKeyspaceGraphResponse> response) {
        unary("RebuildKeyspaceGraph", response, () -> serving.rebuildKeyspaceGraph(request));
    }

    @Override
    public void rebuildVSchemaGraph(RebuildVSchemaGraphRequest request,
            StreamObserver<RebuildVSchemaGraphResponse> response) {
        unary("RebuildVSchemaGraph", response, () -> serving.rebuildVSchemaGraph(request.getCellsList()));
    }

    @Override
    public void getSrvKeyspaces(GetSrvKeyspacesRequest request, StreamObserver<GetSrvKeyspacesResponse> response) {
        unary("GetSrvKeyspaces", response, () -> serving.getSrvKeyspaces(request.getKeyspace(), request.getCellsList()));
    }

    @Override
    public void getSrvVSchema(GetSrvVSchemaRequest request, StreamObserver<GetSrvVSchemaResponse> response) {
        unary("GetSrvVSchema", response, () -> serving.getSrvVSchema(request.getCell()));
    }

    /** Runs one RPC: its result completes the call, any failure becomes the call's status. */
    private static <T> void unary(String rpc, StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(RpcErrors.toStatus(toVtException(rpc, e)));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    /** The client-facing error, logged at DEBUG for refused requests and at ERROR for failures of the server. */
    static VtException toVtException(String rpc, RuntimeException e) {
        VtException vt = e instanceof TopoException te ? te.toVtException() : RpcErrors.toVtException(e);
        if (CLIENT_ERRORS.contains(vt.code())) {
            log.debug("vtctld: {} refused: {}: {}", rpc, vt.code(), vt.getMessage());
        } else {
            log.error("vtctld: {} failed: {}: {}", rpc, vt.code(), vt.getMessage(), e);
        }
        return vt;
    }
}
