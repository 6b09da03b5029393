package io.tessel.vtgate.vindex;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one keyspace's VSchema with its vindexes built: whether it is sharded, the
 * vindex instances by name and the tables by name. Built and validated by {@link VSchemaLoader}.
 */
public record KeyspaceSchema(String name, boolean isSharded, Map<String, Vindex> vindexes,
        Map<String, TableSchema> tables) {
    public KeyspaceSchema {
        Objects.requireNonNull(name, "name");
        vindexes = Map.copyOf(vindexes);
        tables = Map.copyOf(tables);
    }

    public Optional<TableSchema> table(String table) {
        return Optional.ofNullable(tables.get(table));
    }

    public Optional<Vindex> vindex(String vindex) {
        return Optional.ofNullable(vindexes.get(vindex));
    }
}
