package io.tessel.vtgate.vindex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A vindex whose mapping lives in a lookup table queried through a {@link VindexCursor}, as Vitess's
 * {@code Lookup} interface: the {@code lookup}, {@code lookup_unique}, {@code lookup_hash*} and
 * {@code consistent_lookup*} types. The table has one column per {@link #fromColumns() from column} and a
 * {@code to} column holding the keyspace id. Mapping and verifying use the first from column; creating and
 * deleting rows take every from column, in order. Rows are written by the vindex's owner table's DML.
 * Immutable and thread-safe.
 */
public interface LookupVindex extends Vindex {
    /** The table an owned lookup vindex belongs to, with its columns feeding the from columns, in order. */
    record Owner(String keyspace, String table, List<String> columns) {
        public Owner {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            columns = List.copyOf(columns);
        }
    }

    /** The lookup table as the VSchema names it ({@code table} or {@code keyspace.table}). */
    String table();

    /** The lookup table's from columns, as the {@code from} param lists them. */
    List<String> fromColumns();

    /** Whether the vindex is being backfilled ({@code write_only}): rows are written but map to every shard. */
    boolean isWriteOnly();

    /** The owner table, when a table of the VSchema owns this vindex. */
    Optional<Owner> owner();

    /** This vindex owned by {@code owner}; the VSchema loader sets it once, when it builds the keyspace. */
    LookupVindex withOwner(Owner owner);

    @Override
    default boolean needsVCursor() {
        return true;
    }

    /**
     * The destination of each value of the first from column: {@link Destination.KeyspaceId} (unique),
     * {@link Destination.KeyspaceIds} (non-unique), {@link Destination#NONE} when the table has no row for it, or
     * {@link Destination#ALL_SHARDS} for a write-only vindex.
     */
    List<Destination> map(VindexCursor cursor, List<Value> ids);

    /** Whether the lookup table maps each value to the keyspace id at the same position. */
    List<Boolean> verify(VindexCursor cursor, List<Value> ids, List<byte[]> ksids);

    /**
     * Inserts one lookup row per owner row: {@code rows.get(i)} holds the row's from-column values and
     * {@code ksids.get(i)} its keyspace id. Rows with a NULL value are skipped with {@code ignore_nulls}, else
     * refused. With {@code isIgnore} (INSERT IGNORE) rows that already exist are left alone.
     */
    void create(VindexCursor cursor, List<List<Value>> rows, List<byte[]> ksids, boolean isIgnore);

    /** Deletes the lookup rows of owner rows with these from-column values that live at {@code ksid}. */
    void delete(VindexCursor cursor, List<List<Value>> rows, byte[] ksid);

    /** Moves an owner row's lookup row from its old from-column values to its new ones. */
    void update(VindexCursor cursor, List<Value> oldValues, byte[] ksid, List<Value> newValues);
}
