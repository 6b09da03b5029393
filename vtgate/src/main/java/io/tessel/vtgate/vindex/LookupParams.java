package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The VSchema params of a lookup vindex, as Vitess's {@code lookupInternal.Init} reads them: {@code table}
 * ({@code table} or {@code keyspace.table}), {@code from} (comma-separated columns), {@code to} (the keyspace-id
 * column), and the flags {@code autocommit}, {@code write_only}, {@code ignore_nulls} and {@code batch_lookup}
 * ({@code "true"} or {@code "false"}). {@code read_lock} is ignored (lookup reads take no locks);
 * {@code multi_shard_autocommit} is refused. Other params are ignored, as Vitess does.
 */
record LookupParams(String table, List<String> fromColumns, String to, boolean isAutocommit, boolean isWriteOnly,
        boolean isIgnoreNulls, boolean isBatchLookup) {
    LookupParams {
        fromColumns = List.copyOf(fromColumns);
    }

    /**
     * Reads the params of vindex {@code name} of type {@code type}.
     *
     * @throws VtException INVALID_ARGUMENT for a missing table, from or to, or a flag that is not a boolean;
     *     UNIMPLEMENTED for {@code multi_shard_autocommit=true}
     */
    static LookupParams parse(String type, String name, Map<String, String> params) {
        String table = params.getOrDefault("table", "").trim();
        String to = params.getOrDefault("to", "").trim();
        List<String> from = new ArrayList<>();
        for (String column : params.getOrDefault("from", "").split(",", -1)) {
            if (!column.trim().isEmpty()) {
                from.add(column.trim());
            }
        }
        if (table.isEmpty() || from.isEmpty() || to.isEmpty()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "vindex '" + name + "' (" + type
                    + "): params table, from and to are required; got table='" + table + "', from='"
                    + params.getOrDefault("from", "") + "', to='" + to + "'");
        }
        if (flag(name, params, "multi_shard_autocommit")) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "vindex '" + name + "' (" + type
                    + "): multi_shard_autocommit is not supported in Tessel");
        }
        return new LookupParams(table, from, to, flag(name, params, "autocommit"), flag(name, params, "write_only"),
                flag(name, params, "ignore_nulls"), flag(name, params, "batch_lookup"));
    }

    /** A boolean param: absent or "" is false; anything but "true" or "false" is an error, as Vitess's boolFromMap. */
    private static boolean flag(String name, Map<String, String> params, String key) {
        String value = params.getOrDefault(key, "");
        return switch (value) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, "vindex '" + name + "': " + key
                    + " value must be 'true' or 'false': '" + value + "'");
        };
    }
}
