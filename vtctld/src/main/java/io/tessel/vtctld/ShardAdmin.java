package io.tessel.vtctld;

import static io.tessel.vtctld.AdminChecks.require;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata;
import io.tessel.proto.Topodata.KeyRange;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Vtctldata.CreateShardRequest;
import io.tessel.proto.Vtctldata.CreateShardResponse;
import io.tessel.proto.Vtctldata.DeleteShardsRequest;
import io.tessel.proto.Vtctldata.DeleteShardsResponse;
import io.tessel.proto.Vtctldata.FindAllShardsInKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetShardResponse;
import io.tessel.proto.Vtctldata.Keyspace;
import io.tessel.proto.Vtctldata.Shard;
import io.tessel.topo.KeyRanges;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard RPCs over {@link Topo}. CreateShard parses the key range from the shard name and refuses one that
 * overlaps a shard already in the keyspace (Tessel does not reshard, so overlapping shards would only break
 * the serving graph); DeleteShards refuses serving shards and shards with tablets unless told otherwise.
 * Thread-safe.
 */
final class ShardAdmin {
    private static final Logger log = LoggerFactory.getLogger(ShardAdmin.class);

    private final Topo topo;

    ShardAdmin(Topo topo) {
        this.topo = topo;
    }

    /**
     * Creates a shard. The overlap check runs before {@link Topo#createShard} takes the keyspace lock; should a
     * concurrent CreateShard slip in between, Topo still creates the later shard non-serving, so the serving
     * graph stays consistent.
     */
    CreateShardResponse create(CreateShardRequest request) {
        String keyspace = require("keyspace", request.getKeyspace());
        String name = require("shard_name", request.getShardName());
        KeyRange range = KeyRanges.parseShardName(name);
        if (request.getIncludeParent()) {
            createParent(keyspace);
        } else {
            AdminChecks.keyspace(topo, keyspace);
        }
        Map<String, Topodata.Shard> existing = topo.findAllShardsInKeyspace(keyspace);
        if (existing.containsKey(name)) {
            if (!request.getForce()) {
                throw VtException.of(ErrorCode.ALREADY_EXISTS, "shard " + keyspace + "/" + name + " already exists");
            }
            return response(keyspace, name, existing.get(name), true);
        }
        checkNoOverlap(keyspace, name, range, existing);
        try {
            return response(keyspace, name, topo.createShard(keyspace, name), false);
        } catch (TopoException e) {
            if (e.is(TopoCode.NODE_EXISTS) && request.getForce()) {
                return response(keyspace, name, topo.getShard(keyspace, name).value(), true);
            }
            if (e.is(TopoCode.NODE_EXISTS)) {
                throw VtException.of(ErrorCode.ALREADY_EXISTS, "shard " + keyspace + "/" + name + " already exists", e);
            }
            throw e;
        }
    }

    GetShardResponse get(String keyspace, String name) {
        require("keyspace", keyspace);
        require("shard_name", name);
        return GetShardResponse.newBuilder().setShard(shard(keyspace, name, find(keyspace, name))).build();
    }

    FindAllShardsInKeyspaceResponse findAll(String keyspace) {
        AdminChecks.keyspace(topo, keyspace);
        FindAllShardsInKeyspaceResponse.Builder response = FindAllShardsInKeyspaceResponse.newBuilder();
        topo.findAllShardsInKeyspace(keyspace).forEach((name, record) ->
                response.putShards(name, shard(keyspace, name, record)));
        return response.build();
    }

