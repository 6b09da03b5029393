package io.tessel.vtcombo;

import io.tessel.vtgate.VtGateConfig;
import io.tessel.vtgate.exec.TransactionMode;
import io.tessel.vtgate.exec.TransactionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one vtcombo process runs: keyspaces with their shards, schemas and VSchemas, how vtgate reaches
 * the tablets ({@code grpc} over loopback, or {@code local} direct calls), vtgate's own settings and the
 * tablets' lock wait timeout (zero for the tablet's default, half its query timeout), and vtgate's
 * transaction settings (the tablets take part in two-phase commit when {@code twopcEnable}, or when the
 * default transaction mode is TWOPC). Immutable; {@link #builder()} assembles one, e.g. from a schema directory.
 */
public record ComboConfig(String cell, List<KeyspaceSpec> keyspaces, TabletProtocol tabletProtocol, VtGateConfig vtgate,
                          Duration lockWaitTimeout, TransactionSettings transactions, boolean twopcEnable) {

    /** How vtgate calls the tablets it holds. */
    public enum TabletProtocol { GRPC, LOCAL }

    /** With the tablets' default lock wait timeout. */
    public ComboConfig(String cell, List<KeyspaceSpec> keyspaces, TabletProtocol tabletProtocol, VtGateConfig vtgate) {
        this(cell, keyspaces, tabletProtocol, vtgate, Duration.ZERO, TransactionSettings.DEFAULTS, false);
    }

    /** Whether the tablets take part in two-phase commit ({@code --twopc-enable}, or TWOPC by default). */
    public boolean isTwopcEnabled() {
        return twopcEnable || transactions.defaultMode() == TransactionMode.TWOPC;
    }

    public ComboConfig {
        lockWaitTimeout = lockWaitTimeout == null ? Duration.ZERO : lockWaitTimeout;
        transactions = transactions == null ? TransactionSettings.DEFAULTS : transactions;
        keyspaces = List.copyOf(keyspaces);
        if (keyspaces.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one keyspace");
        }
        Set<String> names = new HashSet<>();
        for (KeyspaceSpec ks : keyspaces) {
            if (!names.add(ks.name())) {
                throw new IllegalArgumentException("keyspace " + ks.name() + " is given twice");
            }
        }
    }

    /** One keyspace with the given shards and schema (statements separated by ';'; null for none), no VSchema. */
    public static ComboConfig single(String cell, String keyspace, List<String> shards, String schemaSql,
                                     TabletProtocol tabletProtocol, VtGateConfig vtgate) {
        List<String> scripts = schemaSql == null || schemaSql.isBlank() ? List.of() : List.of(schemaSql);
        return new ComboConfig(cell, List.of(new KeyspaceSpec(keyspace, shards, scripts, null)), tabletProtocol, vtgate);
    }

    /** The number of shards over all keyspaces: one MySQL each. */
    public int shardCount() {
        return keyspaces.stream().mapToInt(ks -> ks.shards().size()).sum();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assembles a {@link ComboConfig}: keyspaces by shard count (Vitess's even key ranges) or by shard
     * names, with their schema read from a schema directory ({@link SchemaDir}) unless given explicitly.
     * Defaults: cell {@code zone1}, local tablet calls, vtgate's defaults on a free port.
     */
    public static final class Builder {
        private record Pending(String name, List<String> shards, String sql, String vschemaJson) {}

        private final List<Pending> keyspaces = new ArrayList<>();
        private String cell = "zone1";
        private Path schemaDir;
        private TabletProtocol tabletProtocol = TabletProtocol.LOCAL;
        private VtGateConfig vtgate = VtGateConfig.defaults().withPort(0);
        private Duration lockWaitTimeout = Duration.ZERO;
        private TransactionSettings transactions = TransactionSettings.DEFAULTS;
        private boolean twopcEnable;

        private Builder() {}

        public Builder cell(String value) {
            cell = value;
            return this;
        }

        /** Where keyspaces without explicit SQL read {@code DIR/<ks>/*.sql} and {@code vschema.json}. */
        public Builder schemaDir(Path value) {
            schemaDir = value;
            return this;
        }

        public Builder tabletProtocol(TabletProtocol value) {
            tabletProtocol = value;
            return this;
        }

        public Builder vtgate(VtGateConfig value) {
            vtgate = value;
            return this;
        }

        /** The tablets' lock wait timeout; zero for their default. */
        public Builder lockWaitTimeout(Duration value) {
            lockWaitTimeout = value;
            return this;
        }

        /** vtgate's transaction settings (default transaction mode, two-phase commit's abandon age). */
        public Builder transactions(TransactionSettings value) {
            transactions = value;
            return this;
        }

        /** Whether the tablets take part in two-phase commit even when the default mode is not TWOPC. */
        public Builder twopcEnable(boolean value) {
            twopcEnable = value;
            return this;
        }

        /** A keyspace of {@code shards} evenly split shards ({@code 0} when one). */
        public Builder keyspace(String name, int shards) {
            return keyspace(name, KeyspaceSpec.evenShards(shards));
        }

        /** A keyspace with the given shard names; its schema comes from the schema directory, if any. */
        public Builder keyspace(String name, List<String> shards) {
            keyspaces.add(new Pending(name, shards, null, null));
            return this;
        }

        /**
         * A keyspace with explicit SQL (null for none) and VSchema JSON (null for none) instead of the
         * schema directory's.
         */
        public Builder keyspace(String name, List<String> shards, String sql, String vschemaJson) {
            keyspaces.add(new Pending(name, shards, sql == null ? "" : sql, vschemaJson));
            return this;
        }

        /**
         * @throws IllegalArgumentException when a keyspace is invalid or its VSchema does not validate
         */
        public ComboConfig build() {
            List<KeyspaceSpec> specs = new ArrayList<>();
            for (Pending p : keyspaces) {
                if (p.sql() == null && schemaDir != null) {
                    specs.add(SchemaDir.read(schemaDir, p.name(), p.shards()));
                } else {
                    List<String> scripts = p.sql() == null || p.sql().isBlank() ? List.of() : List.of(p.sql());
                    specs.add(new KeyspaceSpec(p.name(), p.shards(), scripts, p.vschemaJson() == null ? null
                            : SchemaDir.parseVSchema(p.name(), "the vschema of keyspace " + p.name(), p.vschemaJson())));
                }
            }
            return new ComboConfig(cell, specs, tabletProtocol, vtgate, lockWaitTimeout, transactions, twopcEnable);
        }
    }
}
