package io.tessel.vtgate.vindex;

import java.util.Map;
import java.util.Optional;

/**
 * vtgate's whole VSchema at one moment: every keyspace's built {@link KeyspaceSchema}, by keyspace name.
 * An immutable snapshot; a new VSchema replaces the old one atomically (and clears the plan cache). A
 * keyspace that is serving but has no VSchema is treated as unsharded by the planner.
 */
public record VSchema(Map<String, KeyspaceSchema> keyspaces) {
    public static final VSchema EMPTY = new VSchema(Map.of());

    public VSchema {
        keyspaces = Map.copyOf(keyspaces);
    }

    public Optional<KeyspaceSchema> keyspace(String name) {
        return Optional.ofNullable(keyspaces.get(name));
    }
}
