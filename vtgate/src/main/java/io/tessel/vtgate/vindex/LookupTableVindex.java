package io.tessel.vtgate.vindex;

import io.tessel.vtgate.vindex.LookupTable.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the lookup vindex types share: a name, uniqueness (cost 10 when unique, 20 otherwise, as in Vitess),
 * their {@link LookupTable} and their owner. Immutable and thread-safe.
 */
abstract sealed class LookupTableVindex implements LookupVindex permits PlainLookupVindex, ConsistentLookupVindex {
    final String name;
    final boolean isUnique;
    final LookupTable lookup;
    final Owner owner;

    LookupTableVindex(String name, boolean isUnique, LookupTable lookup, Owner owner) {
        this.name = name;
        this.isUnique = isUnique;
        this.lookup = lookup;
        this.owner = owner;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int cost() {
        return isUnique ? 10 : 20;
    }

    @Override
    public final boolean isUnique() {
        return isUnique;
    }

    @Override
    public final String table() {
        return lookup.params().table();
    }

    @Override
    public final List<String> fromColumns() {
        return lookup.params().fromColumns();
    }

    @Override
    public final boolean isWriteOnly() {
        return lookup.params().isWriteOnly();
    }

    @Override
    public final Optional<Owner> owner() {
        return Optional.ofNullable(owner);
    }

    /** {@link #verify} reading the table in {@code order}; a write-only vindex verifies everything. */
    final List<Boolean> verify(VindexCursor cursor, List<Value> ids, List<byte[]> ksids, Order order) {
        if (isWriteOnly()) {
            List<Boolean> out = new ArrayList<>(ids.size());
            ids.forEach(id -> out.add(true));
            return out;
        }
        return lookup.verify(cursor, ids, ksids, order);
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof LookupTableVindex that && getClass() == that.getClass() && name.equals(that.name)
                && isUnique == that.isUnique && lookup.equals(that.lookup) && Objects.equals(owner, that.owner);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass(), name, isUnique, lookup, owner);
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + name + (isUnique ? ", unique" : "") + ", " + table() + "]";
    }
}
