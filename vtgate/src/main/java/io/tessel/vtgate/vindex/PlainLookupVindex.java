package io.tessel.vtgate.vindex;

import io.tessel.vtgate.vindex.LookupTable.Order;
import io.tessel.vtgate.vindex.LookupTable.ToColumn;
import java.util.List;
import java.util.Map;

/**
 * Vitess's {@code lookup} and {@code lookup_unique} vindexes (and {@code lookup_hash}, {@code lookup_hash_unique},
 * whose {@code to} column holds the owner's {@code hash} value instead of the keyspace id): the owner's DML
 * writes lookup rows in the session's transaction. With {@code autocommit} the rows are written in their own
 * autocommit transactions instead, a non-unique vindex upserts them, and deleting is a no-op (it is not safe
 * outside the owner's transaction), as in Vitess. Cost 10 when unique, 20 otherwise.
 */
public final class PlainLookupVindex extends LookupTableVindex {
    private PlainLookupVindex(String name, boolean isUnique, LookupTable lookup, Owner owner) {
        super(name, isUnique, lookup, owner);
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
        return verify(cursor, ids, ksids, order());
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
}
