package io.tessel.vtcombo;

import io.tessel.proto.Vschema;
import io.tessel.topo.KeyRanges;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One keyspace of a vtcombo cluster: its shards, the SQL scripts run on every shard at start (in order;
 * statements separated by ';') and its VSchema (saved to the topology; null for none, which vtgate serves
 * as unsharded). Immutable.
 */
public record KeyspaceSpec(String name, List<String> shards, List<String> sqlScripts, @Nullable Vschema.Keyspace vschema) {
    public KeyspaceSpec {
        Objects.requireNonNull(name, "name");
        shards = List.copyOf(shards);
        sqlScripts = List.copyOf(sqlScripts);
        if (name.isEmpty() || name.contains(":") || name.contains("@") || name.contains("`")) {
            throw new IllegalArgumentException("invalid keyspace name '" + name + "'");
        }
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("keyspace " + name + " needs at least one shard");
        }
        for (String shard : shards) {
            if (!KeyRanges.isValidShardName(shard)) {
                throw new IllegalArgumentException("keyspace " + name + ": invalid shard name '" + shard
                        + "' (0, or hex bounds such as -80 and 80-)");
            }
        }
        if (shards.size() != Set.copyOf(shards).size()) {
            throw new IllegalArgumentException("keyspace " + name + ": shard names repeat: " + shards);
        }
    }

    /**
     * The names of {@code n} shards with Vitess's even key ranges: {@code 0} for one shard, else
     * {@link KeyRanges#generateShardRanges} ({@code -80,80-} for two, {@code -40,40-80,80-c0,c0-} for four).
     */
    public static List<String> evenShards(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a keyspace needs at least one shard, got " + n);
        }
        return n == 1 ? List.of("0") : KeyRanges.generateShardRanges(n);
    }
}
