package io.tessel.vtctld;

import static io.tessel.vtctld.AdminChecks.require;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vtctldata.GetSrvKeyspacesResponse;
import io.tessel.proto.Vtctldata.GetSrvVSchemaResponse;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphRequest;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphResponse;
import io.tessel.proto.Vtctldata.RebuildVSchemaGraphResponse;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.List;

/**
 * The serving-graph RPCs over {@link Topo}: rebuild and read the per-cell SrvKeyspace and SrvVSchema records
 * that vtgate watches. Named cells must exist; no cells means every cell. Thread-safe.
 */
final class ServingAdmin {
    private final Topo topo;

    ServingAdmin(Topo topo) {
        this.topo = topo;
    }

    /** Writes the keyspace's SrvKeyspace; FAILED_PRECONDITION if its serving shards leave a gap or overlap. */
    RebuildKeyspaceGraphResponse rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest request) {
        String keyspace = require("keyspace", request.getKeyspace());
        if (request.getAllowPartial()) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "RebuildKeyspaceGraph allow_partial is not supported: "
                    + "Tessel's serving graph must cover the whole key range");
        }
        AdminChecks.keyspace(topo, keyspace);
        topo.rebuildKeyspaceGraph(keyspace, AdminChecks.cells(topo, request.getCellsList()));
        return RebuildKeyspaceGraphResponse.getDefaultInstance();
    }

    RebuildVSchemaGraphResponse rebuildVSchemaGraph(List<String> cells) {
        topo.rebuildVSchemaGraph(AdminChecks.cells(topo, cells));
        return RebuildVSchemaGraphResponse.getDefaultInstance();
    }

    /** The keyspace's SrvKeyspace by cell; a cell where it was never built is left out. */
    GetSrvKeyspacesResponse getSrvKeyspaces(String keyspace, List<String> requestedCells) {
        AdminChecks.keyspace(topo, keyspace);
        GetSrvKeyspacesResponse.Builder response = GetSrvKeyspacesResponse.newBuilder();
        for (String cell : AdminChecks.cells(topo, requestedCells)) {
            try {
                response.putSrvKeyspaces(cell, topo.getSrvKeyspace(cell, keyspace));
            } catch (TopoException e) {
                if (!e.is(TopoCode.NO_NODE)) {
                    throw e;
                }
            }
        }
        return response.build();
    }

    GetSrvVSchemaResponse getSrvVSchema(String cell) {
        require("cell", cell);
        AdminChecks.cells(topo, List.of(cell));
        return GetSrvVSchemaResponse.newBuilder()
                .setSrvVSchema(AdminChecks.find("SrvVSchema in cell '" + cell + "'", () -> topo.getSrvVSchema(cell)))
                .build();
    }
}
