package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Map;

/**
 * Turns a {@link SQLException} from the backend MySQL into a {@link VtException} that keeps MySQL's
 * errno, SQLSTATE and message unchanged, choosing the {@link ErrorCode} from a small errno table (after
 * Vitess's {@code convertErrorCode}) and, failing that, from the SQLSTATE class. Stateless.
 */
public final class MysqlErrors {
    /** CR_SERVER_LOST, the client-side errno for a connection that died under a query. */
    public static final int CR_SERVER_LOST = 2013;

    private static final Map<Integer, ErrorCode> BY_ERRNO = Map.ofEntries(
            // Duplicates: the row or object is already there.
            Map.entry(1022, ErrorCode.ALREADY_EXISTS),   // ER_DUP_KEY
            Map.entry(1050, ErrorCode.ALREADY_EXISTS),   // ER_TABLE_EXISTS_ERROR
            Map.entry(1062, ErrorCode.ALREADY_EXISTS),   // ER_DUP_ENTRY
            Map.entry(1586, ErrorCode.ALREADY_EXISTS),   // ER_DUP_ENTRY_WITH_KEY_NAME
            Map.entry(1007, ErrorCode.ALREADY_EXISTS),   // ER_DB_CREATE_EXISTS
            // The statement itself is wrong.
            Map.entry(1064, ErrorCode.INVALID_ARGUMENT), // ER_PARSE_ERROR
            Map.entry(1149, ErrorCode.INVALID_ARGUMENT), // ER_SYNTAX_ERROR
            Map.entry(1049, ErrorCode.INVALID_ARGUMENT), // ER_BAD_DB_ERROR
            Map.entry(1048, ErrorCode.INVALID_ARGUMENT), // ER_BAD_NULL_ERROR
            Map.entry(1136, ErrorCode.INVALID_ARGUMENT), // ER_WRONG_VALUE_COUNT_ON_ROW
            Map.entry(1366, ErrorCode.INVALID_ARGUMENT), // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
            Map.entry(1406, ErrorCode.INVALID_ARGUMENT), // ER_DATA_TOO_LONG
            // Something named does not exist.
            Map.entry(1146, ErrorCode.NOT_FOUND),        // ER_NO_SUCH_TABLE
            Map.entry(1054, ErrorCode.NOT_FOUND),        // ER_BAD_FIELD_ERROR
            Map.entry(1051, ErrorCode.NOT_FOUND),        // ER_BAD_TABLE_ERROR
            Map.entry(1091, ErrorCode.NOT_FOUND),        // ER_CANT_DROP_FIELD_OR_KEY
            Map.entry(1094, ErrorCode.NOT_FOUND),        // ER_NO_SUCH_THREAD
            // The data or state forbids it.
            Map.entry(1046, ErrorCode.FAILED_PRECONDITION), // ER_NO_DB_ERROR
            Map.entry(1364, ErrorCode.FAILED_PRECONDITION), // ER_NO_DEFAULT_FOR_FIELD
            Map.entry(1451, ErrorCode.FAILED_PRECONDITION), // ER_ROW_IS_REFERENCED_2
            Map.entry(1452, ErrorCode.FAILED_PRECONDITION), // ER_NO_REFERENCED_ROW_2
            Map.entry(1264, ErrorCode.FAILED_PRECONDITION), // ER_WARN_DATA_OUT_OF_RANGE
            Map.entry(1792, ErrorCode.FAILED_PRECONDITION), // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
            Map.entry(1290, ErrorCode.FAILED_PRECONDITION), // ER_OPTION_PREVENTS_STATEMENT (read-only)
            // Concurrency.
            Map.entry(1213, ErrorCode.ABORTED),          // ER_LOCK_DEADLOCK: MySQL rolled the transaction back
            Map.entry(1205, ErrorCode.DEADLINE_EXCEEDED), // ER_LOCK_WAIT_TIMEOUT
            Map.entry(1317, ErrorCode.CANCELED),         // ER_QUERY_INTERRUPTED
            Map.entry(1969, ErrorCode.DEADLINE_EXCEEDED), // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
            Map.entry(3024, ErrorCode.DEADLINE_EXCEEDED), // ER_QUERY_TIMEOUT (MySQL max_execution_time)
            // Limits.
            Map.entry(1040, ErrorCode.RESOURCE_EXHAUSTED), // ER_CON_COUNT_ERROR
            Map.entry(1041, ErrorCode.RESOURCE_EXHAUSTED), // ER_OUT_OF_RESOURCES
            Map.entry(1153, ErrorCode.RESOURCE_EXHAUSTED), // ER_NET_PACKET_TOO_LARGE
            Map.entry(1203, ErrorCode.RESOURCE_EXHAUSTED), // ER_TOO_MANY_USER_CONNECTIONS
            Map.entry(1206, ErrorCode.RESOURCE_EXHAUSTED), // ER_LOCK_TABLE_FULL
            Map.entry(1114, ErrorCode.RESOURCE_EXHAUSTED), // ER_RECORD_FILE_FULL
            // Permissions.
            Map.entry(1044, ErrorCode.PERMISSION_DENIED), // ER_DBACCESS_DENIED_ERROR
            Map.entry(1045, ErrorCode.PERMISSION_DENIED), // ER_ACCESS_DENIED_ERROR
            Map.entry(1142, ErrorCode.PERMISSION_DENIED), // ER_TABLEACCESS_DENIED_ERROR
            Map.entry(1227, ErrorCode.PERMISSION_DENIED), // ER_SPECIFIC_ACCESS_DENIED_ERROR
            // Feature gaps.
            Map.entry(1235, ErrorCode.UNIMPLEMENTED),    // ER_NOT_SUPPORTED_YET
            // The server or the connection went away.
            Map.entry(1053, ErrorCode.UNAVAILABLE),      // ER_SERVER_SHUTDOWN
            Map.entry(1927, ErrorCode.UNAVAILABLE),      // ER_CONNECTION_KILLED (MariaDB)
            Map.entry(2006, ErrorCode.UNAVAILABLE),      // CR_SERVER_GONE_ERROR
            Map.entry(CR_SERVER_LOST, ErrorCode.UNAVAILABLE));

