package io.tessel.vtctld;

import static io.tessel.vtctld.AdminChecks.require;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata;
import io.tessel.proto.Topodata.KeyspaceType;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vtctldata.CreateKeyspaceRequest;
import io.tessel.proto.Vtctldata.CreateKeyspaceResponse;
import io.tessel.proto.Vtctldata.DeleteKeyspaceRequest;
import io.tessel.proto.Vtctldata.DeleteKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetKeyspacesResponse;
import io.tessel.proto.Vtctldata.Keyspace;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyspace RPCs over {@link Topo}: create (with an empty VSchema unless asked not to, then a SrvVSchema
 * rebuild, as Vitess), get, list and delete. Thread-safe; concurrency is the topology's.
 */
final class KeyspaceAdmin {
    /** Vitess's default durability policy name; Tessel has no reparenting, so it is only recorded. */
    static final String DEFAULT_DURABILITY_POLICY = "none";

    private static final Logger log = LoggerFactory.getLogger(KeyspaceAdmin.class);

    private final Topo topo;

    KeyspaceAdmin(Topo topo) {
        this.topo = topo;
    }

    CreateKeyspaceResponse create(CreateKeyspaceRequest request) {
        String name = require("name", request.getName());
        if (request.getType() == KeyspaceType.SNAPSHOT) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED,
                    "SNAPSHOT keyspaces are not supported: Tessel has no backups to restore them from");
        }
        Topodata.Keyspace record = Topodata.Keyspace.newBuilder()
                .setKeyspaceType(KeyspaceType.NORMAL)
                .setDurabilityPolicy(request.getDurabilityPolicy().isEmpty()
                        ? DEFAULT_DURABILITY_POLICY : request.getDurabilityPolicy())
                .setSidecarDbName(request.getSidecarDbName())
                .build();
        try {
            topo.createKeyspace(name, record);
        } catch (TopoException e) {
            if (!e.is(TopoCode.NODE_EXISTS)) {
                throw e;
            }
            if (!request.getForce()) {
                throw VtException.of(ErrorCode.ALREADY_EXISTS, "keyspace '" + name + "' already exists", e);
            }
            log.info("vtctld: keyspace {} already exists; continuing because of force", name);
        }
        if (!request.getAllowEmptyVSchema()) {
            ensureVSchema(name);
        }
        topo.rebuildVSchemaGraph(List.of());
        return CreateKeyspaceResponse.newBuilder().setKeyspace(get(name)).build();
    }

    GetKeyspaceResponse getKeyspace(String name) {
        return GetKeyspaceResponse.newBuilder().setKeyspace(get(name)).build();
    }

    GetKeyspacesResponse getKeyspaces() {
        GetKeyspacesResponse.Builder response = GetKeyspacesResponse.newBuilder();
        for (String name : topo.getKeyspaceNames()) {
            try {
                response.addKeyspaces(get(name));
            } catch (VtException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                // deleted between listing and reading: not a keyspace any more
            }
        }
        return response.build();
    }

    /** Deletes a keyspace; one that still has shards only when {@code recursive} (then with their tablets). */
    DeleteKeyspaceResponse delete(DeleteKeyspaceRequest request) {
        String name = require("keyspace", request.getKeyspace());
        if (request.getForce()) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED,
                    "DeleteKeyspace force (deleting without the keyspace lock) is not supported");
        }
        AdminChecks.keyspace(topo, name);
        try {
            topo.deleteKeyspace(name, request.getRecursive());
        } catch (TopoException e) {
            if (e.is(TopoCode.NODE_NOT_EMPTY)) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "keyspace '" + name
                        + "' still has shards; delete them first or use recursive", e);
            }
            throw e;
        }
        topo.rebuildVSchemaGraph(List.of());
        return DeleteKeyspaceResponse.getDefaultInstance();
    }

    private Keyspace get(String name) {
        return Keyspace.newBuilder().setName(name).setKeyspace(AdminChecks.keyspace(topo, name)).build();
    }

    private void ensureVSchema(String keyspace) {
        try {
            topo.getVSchema(keyspace);
        } catch (TopoException e) {
            if (!e.is(TopoCode.NO_NODE)) {
                throw e;
            }
            topo.saveVSchema(keyspace, Vschema.Keyspace.getDefaultInstance());
        }
    }
}
