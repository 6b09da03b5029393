package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vttablet.mysqlctl.Mysqld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session state through vtgate against real MariaDBs, on a keyspace of two shards with tablets over gRPC:
 * system variables that must reach MySQL ({@code time_zone}, {@code sql_mode}) are applied on reserved
 * connections on every shard the session touches, for plain, transactional and streamed (OLAP) queries, and
 * never leak to another session; the reserved connections are closed when the session ends; user variables
 * live in the vtgate session and reach the shards as bind variables (routing an insert by its value);
 * {@code sql_select_limit} is applied by vtgate.
 */
@Timeout(120)
class SessionStateIT {
    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;
    /** MariaDB's own offset of NOW() from UTC, in minutes, before any session sets a time zone. */
    private static String systemOffset;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Files.createDirectories(schemaDir.resolve("customer"));
        Files.writeString(schemaDir.resolve("customer/01.sql"), "create table t (id bigint primary key)");
        Files.writeString(schemaDir.resolve("customer/vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir)
                .tabletProtocol(ComboConfig.TabletProtocol.GRPC).keyspace("customer", 2).build());
        try (Connection c = vtgate()) {
            Fixture.update(c, "insert into t (id) values (1), (2), (3), (4)"); // 1, 2, 3 on -80; 4 on 80-
            systemOffset = single(c, "select timestampdiff(minute, utc_timestamp(), now())");
        }
        assertEquals(List.of("1", "2", "3"), direct("-80", "select id from t order by id"));
        assertEquals(List.of("4"), direct("80-", "select id from t order by id"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection vtgate() throws SQLException {
        return Fixture.connect(Fixture.tesselUrl("mysql", cluster, "customer"));
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String single(Connection c, String sql) throws SQLException {
        List<String> values = column(c, sql);
        assertEquals(1, values.size(), sql);
        return values.getFirst();
    }

    private static List<String> direct(String shard, String sql) throws SQLException {
        try (Connection c = Fixture.connect(cluster.shard("customer", shard).jdbcUrl())) {
            return column(c, sql);
        }
    }

    /** The offset of NOW() from UTC on every row of a scatter over both shards. */
    private static final String OFFSETS = "select timestampdiff(minute, utc_timestamp(), now()) from t order by id";

    @Test
    void aTimeZoneReachesEveryShardAndNoOtherSession() throws Exception {
        try (Connection a = vtgate(); Connection b = vtgate()) {
            Fixture.update(a, "set time_zone = '+05:00'");
            assertEquals("300", single(a, "select timestampdiff(minute, utc_timestamp(), now())"));
            assertEquals(List.of("300", "300", "300", "300"), column(a, OFFSETS), "both shards");
            assertEquals("+05:00", single(a, "select @@time_zone"));
            assertEquals(List.of(systemOffset, systemOffset, systemOffset, systemOffset), column(b, OFFSETS),
                    "another session keeps MariaDB's time zone");
            Fixture.update(a, "begin");
            Fixture.update(a, "insert into t (id) values (100)");
            assertEquals(List.of("300", "300", "300", "300", "300"), column(a, OFFSETS), "inside a transaction");
            Fixture.update(a, "rollback");
            Fixture.update(a, "set workload = 'olap'");
            assertEquals(List.of("300", "300", "300", "300"), column(a, OFFSETS), "streamed");
            Fixture.update(a, "set time_zone = default");
            assertEquals(systemOffset, single(a, "select timestampdiff(minute, utc_timestamp(), now())"));
        }
    }

    @Test
    void aStreamingSessionReservesAsItStreams() throws Exception {
        try (Connection c = vtgate()) {
            Fixture.update(c, "set workload = 'olap'");
            Fixture.update(c, "set time_zone = '-02:00'"); // reserves one shard; the stream reserves the other
            assertEquals(List.of("-120", "-120", "-120", "-120"), column(c, OFFSETS));
        }
    }

    @Test
    void ansiQuotesTakesEffectOnTheSessionsShardsOnly() throws Exception {
        try (Connection a = vtgate(); Connection b = vtgate()) {
            Fixture.update(a, "set sql_mode = 'ANSI_QUOTES'");
            assertEquals("ANSI_QUOTES", single(a, "select @@sql_mode"));
            String ansi = Fixture.rows(a, "show create table t").get(1);
            assertTrue(ansi.contains("CREATE TABLE \"t\""), ansi);
            String plain = Fixture.rows(b, "show create table t").get(1);
            assertTrue(plain.contains("CREATE TABLE `t`"), plain);
            assertTrue(single(b, "select @@sql_mode").contains("STRICT_TRANS_TABLES"), "b keeps the default");
        }
    }

    @Test
    void aRefusedSettingLeavesTheSessionAsItWas() throws Exception {
        try (Connection c = vtgate()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> Fixture.update(c, "set time_zone = 'Nowhere/Else'"));
            assertEquals(1298, e.getErrorCode(), e.getMessage()); // MariaDB: unknown or incorrect time zone
            assertEquals(List.of(systemOffset, systemOffset, systemOffset, systemOffset), column(c, OFFSETS));
        }
    }

    @Test
    void reservedConnectionsCloseWithTheSession() throws Exception {
        String mysqlConnection;
        try (Connection c = vtgate()) {
            Fixture.update(c, "set time_zone = '+01:00'");
            mysqlConnection = single(c, "select connection_id()"); // on the first shard's reserved connection
            assertEquals("+01:00", single(c, "select @@time_zone"));
        }
        String query = "select count(*) from information_schema.processlist where id = " + mysqlConnection;
        while (!direct("-80", query).equals(List.of("0"))) {
            Thread.sleep(20); // the tablet closes it once vtgate released it
        }
    }

    @Test
    void userVariablesLiveInTheSession() throws Exception {
        try (Connection a = vtgate(); Connection b = vtgate()) {
            Fixture.update(a, "set @x = 5, @name = 'five'");
            List<String> x = Fixture.rows(a, "select @x");
            assertTrue(x.get(0).startsWith("@x:"), "MySQL's column name: " + x);
            assertEquals("5|", x.get(1));
            assertEquals("five", single(a, "select @name"));
            Fixture.update(a, "set @y = @x * 2 + 1");
            assertEquals("11", single(a, "select @y"));
            assertEquals(List.of("3"), column(a, "select id from t where id = @x - 2"));
            Fixture.update(a, "insert into t (id) values (@y)");
            assertEquals(1, direct("-80", "select id from t where id = 11").size()
                    + direct("80-", "select id from t where id = 11").size(), "on one shard");
            assertEquals(List.of("11"), column(b, "select id from t where id = 11"), "the shard of its hash");
            Fixture.update(a, "delete from t where id = @y");
            assertEquals(null, single(a, "select @never"));
            assertEquals(null, single(b, "select @x"), "another session has its own variables");
        }
    }

    @Test
    void sqlSelectLimitIsAppliedByVtgate() throws Exception {
        try (Connection a = vtgate(); Connection b = vtgate()) {
            Fixture.update(a, "set sql_select_limit = 2");
            assertEquals("2", single(a, "select @@sql_select_limit"));
            assertEquals(List.of("1", "2"), column(a, "select id from t order by id"));
            assertEquals(List.of("1", "2", "3", "4"), column(b, "select id from t order by id"));
            Fixture.update(a, "set sql_select_limit = default");
            assertEquals(4, column(a, "select id from t").size());
        }
    }
}
