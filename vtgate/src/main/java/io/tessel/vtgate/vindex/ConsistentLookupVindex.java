package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.LookupTable.Order;
import io.tessel.vtgate.vindex.LookupTable.ToColumn;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Vitess's {@code consistent_lookup} and {@code consistent_lookup_unique}: lookup rows are written outside the
 * owner's transaction so that no two-phase commit is needed, and the table may hold dangling rows (pointing at
 * owner rows that do not exist) but never lacks a row for an owner row. Reads and inserts run in their own
 * autocommit transactions at once (Vitess's "pre" connection), deletes in their own autocommit transactions
 * after the owner's statement (Tessel's simplification of Vitess's "post" connection, which commits after
 * the owner's transaction commits: see docs/design/lookup-vindexes.md).
 *
 * <p>An insert that finds the value taken checks the owner row the existing lookup row points at, on its
 * shard in the owner's transaction: if it exists the insert fails with a duplicate-key error naming the value;
 * if it is gone the dangling row is taken over (its {@code to} updated, guarded by the old keyspace id).
 */
public final class ConsistentLookupVindex extends LookupTableVindex {
    private ConsistentLookupVindex(String name, boolean isUnique, LookupTable lookup, Owner owner) {
        super(name, isUnique, lookup, owner);
    }

    /** Builds one from its VSchema params ({@link LookupParams}; {@code autocommit} has no effect, as in Vitess). */
    public static ConsistentLookupVindex create(String type, String name, Map<String, String> params,
            boolean isUnique) {
        return new ConsistentLookupVindex(name, isUnique,
                new LookupTable(LookupParams.parse(type, name, params), ToColumn.KEYSPACE_ID, false), null);
    }

    /** @throws VtException INVALID_ARGUMENT when the owner's column count differs from the from columns' */
    @Override
    public LookupVindex withOwner(Owner newOwner) {
        if (newOwner.columns().size() != fromColumns().size()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "owner table column count does not match vindex "
                    + name + ": " + newOwner.columns() + " vs " + fromColumns());
        }
        return new ConsistentLookupVindex(name, isUnique, lookup, newOwner);
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        return lookup.map(cursor, ids, isUnique, Order.OUTSIDE,
                isUnique ? "ConsistentLookupUnique.Map" : "ConsistentLookup.Map");
    }

    @Override
    public List<Boolean> verify(VindexCursor cursor, List<Value> ids, List<byte[]> ksids) {
        return verify(cursor, ids, ksids, Order.OUTSIDE);
    }

    /**
     * Inserts the lookup rows in their own autocommit transaction; on a duplicate key, resolves each row as
     * described on the class.
     *
     * @throws VtException ALREADY_EXISTS (1062) naming the value when a row's value belongs to an existing owner row
     */
    @Override
    public void create(VindexCursor cursor, List<List<Value>> rows, List<byte[]> ksids, boolean isIgnore) {
        try {
            lookup.create(cursor, rows, ksids, isIgnore, Order.OUTSIDE);
        } catch (VtException e) {
            if (e.errno() != SqlError.ER_DUP_ENTRY.errno()) {
                throw e;
            }
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).stream().noneMatch(Value::isNull)) {
                    handleDuplicate(cursor, rows.get(i), ksids.get(i));
                }
            }
        }
    }

    private void handleDuplicate(VindexCursor cursor, List<Value> row, byte[] ksid) {
        LookupParams p = lookup.params();
        Map<String, BindVariable> vars = lookup.fromVars(row);
        vars.put(p.to(), LookupTable.bindVariable(lookup.toColumn().toValue(ksid)));
        String where = lookup.where(p.fromColumns());
        List<List<Value>> existing = LookupTable.rows(cursor.execute("select " + p.to() + " from " + p.table() + where
                + " for update", vars, true));
        if (existing.isEmpty()) { // the conflicting row is gone: insert this one alone
            try {
                cursor.execute("insert into " + p.table() + "(" + String.join(", ", p.fromColumns()) + ", " + p.to()
                        + ") values(:" + String.join(", :", p.fromColumns()) + ", :" + p.to() + ")", vars, true);
            } catch (VtException e) {
                throw LookupTable.wrap("lookup.Create", e);
            }
            return;
        }
        if (existing.size() > 1) {
            throw VtException.of(ErrorCode.INTERNAL, "unexpected rows: " + existing + " from consistent lookup vindex "
                    + name);
        }
        byte[] existingKsid = lookup.toColumn().toKsid(existing.getFirst().getFirst());
        if (existingKsid == null || ownerRowExists(cursor, existingKsid, vars)) {
            throw duplicate(row);
        }
        if (Arrays.equals(existingKsid, ksid)) {
            return; // a dangling row that already points here
        }
        vars.put("__existing", LookupTable.bindVariable(lookup.toColumn().toValue(existingKsid)));
        QueryResult taken = cursor.execute("update " + p.table() + " set " + p.to() + " = :" + p.to() + where + " and "
                + p.to() + " = :__existing", vars, true);
        if (taken.getRowsAffected() == 0) {
            throw duplicate(row); // another session took the row over first
        }
    }

    /** Whether the owner row the lookup row points at exists, checked on its shard in the owner's transaction. */
    private boolean ownerRowExists(VindexCursor cursor, byte[] ksid, Map<String, BindVariable> vars) {
        if (owner == null) {
            throw VtException.of(ErrorCode.INTERNAL, "BUG: consistent lookup vindex " + name + " creates rows without an owner");
        }
        String sql = "select " + owner.columns().getFirst() + " from " + owner.table() + lookup.where(owner.columns())
                + " lock in share mode";
        return cursor.executeKeyspaceId(owner.keyspace(), ksid, sql, vars).getRowsCount() > 0;
    }

    private VtException duplicate(List<Value> row) {
        String value = String.join("-", row.stream().map(Value::text).toList());
        return VtException.of(ErrorCode.ALREADY_EXISTS, SqlError.ER_DUP_ENTRY, "lookup.Create: Duplicate entry '"
                + value + "' for key '" + table() + "(" + String.join(",", fromColumns()) + ")': consistent lookup vindex "
                + name + " maps it to an existing row of " + (owner == null ? "its owner" : owner.table()));
    }

    /** Schedules deleting the lookup rows for after the owner's statement (see the class comment). */
    @Override
    public void delete(VindexCursor cursor, List<List<Value>> rows, byte[] ksid) {
        lookup.delete(cursor, rows, ksid, Order.AFTER);
    }

    /** Deletes the old row (after the statement) and creates the new one, unless the values are unchanged. */
    @Override
    public void update(VindexCursor cursor, List<Value> oldValues, byte[] ksid, List<Value> newValues) {
        if (isSame(oldValues, newValues)) {
            return;
        }
        delete(cursor, List.of(oldValues), ksid);
        create(cursor, List.of(newValues), List.of(ksid), false);
    }

    private static boolean isSame(List<Value> a, List<Value> b) {
        for (int i = 0; i < a.size(); i++) {
            Value x = a.get(i);
            Value y = b.get(i);
            if (x.isNull() != y.isNull() || !Arrays.equals(x.bytes(), y.bytes())) {
                return false;
            }
        }
        return true;
    }
}
