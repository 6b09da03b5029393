package io.tessel.vtgate.gateway;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A fixed serving graph and tablet map for unit tests. Immutable once built; thread-safe. */
public final class StaticGateway implements TabletGateway, ServingGraph {
    private record Key(String keyspace, String shard, TabletType type) {}

    private final Map<String, List<String>> shards;
    private final Map<Key, QueryService> tablets;

    private StaticGateway(Map<String, List<String>> shards, Map<Key, QueryService> tablets) {
        this.shards = shards;
        this.tablets = tablets;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public QueryService queryService(Target target) {
        QueryService qs = tablets.get(new Key(target.getKeyspace(), target.getShard(), target.getTabletType()));
        if (qs == null) {
            throw VtException.of(ErrorCode.UNAVAILABLE, "no healthy tablet available for '"
                    + target.getKeyspace() + "/" + target.getShard() + " " + target.getTabletType().name().toLowerCase() + "'");
        }
        return qs;
    }

    @Override
    public Set<String> keyspaces() {
        return shards.keySet();
    }

    @Override
    public Optional<List<String>> shards(String keyspace) {
        return Optional.ofNullable(shards.get(keyspace));
    }

    /** Collects tablets; not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> shards = new TreeMap<>();
        private final Map<Key, QueryService> tablets = new java.util.HashMap<>();

        public Builder tablet(String keyspace, String shard, TabletType type, QueryService qs) {
            List<String> list = shards.computeIfAbsent(keyspace, k -> new ArrayList<>());
            if (!list.contains(shard)) {
                list.add(shard);
            }
            tablets.put(new Key(keyspace, shard, type), qs);
            return this;
        }

        public StaticGateway build() {
            Map<String, List<String>> frozen = new TreeMap<>();
            shards.forEach((k, v) -> frozen.put(k, List.copyOf(v.stream().sorted().toList())));
            return new StaticGateway(java.util.Collections.unmodifiableMap(frozen), Map.copyOf(tablets));
        }
    }
}
