package io.tessel.topo;

import io.tessel.common.errors.VtException;
import java.util.Objects;

/**
 * A topology failure with a {@link TopoCode}; the message reads like Vitess's ({@code "node doesn't
 * exist: keyspaces/ks/Keyspace"}). Callers branch on {@link #code()}; at an RPC or SQL boundary
 * {@link #toVtException()} gives the one Tessel exception type.
 */
public final class TopoException extends RuntimeException {
    private final TopoCode code;

    /**
     * @param code the error class
     * @param detail what failed, usually the path
     */
    public TopoException(TopoCode code, String detail) {
        this(code, detail, null);
    }

    /**
     * @param code the error class
     * @param detail what failed, usually the path
     * @param cause the backend failure, if any
     */
    public TopoException(TopoCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(code, "code").prefix() + ": " + detail, cause);
        this.code = code;
    }

    public TopoCode code() {
        return code;
    }

    /** True when this error has the given code. */
    public boolean is(TopoCode other) {
        return code == other;
    }

    /** This error as a {@link VtException} of the matching class, keeping this as the cause. */
    public VtException toVtException() {
        return VtException.of(code.errorCode(), getMessage(), this);
    }

    /**
     * Converts an {@link InterruptedException}: re-sets the thread's interrupt flag and returns an
     * {@link TopoCode#INTERRUPTED} error for {@code detail}.
     */
    public static TopoException interrupted(String detail, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new TopoException(TopoCode.INTERRUPTED, detail, cause);
    }
}
