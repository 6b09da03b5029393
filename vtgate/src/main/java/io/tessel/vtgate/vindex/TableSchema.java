package io.tessel.vtgate.vindex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of a keyspace's VSchema: its kind, its column vindexes with the primary (the one that decides
 * the row's shard) first, and the hex keyspace id it is pinned to, empty if it is not pinned.
 */
public record TableSchema(String name, TableType type, List<ColumnVindex> columnVindexes, String pinned) {
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

    /** The first column vindex, which is unique and decides where a row lives; empty for unrouted tables. */
    public Optional<ColumnVindex> primaryVindex() {
        return columnVindexes.isEmpty() ? Optional.empty() : Optional.of(columnVindexes.getFirst());
    }
}
