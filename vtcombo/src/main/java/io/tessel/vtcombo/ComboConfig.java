package io.tessel.vtcombo;

import io.tessel.vtgate.VtGateConfig;
import java.util.List;

/**
 * What one vtcombo process runs: a keyspace with its shards, the schema applied to each shard, how
 * vtgate reaches the tablets ({@code grpc} over loopback, or {@code local} direct calls), and vtgate's
 * own settings. Immutable.
 *
 * @param schemaSql SQL run on every shard at start (statements separated by ';'); null for none
 */
public record ComboConfig(String cell, String keyspace, List<String> shards, String schemaSql,
                          TabletProtocol tabletProtocol, VtGateConfig vtgate) {

    /** How vtgate calls the tablets it holds. */
    public enum TabletProtocol { GRPC, LOCAL }

    public ComboConfig {
        shards = List.copyOf(shards);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a keyspace needs at least one shard");
        }
    }
}
