package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.vtcombo.ComboCluster;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MySQL Connector/J (server-side prepares on and off, rewriteBatchedStatements) and MariaDB Connector/J (server
 * prepares on and off) against the sharded client cluster, connected to the sharded keyspace: DDL, DML,
 * transactions across both shards, prepared statements and batches, DatabaseMetaData (getTables, getColumns,
 * getPrimaryKeys, getIndexInfo, also of another keyspace), shard warnings, and 5 MB values.
 */
@Timeout(300)
@ExtendWith(ClientCluster.class)
class JdbcDriversIT {
    private ComboCluster cluster;

    @BeforeEach
    void cluster(ComboCluster shared) {
        cluster = shared;
    }

    private Connection connect(String driver, String options) throws SQLException {
        return DriverManager.getConnection("jdbc:" + driver + "://127.0.0.1:" + cluster.address().getPort()
                + "/customer?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true&" + options);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cjsp    | mysql   | useServerPrepStmts=true&cachePrepStmts=true&rewriteBatchedStatements=true",
        "cjtext  | mysql   | useServerPrepStmts=false&rewriteBatchedStatements=true",
        "mdbsp   | mariadb | useServerPrepStmts=true",
        "mdbtext | mariadb | useServerPrepStmts=false"})
    void everyStepWorks(String prefix, String driver, String options) throws Exception {
        String table = prefix + "_item";
        try (Connection c = connect(driver, options)) {
            ddl(c, prefix);
            metadata(c, table);
            dml(c, table);
            transactions(c, table, () -> connect(driver, options));
            prepared(c, table);
            largeValues(c, table);
            warnings(c);
        }
    }

    private static void ddl(Connection c, String prefix) throws SQLException {
        exec(c, "drop table if exists " + prefix + "_item");
        exec(c, ClientCluster.createItem(prefix));
        exec(c, "alter table " + prefix + "_item add column flag tinyint(1) default 0");
    }

    private static void metadata(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        assertEquals(List.of(table), column(md.getTables("customer", null, table, new String[] {"TABLE"}), "TABLE_NAME"));
        assertEquals(List.of("id", "name", "price", "created", "qty", "note", "data", "flag"),
                column(md.getColumns("customer", null, table, "%"), "COLUMN_NAME"));
        assertEquals(List.of("BIGINT", "VARCHAR", "DECIMAL", "DATETIME"),
                column(md.getColumns("customer", null, table, "%"), "TYPE_NAME").subList(0, 4));
        assertEquals(List.of("id"), column(md.getPrimaryKeys("customer", null, table), "COLUMN_NAME"));
        List<String> indexes = column(md.getIndexInfo("customer", null, table, false, false), "INDEX_NAME");
        assertTrue(indexes.contains("PRIMARY") && indexes.contains(table + "_name"), indexes.toString());
        // another keyspace, named as the catalog
        assertEquals(List.of("product"), column(md.getTables("commerce", null, "product", null), "TABLE_NAME"));
        assertEquals(List.of("sku", "price"), column(md.getColumns("commerce", null, "product", "%"), "COLUMN_NAME"));
        List<String> catalogs = column(md.getCatalogs(), "TABLE_CAT");
        assertTrue(catalogs.containsAll(List.of("commerce", "customer")), catalogs.toString());
    }

    private static void dml(Connection c, String table) throws SQLException {
        StringBuilder values = new StringBuilder();
        for (int id = 1; id <= 10; id++) {
            values.append(id > 1 ? ", " : "").append("(").append(id).append(", 'item").append(id).append("', ")
                    .append(id).append(".25, '2024-02-29 10:11:12.345678', ").append(id * 10).append(")");
        }
        assertEquals(10, update(c, "insert into " + table + " (id, name, price, created, qty) values " + values));
        assertEquals(1, update(c, "update " + table + " set qty = qty + 1, note = 'changed' where id = 3"));
        assertEquals(1, update(c, "delete from " + table + " where id = 10"));
        assertEquals(2, update(c, "update " + table + " set flag = 1 where name in ('item1', 'item2')"));
        assertEquals(List.of("9"), rows(c, "select count(*) from " + table));
        assertEquals(List.of("3|item3|31|changed|3.25"), rows(c, "select id, name, qty, note, price from " + table
                + " where id = 3"));
        assertEquals(List.of("9", "8", "7"), rows(c, "select id from " + table + " order by id desc limit 3"));
        assertEquals(List.of("2"), rows(c, "select count(*) from " + table + " where flag = 1"));
        assertEquals(List.of("2024-02-29 10:11:12.345678"), rows(c, "select created from " + table + " where id = 1")
                .stream().map(s -> s.replace('T', ' ')).toList());
    }

    private interface Opener {
        Connection open() throws SQLException;
    }

    private static void transactions(Connection c, String table, Opener other) throws SQLException {
        List<Integer> ids = List.of(101, 102, 103, 104, 105, 106);
        c.setAutoCommit(false);
        for (int id : ids) {
            update(c, "insert into " + table + " (id, name) values (" + id + ", 'tx')");
        }
        c.rollback();
        assertEquals(List.of("0"), rows(c, "select count(*) from " + table + " where name = 'tx'"));
        for (int id : ids) {
            update(c, "insert into " + table + " (id, name) values (" + id + ", 'tx')");
        }
        try (Connection o = other.open()) {
            assertEquals(List.of("0"), rows(o, "select count(*) from " + table + " where name = 'tx'"), "not yet committed");
        }
        c.commit();
        c.setAutoCommit(true);
        try (Connection o = other.open()) {
            assertEquals(List.of("6"), rows(o, "select count(*) from " + table + " where name = 'tx'"));
        }
    }

    private static void prepared(Connection c, String table) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("insert into " + table + " (id, name, price, created) values (?, ?, ?, ?)")) {
            for (int id = 200; id < 250; id++) {
                ins.setLong(1, id);
                ins.setString(2, "batch" + id);
                ins.setBigDecimal(3, new BigDecimal(id + ".50"));
                ins.setTimestamp(4, Timestamp.valueOf("2023-01-02 03:04:05.5"));
                ins.addBatch();
            }
            int[] counts = ins.executeBatch();
            assertEquals(50, counts.length);
            for (int n : counts) {
                assertTrue(n == 1 || n == Statement.SUCCESS_NO_INFO, "batch count " + n);
            }
        }
        assertEquals(List.of("50"), rows(c, "select count(*) from " + table + " where id between 200 and 249"));
        try (PreparedStatement sel = c.prepareStatement("select name, price from " + table + " where id = ?")) {
            for (int id : List.of(201, 233, 248)) {
                sel.setInt(1, id);
                try (ResultSet rs = sel.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("batch" + id, rs.getString(1));
                    assertEquals(new BigDecimal(id + ".50"), rs.getBigDecimal(2));
                    assertFalse(rs.next());
                }
            }
        }
        try (PreparedStatement upd = c.prepareStatement("update " + table + " set qty = ? where id in (?, ?)")) {
            upd.setInt(1, 7);
            upd.setInt(2, 210);
            upd.setInt(3, 211);
            assertEquals(2, upd.executeUpdate());
        }
        try (PreparedStatement scatter = c.prepareStatement("select count(*), sum(qty) from " + table + " where name like ?")) {
            scatter.setString(1, "batch%");
            try (ResultSet rs = scatter.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(50, rs.getInt(1));
                assertEquals(14, rs.getInt(2));
            }
        }
    }

    private static void largeValues(Connection c, String table) throws SQLException {
        byte[] blob = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(blob);
        String text = "ünïcødé ".repeat(128 * 1024); // 1 MiB of characters, more bytes
        try (PreparedStatement ins = c.prepareStatement("insert into " + table + " (id, name, note, data) values (?, ?, ?, ?)")) {
            ins.setLong(1, 500);
            ins.setString(2, "large");
            ins.setString(3, text);
            ins.setBytes(4, blob);
            assertEquals(1, ins.executeUpdate());
        }
        try (PreparedStatement sel = c.prepareStatement("select note, data, length(data) from " + table + " where id = ?")) {
            sel.setLong(1, 500);
            try (ResultSet rs = sel.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(text, rs.getString(1));
                assertArrayEquals(blob, rs.getBytes(2));
                assertEquals(blob.length, rs.getLong(3));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select data from " + table + " where id = 500")) {
            assertTrue(rs.next());
            assertArrayEquals(blob, rs.getBytes(1), "the same value through the text protocol");
        }
    }

    /** A shard's warning comes through: the warning count, then SHOW WARNINGS, which the driver sends. */
    private static void warnings(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select cast('12abc' as signed)")) {
            assertTrue(rs.next());
            assertEquals(12, rs.getInt(1));
            SQLWarning w = s.getWarnings();
            assertNotNull(w, "the truncation warning reaches the client");
            assertEquals(1292, w.getErrorCode());
            assertTrue(w.getMessage().contains("Truncated incorrect INTEGER value: '12abc'"), w.getMessage());
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    /** Rows as strings, columns joined with '|'. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
            return out;
        }
    }

    private static List<String> column(ResultSet rs, String name) throws SQLException {
        try (rs) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(name));
            }
            return out;
        }
    }
}
