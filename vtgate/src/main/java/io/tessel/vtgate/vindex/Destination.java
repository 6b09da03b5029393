package io.tessel.vtgate.vindex;

import io.tessel.topo.KeyRanges;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a vindex sends a value, as Vitess's {@code key.Destination}: one keyspace id, several (a non-unique
 * lookup vindex), every shard (a write-only lookup vindex, which cannot narrow a value down: Vitess's full
 * key range), or none at all (the value matches no row, so the query reaches no shard).
 */
public sealed interface Destination {
    /** The destination of values that match no row. */
    None NONE = new None();

    /** The destination of values that may be on any shard. */
    AllShards ALL_SHARDS = new AllShards();

    /** One keyspace id. The array is never modified after construction. */
    record KeyspaceId(byte[] ksid) implements Destination {
        public KeyspaceId {
            Objects.requireNonNull(ksid, "ksid");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyspaceId that && Arrays.equals(ksid, that.ksid);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ksid);
        }

        @Override
        public String toString() {
            return "KeyspaceId[" + KeyRanges.toHex(ksid) + "]";
        }
    }

    /** Several keyspace ids (at least one), as Vitess's {@code DestinationKeyspaceIDs}. The arrays are never modified. */
    record KeyspaceIds(List<byte[]> ksids) implements Destination {
        public KeyspaceIds {
            ksids = List.copyOf(ksids);
            if (ksids.isEmpty()) {
                throw new IllegalArgumentException("BUG: no keyspace ids; use Destination.NONE");
            }
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof KeyspaceIds that) || that.ksids.size() != ksids.size()) {
                return false;
            }
            for (int i = 0; i < ksids.size(); i++) {
                if (!Arrays.equals(ksids.get(i), that.ksids.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (byte[] ksid : ksids) {
                hash = 31 * hash + Arrays.hashCode(ksid);
            }
            return hash;
        }

        @Override
        public String toString() {
            return "KeyspaceIds" + ksids.stream().map(KeyRanges::toHex).toList();
        }
    }

    /** No shard: use {@link #NONE}. */
    record None() implements Destination {}

    /** Every shard of the keyspace: use {@link #ALL_SHARDS}. */
    record AllShards() implements Destination {}
}
