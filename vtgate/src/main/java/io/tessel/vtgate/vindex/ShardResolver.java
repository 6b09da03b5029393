package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.KeyRange;
import io.tessel.topo.KeyRanges;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps keyspace ids to the shard of a keyspace whose key range contains them, as Vitess's
 * {@code GetShardForKeyspaceID}: shards are sorted by start key and searched by binary search. Shards must
 * not overlap; gaps are allowed, and a keyspace id in a gap is an error. Immutable and thread-safe.
 */
public final class ShardResolver {
    private record Shard(String name, KeyRange range, byte[] start) {}

    private final List<Shard> shards;

    private ShardResolver(List<Shard> shards) {
        this.shards = shards;
    }

    /**
     * A resolver over these shard names, e.g. {@code -80, 80-}.
     *
     * @throws VtException INVALID_ARGUMENT if a name is malformed or two shards overlap
     */
    public static ShardResolver of(Collection<String> shardNames) {
        List<Shard> sorted = shardNames.stream()
                .map(name -> {
                    KeyRange range = KeyRanges.parseShardName(name);
                    return new Shard(name, range, range.getStart().toByteArray());
                })
                .sorted(Comparator.comparing(Shard::range, KeyRanges.BY_START))
                .toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (KeyRanges.intersects(sorted.get(i - 1).range(), sorted.get(i).range())) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, "shards " + sorted.get(i - 1).name() + " and "
                        + sorted.get(i).name() + " overlap");
            }
        }
        return new ShardResolver(sorted);
    }

    /**
     * The shard whose key range contains {@code ksid}.
     *
     * @throws VtException INVALID_ARGUMENT if no shard does
     */
    public String shardFor(byte[] ksid) {
        int low = 0;
        int high = shards.size() - 1;
        while (low <= high) { // find the last shard whose start is <= ksid
            int middle = (low + high) >>> 1;
            if (KeyRanges.compareKeys(shards.get(middle).start(), ksid) <= 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (high >= 0 && KeyRanges.contains(shards.get(high).range(), ksid)) {
            return shards.get(high).name();
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, "keyspace id " + KeyRanges.toHex(ksid)
                + " didn't match any shard of " + shardNames());
    }

    /**
     * The shards a destination reaches, in key order: one for a keyspace id, the distinct shards of several,
     * every shard for {@link Destination#ALL_SHARDS}, none for {@link Destination#NONE}.
     */
    public List<String> shards(Destination destination) {
        return switch (destination) {
            case Destination.KeyspaceId keyspaceId -> List.of(shardFor(keyspaceId.ksid()));
            case Destination.KeyspaceIds keyspaceIds -> shardsOf(keyspaceIds.ksids());
            case Destination.AllShards all -> shardNames();
            case Destination.None none -> List.of();
        };
    }

    private List<String> shardsOf(List<byte[]> ksids) {
        Set<String> names = new HashSet<>();
        for (byte[] ksid : ksids) {
            names.add(shardFor(ksid));
        }
        return shards.stream().map(Shard::name).filter(names::contains).toList();
    }

    /** The shard names, in key order. */
    public List<String> shardNames() {
        return shards.stream().map(Shard::name).toList();
    }
}
