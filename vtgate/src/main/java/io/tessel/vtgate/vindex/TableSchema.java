package io.tessel.vtgate.vindex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of a keyspace's VSchema: its kind, its column vindexes with the primary (the one that decides
 * the row's shard) first, the hex keyspace id it is pinned to (empty if it is not pinned) and its
 * auto-increment sequence (null if none).
 */
public record TableSchema(String name, TableType type, List<ColumnVindex> columnVindexes, String pinned,
        AutoIncrement autoIncrement) {
    /** A column filled from a sequence table when an insert leaves it out or gives NULL; an unqualified sequence has keyspace "". */
    public record AutoIncrement(String column, String sequenceKeyspace, String sequenceTable) {}

    /** The VSchema table types: {@code ""}, {@code "sequence"} and {@code "reference"}. */
    public enum TableType {
        NORMAL, SEQUENCE, REFERENCE
    }

    public TableSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        columnVindexes = List.copyOf(columnVindexes);
        Objects.requireNonNull(pinned, "pinned");
    }

    /** The table's auto-increment column and sequence, if it has one. */
    public Optional<AutoIncrement> autoIncrementColumn() {
        return Optional.ofNullable(autoIncrement);
    }

    /**
     * The lookup vindexes this table owns (their rows are written by its DML), in column-vindex order; the
     * primary vindex is never owned.
     */
    public List<ColumnVindex> ownedLookups() {
        return columnVindexes.stream().skip(1).filter(cv -> cv.vindex() instanceof LookupVindex lookup
                && lookup.owner().map(o -> o.table().equals(name)).orElse(false)).toList();
    }

    /** The first column vindex, which is unique and decides where a row lives; empty for unrouted tables. */
    public Optional<ColumnVindex> primaryVindex() {
        return columnVindexes.isEmpty() ? Optional.empty() : Optional.of(columnVindexes.getFirst());
    }
}