    /**
     * Deletes shards. All are checked before any is deleted: each must exist, must not serve in any cell's
     * SrvKeyspace unless {@code even_if_serving}, and must have no tablets unless {@code recursive}.
     */
    DeleteShardsResponse delete(DeleteShardsRequest request) {
        if (request.getForce()) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED,
                    "DeleteShards force (deleting without the shard lock) is not supported");
        }
        if (request.getShardsCount() == 0) {
            throw AdminChecks.invalid("shards is required");
        }
        List<String> cells = topo.getCellNames();
        Map<Shard, List<Tablet>> tablets = new LinkedHashMap<>();
        for (Shard shard : request.getShardsList()) {
            require("shard keyspace", shard.getKeyspace());
            require("shard name", shard.getName());
            find(shard.getKeyspace(), shard.getName());
            if (!request.getEvenIfServing()) {
                checkNotServing(shard, cells);
            }
            tablets.put(shard, tabletsOf(shard, cells, request.getRecursive()));
        }
        tablets.forEach((shard, shardTablets) -> {
            shardTablets.forEach(t -> topo.deleteTablet(t.getAlias()));
            topo.deleteShard(shard.getKeyspace(), shard.getName());
            log.info("vtctld: deleted shard {}/{} and {} tablets", shard.getKeyspace(), shard.getName(),
                    shardTablets.size());
        });
        return DeleteShardsResponse.getDefaultInstance();
    }

    private void createParent(String keyspace) {
        try {
            topo.createKeyspace(keyspace, Topodata.Keyspace.newBuilder()
                    .setDurabilityPolicy(KeyspaceAdmin.DEFAULT_DURABILITY_POLICY).build());
        } catch (TopoException e) {
            if (!e.is(TopoCode.NODE_EXISTS)) {
                throw e;
            }
        }
    }

    private static void checkNoOverlap(String keyspace, String name, KeyRange range,
            Map<String, Topodata.Shard> existing) {
        existing.forEach((other, record) -> {
            if (KeyRanges.intersects(range, record.hasKeyRange() ? record.getKeyRange() : null)) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "shard " + keyspace + "/" + name
                        + " would overlap existing shard " + other + "; shards of a keyspace must not overlap");
            }
        });
    }

    private void checkNotServing(Shard shard, List<String> cells) {
        for (String cell : cells) {
            SrvKeyspace srv;
            try {
                srv = topo.getSrvKeyspace(cell, shard.getKeyspace());
            } catch (TopoException e) {
                if (e.is(TopoCode.NO_NODE)) {
                    continue;
                }
                throw e;
            }
            boolean isServing = srv.getPartitionsList().stream()
                    .flatMap(p -> p.getShardReferencesList().stream())
                    .anyMatch(ref -> ref.getName().equals(shard.getName()));
            if (isServing) {
                throw VtException.of(ErrorCode.FAILED_PRECONDITION, "shard " + shard.getKeyspace() + "/"
                        + shard.getName() + " is still serving in cell " + cell + "; use even_if_serving to delete it");
            }
        }
    }

    private List<Tablet> tabletsOf(Shard shard, List<String> cells, boolean isRecursive) {
        List<Tablet> tablets = new ArrayList<>();
        for (String cell : cells) {
            for (Tablet tablet : topo.getTabletsByCell(cell)) {
                if (tablet.getKeyspace().equals(shard.getKeyspace()) && tablet.getShard().equals(shard.getName())) {
                    tablets.add(tablet);
                }
            }
        }
        if (!tablets.isEmpty() && !isRecursive) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, "shard " + shard.getKeyspace() + "/" + shard.getName()
                    + " still has " + tablets.size() + " tablets; delete them first or use recursive");
        }
        return tablets;
    }

    private Topodata.Shard find(String keyspace, String name) {
        return AdminChecks.find("shard " + keyspace + "/" + name, () -> topo.getShard(keyspace, name).value());
    }

    private static Shard shard(String keyspace, String name, Topodata.Shard record) {
        return Shard.newBuilder().setKeyspace(keyspace).setName(name).setShard(record).build();
    }

    private CreateShardResponse response(String keyspace, String name, Topodata.Shard record, boolean existed) {
        Keyspace ks = Keyspace.newBuilder().setName(keyspace).setKeyspace(AdminChecks.keyspace(topo, keyspace)).build();
        return CreateShardResponse.newBuilder().setKeyspace(ks).setShard(shard(keyspace, name, record))
                .setShardAlreadyExists(existed).build();
    }
}
