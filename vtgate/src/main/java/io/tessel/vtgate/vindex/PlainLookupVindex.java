package io.tessel.vtgate.vindex;

import io.tessel.vtgate.vindex.LookupTable.Order;
import io.tessel.vtgate.vindex.LookupTable.ToColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Vitess's {@code lookup} and {@code lookup_unique} vindexes (and {@code lookup_hash}, {@code lookup_hash_unique},
 * whose {@code to} column holds the owner's {@code hash} value instead of the keyspace id): the owner's DML
 * writes lookup rows in the session's transaction. With {@code autocommit} the rows are written in their own
 * autocommit transactions instead, a non-unique vindex upserts them, and deleting is a no-op (it is not safe
 * outside the owner's transaction), as in Vitess. Cost 10 when unique, 20 otherwise.
 */
public final class PlainLookupVindex implements LookupVindex {
    private final String name;
    private final boolean isUnique;
    private final LookupTable lookup;
    private final Owner owner;

    private PlainLookupVindex(String name, boolean isUnique, LookupTable lookup, Owner owner) {
        this.name = name;
        this.isUnique = isUnique;
        this.lookup = lookup;
        this.owner = owner;
    }

    /**
     * Builds one from its VSchema params ({@link LookupParams}).
     *
     * @param isHashed a {@code lookup_hash*} type: {@code to} holds the value whose {@code hash} is the keyspace id
     */
    public static PlainLookupVindex create(String type, String name, Map<String, String> params, boolean isUnique,
            boolean isHashed) {
        LookupParams p = LookupParams.parse(type, name, params);
        boolean isUpsert = p.isAutocommit() && !isUnique;
        return new PlainLookupVindex(name, isUnique,
                new LookupTable(p, isHashed ? ToColumn.HASHED_ID : ToColumn.KEYSPACE_ID, isUpsert), null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return isUnique ? 10 : 20;
    }

    @Override
    public boolean isUnique() {
        return isUnique;
    }

    @Override
    public String table() {
        return lookup.params().table();
    }

    @Override
    public List<String> fromColumns() {
        return lookup.params().fromColumns();
    }

    @Override
    public boolean isWriteOnly() {
        return lookup.params().isWriteOnly();
    }

    @Override
    public Optional<Owner> owner() {
        return Optional.ofNullable(owner);
    }

    @Override
    public LookupVindex withOwner(Owner newOwner) {
        return new PlainLookupVindex(name, isUnique, lookup, newOwner);
    }

    private Order order() {
        return lookup.params().isAutocommit() ? Order.OUTSIDE : Order.SESSION;
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        return lookup.map(cursor, ids, isUnique, order(), "Lookup.Map");
    }

    @Override
    public List<Boolean> verify(VindexCursor cursor, List<Value> ids, List<byte[]> ksids) {
        if (isWriteOnly()) {
            List<Boolean> out = new ArrayList<>(ids.size());
            ids.forEach(id -> out.add(true));
            return out;
        }
        return lookup.verify(cursor, ids, ksids, order());
    }

    @Override
    public void create(VindexCursor cursor, List<List<Value>> rows, List<byte[]> ksids, boolean isIgnore) {
        lookup.create(cursor, rows, ksids, isIgnore, order());
    }

    @Override
    public void delete(VindexCursor cursor, List<List<Value>> rows, byte[] ksid) {
        if (!lookup.params().isAutocommit()) {
            lookup.delete(cursor, rows, ksid, Order.SESSION);
        }
    }

    @Override
    public void update(VindexCursor cursor, List<Value> oldValues, byte[] ksid, List<Value> newValues) {
        delete(cursor, List.of(oldValues), ksid);
        create(cursor, List.of(newValues), List.of(ksid), false);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PlainLookupVindex that && name.equals(that.name) && isUnique == that.isUnique
                && lookup.equals(that.lookup) && Objects.equals(owner, that.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, isUnique, lookup, owner);
    }

    @Override
    public String toString() {
        return "PlainLookupVindex[" + name + (isUnique ? ", unique" : "") + ", " + table() + "]";
    }
}
