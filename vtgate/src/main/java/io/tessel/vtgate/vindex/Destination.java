package io.tessel.vtgate.vindex;

import io.tessel.topo.KeyRanges;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a vindex sends a value, as Vitess's {@code key.Destination}: one keyspace id, or none at all (the
 * value matches no row, so the query reaches no shard). Key-range and any-shard destinations come with the
 * lookup vindexes.
 */
public sealed interface Destination {
    /** The destination of values that match no row. */
    None NONE = new None();

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

    /** No shard: use {@link #NONE}. */
    record None() implements Destination {}
}
