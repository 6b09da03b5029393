package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.topo.etcd.EtcdProcess;
import io.tessel.vtgate.exec.TwoPcFault;
import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Atomic (TWOPC) commits survive crashes between prepare and commit, with every daemon its own process:
 * etcd, two MariaDBs, vtctld, two vttablets with --twopc-enable (shards -80 and 80-) and vtgates in TWOPC
 * mode with a 2 s abandon age. A vttablet killed with SIGKILL after the commit decision leaves its branch
 * prepared in MariaDB; the client is told the commit succeeded, and once the tablet is restarted the resolver
 * commits it. A vtgate halted (as by kill -9, through its test-only fault hook) after the prepares, or after
 * the decision, leaves both branches prepared; a new vtgate's resolver rolls the first back and commits the
 * second, on both shards. Each check reads the shards' MariaDBs directly, including XA RECOVER.
 */
@Timeout(180)
class TwoPcCrashIT {
    private static final List<AutoCloseable> resources = new ArrayList<>();
    private static Path logs;
    private static Map<String, String> env;
    private static Mysqld low;
    private static Mysqld high;

    @BeforeAll
    static void cluster() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        logs = Files.createTempDirectory("tessel-twopc");
        EtcdProcess etcd = EtcdProcess.start();
        resources.add(etcd);
        low = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
        resources.add(low);
        high = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
        resources.add(high);
        for (Mysqld m : List.of(low, high)) {
            try (Connection c = direct(m)) {
                c.createStatement().execute("create table t (id int primary key, v varchar(10))");
            }
        }
        env = Map.of("TOPO_GLOBAL_SERVER_ADDRESS", etcd.endpoint());
        int vtctldPort = freePort();
        Daemon vtctld = Daemon.start("vtctld", logs, env, "vtctld", "--grpc-port", Integer.toString(vtctldPort),
                "--http-port", Integer.toString(freePort()));
        resources.add(vtctld);
        vtctld.awaitLog("listening", Duration.ofSeconds(60));
        String server = "127.0.0.1:" + vtctldPort;
        for (String[] command : new String[][] {{"CreateKeyspace", "commerce"}, {"CreateShard", "commerce/-80"},
                {"CreateShard", "commerce/80-"}}) {
            String out = Daemon.run(env, "vtctl", "--server", server, command[0], command[1]);
            assertTrue(out.startsWith("exit 0"), out);
        }
        tablet(101, "-80", low);
        tablet(102, "80-", high);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Daemon tablet(int uid, String shard, Mysqld mysql) throws Exception {
        Daemon d = Daemon.start("vttablet-" + uid + "-" + System.nanoTime(), logs, env, "vttablet",
                "--tablet-alias", "zone1-" + uid, "--keyspace", "commerce", "--shard", shard, "--twopc-enable",
                "--mysql-port", Integer.toString(mysql.port()), "--grpc-port", Integer.toString(freePort()),
                "--http-port", Integer.toString(freePort()), "--topo-implementation", "etcd2");
        resources.add(d);
        d.awaitLog("registered in the topology", Duration.ofSeconds(60));
        return d;
    }

    /** A vtgate in TWOPC mode with a 2 s abandon age and the given test fault ("" for none); its MySQL port. */
    private static Gate vtgate(String name, String fault) throws Exception {
        Map<String, String> vars = new HashMap<>(env);
        vars.put(TwoPcFault.ENV, fault);
        int port = freePort();
        int httpPort = freePort();
        Daemon d = Daemon.start(name, logs, vars, "vtgate", "--port", Integer.toString(port),
                "--http-port", Integer.toString(httpPort), "--transaction-mode", "TWOPC", "--twopc-abandon-age", "2s");
        resources.add(d);
        d.awaitLog("MySQL protocol listening", Duration.ofSeconds(60));
        return new Gate(d, port, httpPort);
    }

    private record Gate(Daemon daemon, int port, int httpPort) {}

    private static Connection direct(Mysqld m) throws SQLException {
        return DriverManager.getConnection(m.jdbcUrl("commerce"), m.user(), m.password());
    }

