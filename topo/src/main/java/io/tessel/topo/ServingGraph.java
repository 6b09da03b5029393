package io.tessel.topo;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.KeyRange;
import io.tessel.proto.Topodata.Shard;
import io.tessel.proto.Topodata.ShardReference;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.TabletType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds the serving graph record {@link SrvKeyspace} from a keyspace's shard records, as Vitess's
 * {@code RebuildKeyspace}: one partition per served tablet type listing the primary-serving shards in
 * key-range order. Stateless.
 */
final class ServingGraph {
    /** The tablet types vtgate routes to, one partition each. */
    static final List<TabletType> SERVED_TYPES = List.of(TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY);

    private ServingGraph() {}

    /**
     * The SrvKeyspace for these shards (name to record). With no serving shard the partitions are empty.
     *
     * @throws VtException FAILED_PRECONDITION if the serving shards leave a gap or overlap
     */
    static SrvKeyspace srvKeyspace(String keyspace, Map<String, Shard> shards) {
        List<ShardReference> refs = shards.entrySet().stream()
                .filter(e -> e.getValue().getIsPrimaryServing())
                .map(e -> reference(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(ServingGraph::rangeOf, KeyRanges.BY_START))
                .toList();
        if (!refs.isEmpty() && !KeyRanges.isCompleteCover(refs.stream().map(ServingGraph::rangeOf).toList())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, "keyspace " + keyspace
                    + ": serving shards " + refs.stream().map(ShardReference::getName).toList()
                    + " do not cover the full key range exactly once");
        }
        SrvKeyspace.Builder srv = SrvKeyspace.newBuilder();
        for (TabletType type : SERVED_TYPES) {
            srv.addPartitionsBuilder().setServedType(type).addAllShardReferences(refs);
        }
        return srv.build();
    }

    private static ShardReference reference(String name, Shard shard) {
        ShardReference.Builder ref = ShardReference.newBuilder().setName(name);
        if (shard.hasKeyRange()) {
            ref.setKeyRange(shard.getKeyRange());
        }
        return ref.build();
    }

    private static KeyRange rangeOf(ShardReference ref) {
        return ref.hasKeyRange() ? ref.getKeyRange() : KeyRanges.FULL;
    }
}
