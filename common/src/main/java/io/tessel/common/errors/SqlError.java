package io.tessel.common.errors;

/**
 * MySQL errors Tessel raises itself, as (errno, SQLSTATE) pairs named as in the MySQL manual.
 * Errors that come from a backend MySQL are not listed here: they pass through unchanged.
 */
public enum SqlError {
    ER_CON_COUNT_ERROR(1040, "08004"),
    ER_OUT_OF_RESOURCES(1041, "HY000"),
    ER_HANDSHAKE_ERROR(1043, "08S01"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000"),
    ER_ACCESS_DENIED_ERROR(1045, "28000"),
    ER_NO_DB_ERROR(1046, "3D000"),
    ER_UNKNOWN_COM_ERROR(1047, "08S01"),
    ER_BAD_DB_ERROR(1049, "42000"),
    ER_SERVER_SHUTDOWN(1053, "08S01"),
    ER_PARSE_ERROR(1064, "42000"),
    ER_EMPTY_QUERY(1065, "42000"),
    ER_SYNTAX_ERROR(1149, "42000"),
    ER_NO_SUCH_TABLE(1146, "42S02"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01"),
    ER_NET_READ_ERROR(1158, "08S01"),
    ER_NET_PACKETS_OUT_OF_ORDER(1156, "08S01"),
    ER_DUP_ENTRY(1062, "23000"),
    ER_UNKNOWN_SYSTEM_VARIABLE(1193, "HY000"),
    ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT(1222, "21000"),
    ER_WRONG_ARGUMENTS(1210, "HY000"),
    ER_WRONG_VALUE_FOR_VAR(1231, "42000"),
    ER_OPERAND_COLUMNS(1241, "21000"),
    ER_SUBQUERY_NO_1_ROW(1242, "21000"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000"),
    ER_NOT_SUPPORTED_YET(1235, "42000"),
    ER_LOCK_DEADLOCK(1213, "40001"),
    ER_UNSUPPORTED_PS(1295, "HY000"),
    ER_QUERY_INTERRUPTED(1317, "70100"),
    ER_PS_MANY_PARAM(1390, "HY000"),
    ER_STMT_HAS_NO_OPEN_CURSOR(1421, "HY000"),
    ER_MAX_PREPARED_STMT_COUNT_REACHED(1461, "42000"),
    ER_DATA_OUT_OF_RANGE(1690, "22003"),
    ER_MALFORMED_PACKET(1835, "HY000"),
    ER_SECURE_TRANSPORT_REQUIRED(3159, "HY000"),
    /** Vitess's "Row count exceeded" for a result over the tablet's max result size. */
    ER_MAX_ROWS_EXCEEDED(10001, "HY000"),
    ER_UNKNOWN_ERROR(1105, "HY000");

    private final int errno;
    private final String sqlState;

    SqlError(int errno, String sqlState) {
        this.errno = errno;
        this.sqlState = sqlState;
    }

    public int errno() {
        return errno;
    }

    public String sqlState() {
        return sqlState;
    }
}