    /** Writes row {@code id} on both shards in one transaction through vtgate and commits. */
    private static void writeBothShardsAndCommit(Gate gate, int id) throws SQLException {
        String url = "jdbc:mysql://127.0.0.1:" + gate.port() + "/commerce:-80?user=root&useSSL=false"
                + "&connectTimeout=5000&socketTimeout=60000";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("insert into t (id, v) values (" + id + ", 'low')");
            st.execute("use `commerce:80-`");
            st.executeUpdate("insert into t (id, v) values (" + id + ", 'high')");
            c.commit();
        }
    }

    /** One shard's state for row {@code id}: its value (or "none"), and its prepared XA branches and records. */
    private static String state(Mysqld m, int id) throws SQLException {
        try (Connection c = direct(m); Statement st = c.createStatement()) {
            String value = "none";
            try (ResultSet rs = st.executeQuery("select v from t where id = " + id)) {
                if (rs.next()) {
                    value = rs.getString(1);
                }
            }
            int prepared = 0;
            try (ResultSet rs = st.executeQuery("xa recover")) {
                while (rs.next()) {
                    prepared++;
                }
            }
            int records = 0;
            try (ResultSet rs = st.executeQuery("select count(*) from _vt.dt_state")) {
                rs.next();
                records = rs.getInt(1);
            }
            return value + " prepared=" + prepared + " records=" + records;
        }
    }

    /** Polls until both shards are in the expected state: the resolver works on its own schedule. */
    private static void awaitStates(int id, String lowState, String highState, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(state(low, id).equals(lowState) && state(high, id).equals(highState))) {
            assertTrue(System.nanoTime() < deadline, "row " + id + " never reached " + lowState + " / " + highState
                    + "; it is " + state(low, id) + " / " + state(high, id));
            Thread.sleep(200); // the resolver runs every second
        }
    }

    @Test
    void aTabletKilledAfterTheDecisionCommitsItsBranchOnceItIsBack() throws Exception {
        Gate gate = vtgate("vtgate-pause", "after-decision:pause=3000");
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                writeBothShardsAndCommit(gate, 10);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.daemon().awaitLog("twopc test fault: pausing", Duration.ofSeconds(30));
        Daemon highTablet = resources.stream().filter(r -> r instanceof Daemon d && d.name.startsWith("vttablet-102"))
                .map(Daemon.class::cast).findFirst().orElseThrow();
        highTablet.kill(); // SIGKILL: both branches are prepared, the decision is COMMIT, nothing committed yet
        commit.get(60, TimeUnit.SECONDS); // the decision is durable: the client is told the commit succeeded
        assertEquals("low prepared=0 records=1", state(low, 10), "the live shard committed; the record waits");
        assertEquals("none prepared=1 records=0", state(high, 10), "the dead tablet's branch stays prepared in MariaDB");
        String pending = Http.get(gate.httpPort(), "/debug/twopc");
        assertTrue(pending.contains("\"state\":\"COMMIT\"") && pending.contains("\"kept_by\":\"commerce/-80\""),
                "vtgate's /debug/twopc shows the decided transaction: " + pending);

        tablet(102, "80-", high);
        awaitStates(10, "low prepared=0 records=0", "high prepared=0 records=0", Duration.ofSeconds(40));
        assertTrue(Files.readString(gate.daemon().log).contains("committed abandoned atomic transaction"));
        gate.daemon().terminate();
    }

    @Test
    void aVtgateKilledBetweenPrepareAndCommitIsResolvedByAnotherVtgate() throws Exception {
        Gate beforeDecision = vtgate("vtgate-halt-prepare", "after-prepare:halt");
        assertThrows(SQLException.class, () -> writeBothShardsAndCommit(beforeDecision, 20));
        assertTrue(beforeDecision.daemon().process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, beforeDecision.daemon().process.exitValue(), "halted as by kill -9");
        assertEquals("none prepared=1 records=1", state(low, 20), "prepared, undecided");
        assertEquals("none prepared=1 records=0", state(high, 20));

        Gate afterDecision = vtgate("vtgate-halt-decision", "after-decision:halt");
        assertThrows(SQLException.class, () -> writeBothShardsAndCommit(afterDecision, 30));
        assertTrue(afterDecision.daemon().process.waitFor(30, TimeUnit.SECONDS));
        assertTrue(state(low, 30).startsWith("none prepared=") && !state(low, 30).startsWith("none prepared=0"),
                "decided, not committed: " + state(low, 30));
        assertTrue(state(high, 30).startsWith("none prepared=") && !state(high, 30).startsWith("none prepared=0"),
                "decided, not committed: " + state(high, 30));

        Gate resolver = vtgate("vtgate-resolver", "");
        awaitStates(20, "none prepared=0 records=0", "none prepared=0 records=0", Duration.ofSeconds(40));
        awaitStates(30, "low prepared=0 records=0", "high prepared=0 records=0", Duration.ofSeconds(40));
        String log = Files.readString(resolver.daemon().log);
        assertTrue(log.contains("rolled back abandoned atomic transaction") || Files.readString(
                afterDecision.daemon().log).contains("rolled back abandoned atomic transaction"), log);
        resolver.daemon().terminate();
    }
}
