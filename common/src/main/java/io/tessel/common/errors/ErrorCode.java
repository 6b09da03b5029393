package io.tessel.common.errors;

import io.tessel.proto.Vtrpc;

/**
 * The class of an error, the gRPC-like code set Vitess uses. Each code has a default MySQL error for
 * clients when the error carries no errno of its own; {@link #defaultSqlError()} is exhaustive, so the
 * compiler keeps the table complete.
 */
public enum ErrorCode {
    CANCELED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED,
    /**
     * The serving state of the cluster changed under the call and it was refused before it did anything
     * (Vitess's code 17): a tablet that stopped serving (shutting down) refuses new work with it. vtgate's
     * buffer sends such a call again once a serving tablet is there.
     */
    CLUSTER_EVENT;

    /** The MySQL error a client sees for this code when no specific errno is known. */
    public SqlError defaultSqlError() {
        return switch (this) {
            case CANCELED -> SqlError.ER_QUERY_INTERRUPTED;
            case UNKNOWN, INTERNAL, DATA_LOSS, OUT_OF_RANGE, FAILED_PRECONDITION, UNAVAILABLE, ALREADY_EXISTS, NOT_FOUND,
                 CLUSTER_EVENT ->
                    SqlError.ER_UNKNOWN_ERROR;
            case INVALID_ARGUMENT -> SqlError.ER_SYNTAX_ERROR;
            case DEADLINE_EXCEEDED -> SqlError.ER_QUERY_INTERRUPTED;
            case PERMISSION_DENIED -> SqlError.ER_ACCESS_DENIED_ERROR;
            case RESOURCE_EXHAUSTED -> SqlError.ER_OUT_OF_RESOURCES;
            case ABORTED -> SqlError.ER_LOCK_DEADLOCK;
            case UNIMPLEMENTED -> SqlError.ER_NOT_SUPPORTED_YET;
            case UNAUTHENTICATED -> SqlError.ER_ACCESS_DENIED_ERROR;
        };
    }

    public Vtrpc.Code toProto() {
        return Vtrpc.Code.forNumber(ordinal() + 1);
    }

    public static ErrorCode fromProto(Vtrpc.Code code) {
        int n = code.getNumber();
        return n >= 1 && n <= values().length ? values()[n - 1] : UNKNOWN;
    }
}
