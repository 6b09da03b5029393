package io.tessel.vtgate.gateway;

import io.tessel.vtgate.vindex.VSchema;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * vtgate's view of the serving graph: which keyspaces exist and the shards of each. Implementations
 * return immutable snapshots and never block (they are read on event loops).
 */
public interface ServingGraph {
    Set<String> keyspaces();

    /** The shard names of a keyspace in key-range order, or empty when the keyspace is unknown. */
    Optional<List<String>> shards(String keyspace);

    /** The current VSchema snapshot (from the cell's SrvVSchema); {@link VSchema#EMPTY} when there is none. */
    default VSchema vschema() {
        return VSchema.EMPTY;
    }

    /** Every tablet vtgate knows with its last health, for SHOW VITESS_TABLETS; empty when not tracked. */
    default List<TabletHealth> tabletHealth() {
        return List.of();
    }

    /**
     * Registers {@code listener} to run after each change of {@link #vschema()} (e.g. to clear a plan cache),
     * on the thread that swapped it; a graph whose VSchema never changes ignores it.
     */
    default void addVSchemaListener(Runnable listener) {
    }
}
