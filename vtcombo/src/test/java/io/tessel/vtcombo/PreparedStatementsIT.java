package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vttablet.mysqlctl.Mysqld;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server-side prepared statements and multi-statement queries from MySQL Connector/J
 * ({@code useServerPrepStmts=true}, {@code useCursorFetch=true}) and MariaDB Connector/J against a
 * two-shard keyspace. A prepared point select must reach exactly one shard: each shard's MariaDB counts the
 * rows read from the table (userstat's {@code TABLE_STATISTICS}), and only the owning shard's count moves;
 * a prepared scatter select moves both, so the counter can tell.
 */
@Timeout(180)
class PreparedStatementsIT {
    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Files.createDirectories(schemaDir.resolve("customer"));
        Files.writeString(schemaDir.resolve("customer/01.sql"), """
                create table customer (customer_id bigint primary key, email varchar(128), score double,
                  joined datetime(6), balance decimal(12,2)) default charset utf8mb4;""");
        Files.writeString(schemaDir.resolve("customer/vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]}}}""");
        // an unsharded keyspace beside it: with no database selected, the drivers' connect-time statements
        // that vtgate passes to a tablet need one (Executor.routeAnywhere refuses a lone sharded keyspace)
        Files.createDirectories(schemaDir.resolve("commerce"));
        Files.writeString(schemaDir.resolve("commerce/01.sql"), "create table product (sku varchar(32) primary key);");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir).keyspace("customer", 2)
                .keyspace("commerce", 1).build());
        for (ShardMysql shard : cluster.shards()) {
            if (!shard.keyspace().equals("customer")) {
                continue;
            }
            try (Connection c = Fixture.connect(shard.jdbcUrl())) {
                Fixture.update(c, "set global userstat = 1");
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection vtgate(String driver, String options) throws Exception {
        String prepared = driver.equals("mysql") ? "&useServerPrepStmts=true&cachePrepStmts=false"
                : "&useServerPrepStmts=true";
        // connect without a database: the drivers' connect-time statements on a sharded keyspace are not
        // this test's subject; USE comes after them
        Connection c = Fixture.connect(Fixture.tesselUrl(driver, cluster, "") + prepared + options);
        c.setCatalog("customer");
        return c;
    }

    /** Rows read from the customer table, per shard, as each shard's MariaDB counts them. */
    private static Map<String, Long> rowsRead() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (ShardMysql shard : cluster.shards()) {
            if (!shard.keyspace().equals("customer")) {
                continue;
            }
            try (Connection c = Fixture.connect(shard.jdbcUrl())) {
                List<String> rows = Fixture.rows(c, "select coalesce(sum(rows_read), 0) from information_schema"
                        + ".table_statistics where table_schema = database() and table_name = 'customer'");
                out.put(shard.shard(), Long.parseLong(rows.get(1).replace("|", "")));
            }
        }
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        before.forEach((shard, n) -> out.put(shard, after.get(shard) - n));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void preparedDmlAndSelectsRouteLikeLiterals(String driver) throws Exception {
        long base = driver.equals("mysql") ? 1000 : 2000;
        try (Connection c = vtgate(driver, "")) {
            try (PreparedStatement ins = c.prepareStatement(
                    "insert into customer (customer_id, email, score, joined, balance) values (?, ?, ?, ?, ?)")) {
                assertServerSide(ins);
                for (long id = base + 1; id <= base + 8; id++) {
                    ins.setLong(1, id);
                    ins.setString(2, "c" + id + "@example.com");
                    ins.setDouble(3, id / 4.0);
                    ins.setTimestamp(4, Timestamp.valueOf("2024-02-29 10:11:12.345678"));
                    ins.setBigDecimal(5, new BigDecimal("12.50"));
                    assertEquals(1, ins.executeUpdate());
                }
            }
            try (PreparedStatement upd = c.prepareStatement("update customer set email = ? where customer_id = ?")) {
                upd.setString(1, "changed's@example.com");
                upd.setInt(2, (int) base + 2);
                assertEquals(1, upd.executeUpdate());
            }
            try (PreparedStatement del = c.prepareStatement("delete from customer where customer_id = ?")) {
                del.setLong(1, base + 8);
                assertEquals(1, del.executeUpdate());
            }
            try (PreparedStatement sel = c.prepareStatement(
                    "select customer_id, email, score, joined, balance from customer where customer_id = ?")) {
                sel.setLong(1, base + 2);
                assertEquals(List.of(base + 2 + "|changed's@example.com|" + (base + 2) / 4.0
                        + "|2024-02-29 10:11:12.345678|12.50"), rows(sel));
                sel.setString(1, Long.toString(base + 8)); // deleted; a string parameter routes too
                assertEquals(List.of(), rows(sel));
            }
            try (PreparedStatement in = c.prepareStatement(
                    "select customer_id from customer where customer_id in (?, ?, ?) order by customer_id limit ?")) {
                in.setLong(1, base + 3);
                in.setLong(2, base + 1);
                in.setLong(3, base + 7);
                in.setInt(4, 2);
                assertEquals(List.of(Long.toString(base + 1), Long.toString(base + 3)), rows(in));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aPreparedPointSelectReachesExactlyOneShard(String driver) throws Exception {
        long id = driver.equals("mysql") ? 3001 : 4001;
        try (Connection c = vtgate(driver, "")) {
            try (PreparedStatement ins = c.prepareStatement("insert into customer (customer_id, email) values (?, ?)")) {
                for (long k = id; k < id + 6; k++) {
                    ins.setLong(1, k);
                    ins.setString(2, "p" + k);
                    ins.executeUpdate();
                }
            }
            try (PreparedStatement point = c.prepareStatement("select email from customer where customer_id = ?");
                 PreparedStatement scatter = c.prepareStatement("select email from customer where email = ?")) {
                assertServerSide(point);
                Map<String, Long> before = rowsRead();
                for (int k = 0; k < 5; k++) {
                    point.setLong(1, id);
                    assertEquals(List.of("p" + id), rows(point));
                }
                Map<String, Long> pointDelta = delta(before, rowsRead());
                assertEquals(5L, pointDelta.values().stream().mapToLong(Long::longValue).sum(), pointDelta.toString());
                assertTrue(pointDelta.containsValue(0L), "one shard untouched: " + pointDelta);

                before = rowsRead();
                scatter.setString(1, "p" + id);
                assertEquals(List.of("p" + id), rows(scatter));
                Map<String, Long> scatterDelta = delta(before, rowsRead());
                assertFalse(scatterDelta.containsValue(0L), "a scatter reads on both shards: " + scatterDelta);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void multiStatementQueriesGiveOneResultEachAndStopAtAnError(String driver) throws Exception {
        long id = driver.equals("mysql") ? 5001 : 6001;
        try (Connection c = vtgate(driver, "&allowMultiQueries=true"); Statement s = c.createStatement()) {
            assertFalse(s.execute("insert into customer (customer_id, email) values (" + id + ", 'm;1'); "
                    + "update customer set email = 'm;2' where customer_id = " + id + ";\n"
                    + "select email from customer where customer_id = " + id + "; select 'a;b' as x"));
            assertEquals(1, s.getUpdateCount());
            assertFalse(s.getMoreResults());
            assertEquals(1, s.getUpdateCount());
            assertTrue(s.getMoreResults());
            assertEquals(List.of("m;2"), rows(s.getResultSet()));
            assertTrue(s.getMoreResults());
            assertEquals(List.of("a;b"), rows(s.getResultSet()));
            assertFalse(s.getMoreResults());
            assertEquals(-1, s.getUpdateCount());

            assertThrows(SQLException.class, () -> s.execute("update customer set email = 'e1' where customer_id = "
                    + id + "; select * from no_such_table; update customer set email = 'e3' where customer_id = " + id));
            assertEquals(List.of("e1"), rows(s.executeQuery("select email from customer where customer_id = " + id)),
                    "the statement after the error did not run");
        }
        try (Connection c = vtgate(driver, ""); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.execute("select 1; select 2"), "no multi-statements by default");
        }
    }

    @org.junit.jupiter.api.Test
    void connectorJCursorFetchReadsInSteps() throws Exception {
        try (Connection c = vtgate("mysql", "&useCursorFetch=true&defaultFetchSize=2")) {
            try (PreparedStatement ins = c.prepareStatement("insert into customer (customer_id, email) values (?, ?)")) {
                for (long k = 7001; k <= 7005; k++) {
                    ins.setLong(1, k);
                    ins.setString(2, "f" + k);
                    ins.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select email from customer where customer_id between ? and ? order by customer_id")) {
                assertServerSide(ps);
                ps.setFetchSize(2);
                ps.setLong(1, 7001);
                ps.setLong(2, 7005);
                assertEquals(List.of("f7001", "f7002", "f7003", "f7004", "f7005"), rows(ps));
            }
        }
    }

    /** Both drivers name their server-side prepared statement class ServerPreparedStatement. */
    private static void assertServerSide(PreparedStatement ps) {
        assertTrue(ps.getClass().getName().endsWith(".ServerPreparedStatement"), ps.getClass().getName());
    }

    private static List<String> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rows(rs);
        }
    }

    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                row.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            out.add(row.toString());
        }
        rs.close();
        return out;
    }
}
