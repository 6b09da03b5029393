package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import java.util.Locale;

/**
 * How a transaction may span shards, as Vitess's {@code transaction_mode}: SINGLE refuses a second shard;
 * MULTI (the default) commits shard by shard, best effort; TWOPC commits atomically with two-phase commit
 * (docs/design/twopc.md; the tablets need {@code --twopc-enable}). A transaction keeps the mode it had when
 * it first reached a shard.
 */
public enum TransactionMode {
    SINGLE, MULTI, TWOPC;

    /**
     * The mode named {@code value} (case-insensitive, quotes removed).
     *
     * @throws VtException ER_WRONG_VALUE_FOR_VAR for an unknown name
     */
    public static TransactionMode parse(String value) {
        String name = value == null ? "" : value.replace("'", "").replace("\"", "").trim().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "SINGLE" -> SINGLE;
            case "MULTI" -> MULTI;
            case "TWOPC" -> TWOPC;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'transaction_mode' can't be set to the value of '" + value + "'");
        };
    }
}
