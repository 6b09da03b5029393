package io.tessel.common.errors;

import java.util.Objects;

/**
 * The one exception type of Tessel: an {@link ErrorCode} plus, when known, the MySQL errno and SQLSTATE
 * the client should see. Errors from a backend MySQL keep their own errno, SQLSTATE and message.
 */
public final class VtException extends RuntimeException {
    private final ErrorCode code;
    private final int errno;
    private final String sqlState;

    private VtException(ErrorCode code, int errno, String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.errno = errno;
        this.sqlState = sqlState;
    }

    /** An error of a class, with the class's default MySQL errno. */
    public static VtException of(ErrorCode code, String message) {
        return new VtException(code, 0, "", message, null);
    }

    public static VtException of(ErrorCode code, String message, Throwable cause) {
        return new VtException(code, 0, "", message, cause);
    }

    /** An error Tessel raises with a specific MySQL error. */
    public static VtException of(ErrorCode code, SqlError sqlError, String message) {
        return new VtException(code, sqlError.errno(), sqlError.sqlState(), message, null);
    }

    /** An error exactly as a MySQL server reported it. */
    public static VtException mysql(ErrorCode code, int errno, String sqlState, String message, Throwable cause) {
        return new VtException(code, errno, sqlState == null ? "" : sqlState, message, cause);
    }

    public ErrorCode code() {
        return code;
    }

    /** The errno a client sees: the specific one when known, else the code's default. */
    public int errno() {
        return errno != 0 ? errno : code.defaultSqlError().errno();
    }

    public String sqlState() {
        return errno != 0 ? sqlState : code.defaultSqlError().sqlState();
    }

    /** True when the error carries a specific errno rather than the code's default. */
    public boolean hasErrno() {
        return errno != 0;
    }
}
