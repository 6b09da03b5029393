package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtgate.vindex.Destination;
import io.tessel.vtgate.vindex.HashVindex;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.VindexRegistry;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consistent_lookup_unique vindex end to end: keyspace {@code users} on two shards, each on its own MariaDB,
 * with {@code user(id, name)} sharded by hash(id) owning the vindex on {@code name}, whose lookup table
 * {@code name_idx(name, keyspace_id)} is itself sharded by unicode_loose_md5(name). Rows are written through
 * vtgate (JDBC) and checked on each MariaDB directly. Each test uses its own ids and names.
 */
@Timeout(180)
class LookupVindexIT {
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final ShardResolver RESOLVER = ShardResolver.of(SHARDS);
    private static final SingleColumnVindex HASH = new HashVindex("hash");
    private static final SingleColumnVindex NAME_MD5 = (SingleColumnVindex) VindexRegistry.builtin()
            .create("unicode_loose_md5", "name_md5", Map.of());
    private static final String SCHEMA = """
            create table user (id bigint primary key, name varchar(64));
            create table name_idx (name varchar(64) primary key, keyspace_id varbinary(128));""";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "name_md5": {"type": "unicode_loose_md5"},
                          "name_lkp": {"type": "consistent_lookup_unique", "owner": "user",
                                       "params": {"table": "name_idx", "from": "name", "to": "keyspace_id"}}},
             "tables": {"user": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "name", "name": "name_lkp"}]},
                        "name_idx": {"column_vindexes": [{"column": "name", "name": "name_md5"}]}}}""";

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        cluster = ComboCluster.start(ComboConfig.builder().keyspace("users", SHARDS, SCHEMA, VSCHEMA).build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection vtgate() throws SQLException {
        return Fixture.connect(Fixture.tesselUrl("mysql", cluster, "users"));
    }

    private static List<String> direct(String shard, String sql) throws SQLException {
        try (Connection c = Fixture.connect(cluster.shard("users", shard).jdbcUrl())) {
            List<String> rows = Fixture.rows(c, sql);
            return rows.subList(1, rows.size());
        }
    }

    private static String ksid(SingleColumnVindex vindex, Value value) {
        return HexFormat.of().formatHex(((Destination.KeyspaceId) vindex.map(List.of(value)).getFirst()).ksid());
    }

    private static String userShard(long id) {
        return RESOLVER.shardFor(HexFormat.of().parseHex(ksid(HASH, Value.ofInt64(id))));
    }

    private static String nameShard(String name) {
        return RESOLVER.shardFor(HexFormat.of().parseHex(ksid(NAME_MD5, Value.ofVarchar(name))));
    }

    /** Where the lookup row of {@code name} is, on every shard: "shard: name|keyspace id hex|" lines. */
    private static List<String> lookupRows(String name) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String shard : SHARDS) {
            for (String row : direct(shard, "select name, lower(hex(keyspace_id)) from name_idx where name = '" + name + "'")) {
                out.add(shard + ": " + row);
            }
        }
        return out;
    }

    private static String lookupRow(String name, long id) {
        return nameShard(name) + ": " + name + "|" + ksid(HASH, Value.ofInt64(id)) + "|";
    }

    private static List<String> userRows(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String shard : SHARDS) {
            for (String row : direct(shard, "select id, name from user where id = " + id)) {
                out.add(shard + ": " + row);
            }
        }
        return out;
    }

    private static List<String> selectByName(Connection c, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name from user where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2));
                }
            }
        }
        return out;
    }

    /** vtgate's plan as JSON (Connector/J's executeQuery refuses a statement starting with VEXPLAIN). */
    private static String explain(Connection c, String sql) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            assertTrue(s.execute("vexplain plan " + sql));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void insertWritesEachLookupRowOnTheShardOfItsName() throws Exception {
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank"};
        try (Connection c = vtgate()) {
            assertEquals(3, Fixture.update(c, "insert into user(id, name) values (1, 'alice'), (2, 'bob'), (3, 'carol')"));
            try (PreparedStatement ps = c.prepareStatement("insert into user(id, name) values (?, ?)")) {
                for (int i = 3; i < names.length; i++) {
                    ps.setLong(1, i + 1);
                    ps.setString(2, names[i]);
                    assertEquals(1, ps.executeUpdate());
                }
            }
        }
        List<String> nameShards = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            assertEquals(List.of(lookupRow(names[i], i + 1)), lookupRows(names[i]), names[i]);
            assertEquals(List.of(userShard(i + 1) + ": " + (i + 1) + "|" + names[i] + "|"), userRows(i + 1));
            nameShards.add(nameShard(names[i]));
        }
        assertTrue(nameShards.containsAll(SHARDS), "the names spread over both shards: " + nameShards);
    }

    @Test
    void selectByNameRoutesThroughTheLookupToOneShard() throws Exception {
        try (Connection c = vtgate()) {
            Fixture.update(c, "insert into user(id, name) values (21, 'gina'), (22, 'hank'), (23, 'Ivy')");
            assertEquals(List.of("21|gina"), selectByName(c, "gina"));
            assertEquals(List.of("23|Ivy"), selectByName(c, "ivy"), "the lookup table's collation matches case");
            assertEquals(List.of(), selectByName(c, "nobody"));
            String plan = explain(c, "select id from user where name = 'hank'");
            assertTrue(plan.contains("\"Variant\" : \"EqualUnique\"") && plan.contains("\"Vindex\" : \"name_lkp\""), plan);
            assertEquals(List.of("22|hank|"), Fixture.rows(c, "select id, name from user where name in ('hank', 'x')")
                    .subList(1, 2));
        }
    }

    @Test
    void deleteRemovesTheLookupRows() throws Exception {
        try (Connection c = vtgate()) {
            Fixture.update(c, "insert into user(id, name) values (31, 'jack'), (32, 'kate'), (33, 'liam')");
            assertEquals(1, Fixture.update(c, "delete from user where id = 31"));
            assertEquals(1, Fixture.update(c, "delete from user where name = 'kate'"), "routed by the lookup it deletes");
            assertEquals(List.of(), selectByName(c, "jack"));
        }
        assertEquals(List.of(), lookupRows("jack"));
        assertEquals(List.of(), lookupRows("kate"));
        assertEquals(List.of(), userRows(31));
        assertEquals(List.of(), userRows(32));
        assertEquals(List.of(lookupRow("liam", 33)), lookupRows("liam"));
    }

    @Test
    void updateOfTheNameMovesItsLookupRow() throws Exception {
        try (Connection c = vtgate()) {
            Fixture.update(c, "insert into user(id, name) values (41, 'mia')");
            assertEquals(1, Fixture.update(c, "update user set name = 'maya' where id = 41"));
            assertEquals(List.of("41|maya"), selectByName(c, "maya"));
            assertEquals(List.of(), selectByName(c, "mia"));
            assertEquals(1, Fixture.update(c, "update user set name = 'noor' where name = 'maya'"));
        }
        assertEquals(List.of(), lookupRows("mia"));
        assertEquals(List.of(), lookupRows("maya"));
        assertEquals(List.of(lookupRow("noor", 41)), lookupRows("noor"));
        assertEquals(List.of(userShard(41) + ": 41|noor|"), userRows(41));
    }

    @Test
    void duplicateNameIsRefusedWithMysqlsDuplicateKeyError() throws Exception {
        try (Connection c = vtgate()) {
            Fixture.update(c, "insert into user(id, name) values (51, 'olga')");
            SQLException e = assertThrows(SQLException.class,
                    () -> Fixture.update(c, "insert into user(id, name) values (52, 'olga')"));
            assertEquals(1062, e.getErrorCode(), e.getMessage());
            assertEquals("23000", e.getSQLState());
            assertTrue(e.getMessage().contains("'olga'"), e.getMessage());
        }
        assertEquals(List.of(), userRows(52));
        assertEquals(List.of(lookupRow("olga", 51)), lookupRows("olga"));
    }

    @Test
    void rolledBackInsertLeavesADanglingLookupRowThatTheNextInsertTakesOver() throws Exception {
        try (Connection c = vtgate()) {
            c.setAutoCommit(false);
            Fixture.update(c, "insert into user(id, name) values (61, 'pia')");
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(List.of(lookupRow("pia", 61)), lookupRows("pia"), "consistent lookups insert outside the transaction");
            assertEquals(List.of(), userRows(61));
            assertEquals(List.of(), selectByName(c, "pia"), "a dangling row finds nothing");
            assertEquals(1, Fixture.update(c, "insert into user(id, name) values (62, 'pia')"));
            assertEquals(List.of("62|pia"), selectByName(c, "pia"));
        }
        assertEquals(List.of(lookupRow("pia", 62)), lookupRows("pia"));
    }
}
