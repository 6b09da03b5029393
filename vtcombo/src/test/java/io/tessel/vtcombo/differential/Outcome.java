package io.tessel.vtcombo.differential;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What one statement gave on one server: rows as the server's text (JDBC {@code getString}, null for
 * NULL) with column labels and type names, an update count with the OK packet's insert id, or an error.
 */
sealed interface Outcome {

    /** A result set: every value as the text the server sent. */
    record Rows(List<String> labels, List<String> types, List<List<String>> rows) implements Outcome {}

    /** A DML's affected rows and the insert id of its OK packet (0 when none). */
    record Updated(long count, long insertId) implements Outcome {}

    /** An error: MySQL error code, SQLSTATE and message. */
    record Failure(int code, String sqlState, String message) implements Outcome {
        @Override
        public String toString() {
            return "error " + code + " (" + sqlState + "): " + message;
        }
    }

    /** Runs a query. */
    static Outcome query(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(labels.size());
                for (int i = 1; i <= labels.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return new Rows(List.copyOf(labels), List.copyOf(types), rows);
        } catch (SQLException e) {
            return new Failure(e.getErrorCode(), e.getSQLState(), e.getMessage());
        }
    }

    /** Runs a DML statement, keeping the insert id the server reported. */
    static Outcome update(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            long count = s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            long insertId = 0;
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (keys.next()) {
                    insertId = keys.getLong(1);
                }
            }
            return new Updated(count, insertId);
        } catch (SQLException e) {
            return new Failure(e.getErrorCode(), e.getSQLState(), e.getMessage());
        }
    }

    /** Runs a statement that must succeed (schema, data loading). */
    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " in: " + abbreviate(sql), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    static String abbreviate(String sql) {
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "...";
    }
}
