package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtgate.exec.TransactionMode;
import io.tessel.vtgate.exec.TransactionSettings;
import io.tessel.vtgate.exec.TwoPcFault;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * transaction_mode TWOPC end to end: a vtcombo cluster whose default mode is TWOPC (tablets over gRPC, each
 * shard on its own MariaDB). A transaction over both shards commits, or rolls back, on both; one over a
 * single shard commits in one phase; each shard's MariaDB, read directly, holds no prepared XA branch and no
 * decision record afterwards. The mode can still be switched per session, and TWOPC with settings that
 * need reserved connections is refused. The resolver (2 s abandon age) finishes prepared branches left in
 * MariaDB by a vtgate that went away: one whose decision record says COMMIT is committed, one without a
 * record rolled back.
 */
@Timeout(120)
class TwoPcComboIT {
    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Files.createDirectories(schemaDir.resolve("bank"));
        Files.writeString(schemaDir.resolve("bank/01.sql"), "create table acct (id bigint primary key, bal bigint);");
        Files.writeString(schemaDir.resolve("bank/vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"acct": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir).keyspace("bank", 2)
                .tabletProtocol(ComboConfig.TabletProtocol.GRPC)
                .transactions(new TransactionSettings(TransactionMode.TWOPC, Duration.ofSeconds(2), TwoPcFault.NONE))
                .build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = vtgate()) {
            c.createStatement().execute("delete from acct");
        }
    }

    private static Connection vtgate() throws SQLException {
        return Fixture.connect(Fixture.tesselUrl("mysql", cluster, "bank"));
    }

    private static List<String> direct(String shard, String sql) throws Exception {
        try (Connection c = Fixture.connect(cluster.shard("bank", shard).jdbcUrl())) {
            List<String> rows = Fixture.rows(c, sql);
            return rows.subList(1, rows.size());
        }
    }

    /** No prepared branch and no decision record left on either shard. */
    private static void assertNothingPending() throws Exception {
        for (String shard : List.of("-80", "80-")) {
            assertEquals(List.of(), direct(shard, "xa recover"), shard);
            assertEquals(List.of(), direct(shard, "select dtid, state from _vt.dt_state"), shard);
        }
    }

    @Test
    void aTransactionOverBothShardsCommitsOnBoth() throws Exception {
        try (Connection c = vtgate(); Statement st = c.createStatement()) {
            assertEquals("TWOPC|", Fixture.rows(c, "select @@transaction_mode").get(1));
            c.setAutoCommit(false);
            st.executeUpdate("insert into acct (id, bal) values (4, 100)"); // hash(4) is in 80-
            st.executeUpdate("insert into acct (id, bal) values (2, 200)"); // hash(2) is in -80
            c.commit();
        }
        assertEquals(List.of("2|200|"), direct("-80", "select id, bal from acct"));
        assertEquals(List.of("4|100|"), direct("80-", "select id, bal from acct"));
        assertNothingPending();
        double commits = cluster.metrics().registry().get("vtgate.twopc.commits").tag("outcome", "committed")
                .counter().count();
        assertTrue(commits >= 1, "two-phase commits counted: " + commits);
    }

    @Test
    void aRollbackOverBothShardsLeavesNeither() throws Exception {
        try (Connection c = vtgate(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("insert into acct (id, bal) values (4, 100)");
            st.executeUpdate("insert into acct (id, bal) values (2, 200)");
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(1, Fixture.rows(c, "select id from acct").size(), "only the header row");
        }
        assertEquals(List.of(), direct("-80", "select id from acct"));
        assertEquals(List.of(), direct("80-", "select id from acct"));
        assertNothingPending();
    }

    @Test
    void aSingleShardTransactionCommitsInOnePhase() throws Exception {
        try (Connection c = vtgate(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("insert into acct (id, bal) values (4, 100)");
            st.executeUpdate("update acct set bal = 150 where id = 4");
            c.commit();
        }
        assertEquals(List.of("4|150|"), direct("80-", "select id, bal from acct"));
        assertNothingPending();
    }

    @Test
    void aCommitThatFailsOnOneShardLeavesNeither() throws Exception {
        try (Connection c = vtgate(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into acct (id, bal) values (2, 1)");
            c.setAutoCommit(false);
            st.executeUpdate("insert into acct (id, bal) values (4, 100)");
            SQLException dup = assertThrows(SQLException.class, () -> st.executeUpdate("insert into acct (id, bal) values (2, 200)"));
            assertEquals(1062, dup.getErrorCode());
            c.rollback();
        }
        assertEquals(List.of("2|1|"), direct("-80", "select id, bal from acct"));
        assertEquals(List.of(), direct("80-", "select id from acct"));
        assertNothingPending();
    }

    @Test
    void sessionsMaySwitchModesAndTwoPcRefusesReservedConnections() throws Exception {
        try (Connection c = vtgate(); Statement st = c.createStatement()) {
            st.execute("set transaction_mode = 'multi'");
            c.setAutoCommit(false);
            st.executeUpdate("insert into acct (id, bal) values (4, 100)");
            st.executeUpdate("insert into acct (id, bal) values (2, 200)");
            c.commit();
            c.setAutoCommit(true);
            st.execute("set transaction_mode = 'twopc'");
            st.execute("set time_zone = '+05:00'");
            c.setAutoCommit(false);
            SQLException refused = assertThrows(SQLException.class,
                    () -> st.executeUpdate("insert into acct (id, bal) values (3, 300)"));
            assertEquals(1235, refused.getErrorCode());
            assertTrue(refused.getMessage().contains("TWOPC"), refused.getMessage());
            c.rollback();
        }
        assertEquals(List.of("2|200|"), direct("-80", "select id, bal from acct"));
        assertNothingPending();
    }

    /** Leaves an XA branch prepared in a shard's MariaDB, as a vtgate that went away would. */
    private static void prepareBranch(String shard, String dtid, String sql) throws Exception {
        try (Connection c = Fixture.connect(cluster.shard("bank", shard).jdbcUrl()); Statement st = c.createStatement()) {
            String xid = "'" + dtid + "','bank:" + shard + "'";
            st.execute("xa start " + xid);
            st.execute(sql);
            st.execute("xa end " + xid);
            st.execute("xa prepare " + xid);
        } // the disconnect leaves the branch prepared, owned by no session
    }

    @Test
    void theResolverFinishesBranchesAVanishedVtgateLeftPrepared() throws Exception {
        String committed = "bank:-80:1000:00000000000000c1"; // made long ago, record COMMIT on the MM (-80)
        String orphan = "bank:-80:1000:00000000000000a1"; // made long ago, no record: never decided commit
        prepareBranch("80-", committed, "insert into acct (id, bal) values (104, 1)");
        prepareBranch("80-", orphan, "insert into acct (id, bal) values (105, 1)");
        try (Connection c = Fixture.connect(cluster.shard("bank", "-80").jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("insert into _vt.dt_state values ('" + committed + "', 'COMMIT', 1000000000)");
            st.execute("insert into _vt.dt_participant values ('" + committed + "', 1, 'bank', '80-')");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!direct("80-", "xa recover").isEmpty() || !direct("-80", "select dtid from _vt.dt_state").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the resolver never finished: " + direct("80-", "xa recover"));
            Thread.sleep(200); // the resolver runs every second
        }
        assertEquals(List.of("104|1|"), direct("80-", "select id, bal from acct order by id"));
        assertNothingPending();
        var actions = cluster.metrics().registry().get("vtgate.twopc.resolver.actions");
        assertTrue(actions.tag("action", "orphan_rollback").counter().count() >= 1);
    }
}
