package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Pins the MySQL errno / SQLSTATE to ErrorCode table. */
class MysqlErrorsTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "1062, 23000, ALREADY_EXISTS",
        "1022, 23000, ALREADY_EXISTS",
        "1050, 42S01, ALREADY_EXISTS",
        "1064, 42000, INVALID_ARGUMENT",
        "1149, 42000, INVALID_ARGUMENT",
        "1048, 23000, INVALID_ARGUMENT",
        "1406, 22001, INVALID_ARGUMENT",
        "1146, 42S02, NOT_FOUND",
        "1054, 42S22, NOT_FOUND",
        "1452, 23000, FAILED_PRECONDITION",
        "1290, HY000, FAILED_PRECONDITION",
        "1213, 40001, ABORTED",
        "1205, HY000, DEADLINE_EXCEEDED",
        "1969, 70100, DEADLINE_EXCEEDED",
        "1317, 70100, CANCELED",
        "1040, 08004, RESOURCE_EXHAUSTED",
        "1153, 08S01, RESOURCE_EXHAUSTED",
        "1045, 28000, PERMISSION_DENIED",
        "1142, 42000, PERMISSION_DENIED",
        "1235, 42000, UNIMPLEMENTED",
        "1053, 08S01, UNAVAILABLE",
        "1927, 70100, UNAVAILABLE",
        "2013, HY000, UNAVAILABLE",
        // Not in the table: the SQLSTATE class decides.
        "9999, 08S01, UNAVAILABLE",
        "9999, 22003, INVALID_ARGUMENT",
        "9999, 42S02, INVALID_ARGUMENT",
        "9999, 23000, FAILED_PRECONDITION",
        "9999, 28000, PERMISSION_DENIED",
        "9999, 40001, ABORTED",
        "9999, HY000, UNKNOWN",
        "1105, HY000, UNKNOWN",
    })
    void errnoAndStateChooseTheCode(int errno, String sqlState, ErrorCode expected) {
        assertEquals(expected, MysqlErrors.codeOf(errno, sqlState));
    }

    @Test
    void mysqlErrorsPassThroughUnchanged() {
        SQLException e = new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062);
        VtException vt = MysqlErrors.toVtException(e);
        assertEquals(ErrorCode.ALREADY_EXISTS, vt.code());
        assertEquals(1062, vt.errno());
        assertEquals("23000", vt.sqlState());
        assertEquals("Duplicate entry '1' for key 'PRIMARY'", vt.getMessage());
        assertEquals(e, vt.getCause());
    }

    @Test
    void linkFailuresWithoutErrnoBecomeServerLost() {
        SQLException e = new SQLNonTransientConnectionException("Communications link failure", "08S01", 0);
        VtException vt = MysqlErrors.toVtException(e);
        assertEquals(ErrorCode.UNAVAILABLE, vt.code());
        assertEquals(2013, vt.errno());
        assertEquals("08S01", vt.sqlState());
        assertTrue(MysqlErrors.isConnectionError(e));
    }

    @Test
    void driverErrorsWithoutErrnoCarryNone() {
        VtException vt = MysqlErrors.toVtException(new SQLException("Operation not allowed", "S1009", 0));
        assertFalse(vt.hasErrno());
        assertEquals(ErrorCode.UNKNOWN, vt.code());
    }

    @Test
    void onlyConnectionLevelFailuresBreakTheConnection() {
        assertTrue(MysqlErrors.isConnectionError(new SQLException("gone", "HY000", 2006)));
        assertTrue(MysqlErrors.isConnectionError(new SQLException("killed", "70100", 1927)));
        assertFalse(MysqlErrors.isConnectionError(new SQLException("dup", "23000", 1062)));
        assertFalse(MysqlErrors.isConnectionError(new SQLException("deadlock", "40001", 1213)));
    }
}
