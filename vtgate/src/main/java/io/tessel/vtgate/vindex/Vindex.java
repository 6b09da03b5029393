package io.tessel.vtgate.vindex;

/**
 * A named rule that maps column values to keyspace ids, as Vitess's {@code vindexes.Vindex}. What else a
 * vindex can do is a capability interface checked with {@code instanceof}: {@link SingleColumnVindex},
 * {@link Hashing}, {@link Reversible}. Implementations are immutable and thread-safe.
 */
public interface Vindex {
    /** The vindex's name in the VSchema (not its type). */
    String name();

    /** Relative cost of a lookup: 0 for identity-like mappings, 1 for computed hashes, 10-20 for lookup tables. */
    int cost();

    /** True when each value maps to at most one keyspace id; a table's primary vindex must be unique. */
    boolean isUnique();

    /** True when mapping needs queries through a cursor (lookup vindexes); false for functional vindexes. */
    boolean needsVCursor();
}
