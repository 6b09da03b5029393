package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import java.util.Locale;

/**
 * How a transaction may span shards, as Vitess's {@code transaction_mode}: SINGLE refuses a second shard;
 * MULTI (the default) commits shard by shard, best effort; TWOPC would commit atomically with two-phase
 * commit and is not implemented yet (refused when chosen).
 */
public enum TransactionMode {
    SINGLE, MULTI, TWOPC;

    /**
     * The mode named {@code value} (case-insensitive, quotes removed).
     *
     * @throws VtException ER_WRONG_VALUE_FOR_VAR for an unknown name, UNIMPLEMENTED for TWOPC
     */
    public static TransactionMode parse(String value) {
        String name = value == null ? "" : value.replace("'", "").replace("\"", "").trim().toUpperCase(Locale.ROOT);
        TransactionMode mode = switch (name) {
            case "SINGLE" -> SINGLE;
            case "MULTI" -> MULTI;
            case "TWOPC" -> TWOPC;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'transaction_mode' can't be set to the value of '" + value + "'");
        };
        if (mode == TWOPC) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET,
                    "VT12001: unsupported: transaction_mode TWOPC (atomic two-phase commit is not implemented yet)");
        }
        return mode;
    }
}