    private MysqlErrors() {}

    /** The backend error as a VtException, errno, SQLSTATE and message unchanged. */
    public static VtException toVtException(SQLException e) {
        ErrorCode code = codeOf(e.getErrorCode(), e.getSQLState());
        int errno = e.getErrorCode();
        if (errno == 0 && isConnectionError(e)) {
            errno = CR_SERVER_LOST; // Connector/J's own link failures carry no errno; clients expect 2013
        }
        if (errno == 0) {
            return VtException.of(code, e.getMessage(), e); // a client-side driver error, not MySQL's
        }
        return VtException.mysql(code, errno, e.getSQLState(), serverMessage(e), e);
    }

    /** The error class for a MySQL errno and SQLSTATE: the errno table first, then the SQLSTATE class. */
    public static ErrorCode codeOf(int errno, String sqlState) {
        ErrorCode byErrno = BY_ERRNO.get(errno);
        if (byErrno != null) {
            return byErrno;
        }
        if (sqlState == null || sqlState.length() < 2) {
            return ErrorCode.UNKNOWN;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08" -> ErrorCode.UNAVAILABLE;          // connection exception
            case "22", "42" -> ErrorCode.INVALID_ARGUMENT; // data exception, syntax or access rule
            case "23" -> ErrorCode.FAILED_PRECONDITION;  // integrity constraint
            case "28" -> ErrorCode.PERMISSION_DENIED;    // invalid authorization
            case "40" -> ErrorCode.ABORTED;              // transaction rollback
            case "70" -> ErrorCode.CANCELED;             // MySQL's "query interrupted"
            default -> ErrorCode.UNKNOWN;
        };
    }

    /** True when the connection under the statement is gone and must not go back to a pool. */
    public static boolean isConnectionError(SQLException e) {
        if (e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        int errno = e.getErrorCode();
        return errno == 1053 || errno == 1927 || errno == 2006 || errno == CR_SERVER_LOST;
    }

    /**
     * MySQL's own message text. Connector/J prefixes truncation errors with "Data truncation: ", which a
     * client's driver would add a second time.
     */
    static String serverMessage(SQLException e) {
        String m = e.getMessage();
        return e instanceof java.sql.DataTruncation && m != null && m.startsWith("Data truncation: ")
                ? m.substring("Data truncation: ".length()) : m;
    }
}
