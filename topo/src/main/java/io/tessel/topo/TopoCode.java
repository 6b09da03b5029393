package io.tessel.topo;

import io.tessel.common.errors.ErrorCode;

/**
 * The closed set of topology error classes, as in Vitess's {@code topo/errors.go}: every backend maps its
 * own failures onto these so callers branch on a code, never on a backend exception. Each code has a
 * fixed Vitess-style message prefix and maps to one {@link ErrorCode} for clients.
 */
public enum TopoCode {
    /** A file to create already exists. */
    NODE_EXISTS("node already exists"),
    /** A file (or the directory to list, lock or watch) does not exist. */
    NO_NODE("node doesn't exist"),
    /** A delete named a directory that still has children. */
    NODE_NOT_EMPTY("node not empty"),
    /** A deadline passed: a lock wait timed out or the backend did not answer in time. */
    TIMEOUT("deadline exceeded"),
    /** The calling thread was interrupted (its interrupt flag is set again) or the watch was cancelled. */
    INTERRUPTED("interrupted"),
    /** A conditional write or delete named a version that is no longer current. */
    BAD_VERSION("bad node version"),
    /** No backend of the requested kind exists. */
    NO_IMPLEMENTATION("no such topology implementation"),
    /** The backend refused the request for lack of resources (for example an etcd quota). */
    RESOURCE_EXHAUSTED("server resource exhausted"),
    /** The backend could not be reached, or this connection is closed. */
    UNREACHABLE("topology server unreachable"),
    /** A file's content could not be decoded as the record its path promises. */
    INVALID_DATA("invalid data in node");

    private final String prefix;

    TopoCode(String prefix) {
        this.prefix = prefix;
    }

    /** The message prefix, for example {@code "node doesn't exist"}. */
    public String prefix() {
        return prefix;
    }

    /** The client-facing error class; the switch is exhaustive so the compiler keeps it complete. */
    public ErrorCode errorCode() {
        return switch (this) {
            case NODE_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case NO_NODE -> ErrorCode.NOT_FOUND;
            case NODE_NOT_EMPTY -> ErrorCode.FAILED_PRECONDITION;
            case TIMEOUT -> ErrorCode.DEADLINE_EXCEEDED;
            case INTERRUPTED -> ErrorCode.CANCELED;
            case BAD_VERSION -> ErrorCode.ABORTED;
            case NO_IMPLEMENTATION -> ErrorCode.UNIMPLEMENTED;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case UNREACHABLE -> ErrorCode.UNAVAILABLE;
            case INVALID_DATA -> ErrorCode.INTERNAL;
        };
    }
}
