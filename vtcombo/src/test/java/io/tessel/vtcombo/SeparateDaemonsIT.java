package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.topo.etcd.EtcdProcess;
import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The separate-daemon cluster, each piece its own process started by its bin/ script: etcd, two MariaDBs,
 * vtctld, two vttablets (shards -80 and 80-) and vtgate. The keyspace and shards are created through
 * bin/vtctl; queries go through vtgate. Then the failures operators meet: a tablet killed with SIGKILL
 * (clear error naming the shard, no hang, back after a restart without restarting vtgate), a graceful
 * tablet stop (seen within a second), and etcd down for a minute (vtgate keeps serving, and picks up
 * changes when etcd is back). Every daemon's HTTP port answers health, readiness and its meters, and
 * vtgate's SIGTERM drains in lame duck: new connections get errno 1053 while an open transaction commits.
 */
@Timeout(300)
class SeparateDaemonsIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String url(int vtgatePort, String database) {
        return "jdbc:mysql://127.0.0.1:" + vtgatePort + "/" + database
                + "?user=root&useSSL=false&connectTimeout=5000&socketTimeout=10000";
    }

    private static String query(int vtgatePort, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(vtgatePort, database));
             var st = c.createStatement()) {
            if (!st.execute(sql)) {
                return "updated " + st.getUpdateCount();
            }
            var rs = st.getResultSet();
            rs.next();
            return rs.getString(1);
        }
    }

    private Daemon tablet(Path logs, Map<String, String> env, int uid, String shard, Mysqld mysql, int httpPort)
            throws Exception {
        Daemon d = Daemon.start("vttablet-" + uid + "-" + System.nanoTime(), logs, env, "vttablet",
                "--tablet-alias", "zone1-" + uid, "--keyspace", "commerce", "--shard", shard,
                "--mysql-port", Integer.toString(mysql.port()), "--grpc-port", Integer.toString(freePort()),
                "--http-port", Integer.toString(httpPort), "--topo-implementation", "etcd2");
        resources.add(d);
        d.awaitLog("registered in the topology", Duration.ofSeconds(60));
        return d;
    }

    private static void awaitAnswer(int port, String db, String sql, String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertEquals(expected, query(port, db, sql));
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // the tablet is coming back; poll
            }
        }
    }

    @Test
    void clusterOfSeparateDaemons() throws Exception {
        Path logs = Files.createTempDirectory("tessel-daemons");
        try {
            EtcdProcess etcd = EtcdProcess.start();
            resources.add(etcd);
            Mysqld m1 = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
            resources.add(m1);
            Mysqld m2 = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
            resources.add(m2);
            for (Mysqld m : List.of(m1, m2)) {
                try (Connection c = DriverManager.getConnection(m.jdbcUrl("commerce"), m.user(), m.password())) {
                    c.createStatement().execute("create table t (id int primary key, v varchar(10))");
                }
            }
            Map<String, String> env = Map.of("TOPO_GLOBAL_SERVER_ADDRESS", etcd.endpoint());
            int vtctldPort = freePort();
            int vtctldHttp = freePort();
            Daemon vtctld = Daemon.start("vtctld", logs, env, "vtctld", "--grpc-port", Integer.toString(vtctldPort),
                    "--http-port", Integer.toString(vtctldHttp));
            resources.add(vtctld);
            vtctld.awaitLog("listening", Duration.ofSeconds(60));
            String server = "127.0.0.1:" + vtctldPort;
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateKeyspace", "commerce").startsWith("exit 0"));
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/-80").startsWith("exit 0"));
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/80-").startsWith("exit 0"));
            String bad = Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/8-x");
            assertTrue(bad.startsWith("exit 1") && bad.contains("INVALID_ARGUMENT"), bad);

            int t1Http = freePort();
            Daemon t1 = tablet(logs, env, 101, "-80", m1, t1Http);
            Daemon t2 = tablet(logs, env, 102, "80-", m2, freePort());
            int vtgatePort = freePort();
            int vtgateHttp = freePort();
            // Without buffering: this test checks the errors a client sees at once when a shard is down
            // (RollingRestartIT covers buffering, which would hold these calls for --buffer-window first).
            Daemon vtgate = Daemon.start("vtgate", logs, env, "vtgate", "--port", Integer.toString(vtgatePort),
                    "--http-port", Integer.toString(vtgateHttp), "--enable-buffer=false");
            resources.add(vtgate);
            vtgate.awaitLog("MySQL protocol listening", Duration.ofSeconds(60));

            assertEquals("updated 1", query(vtgatePort, "commerce:-80", "insert into t values (1, 'low')"));
            assertEquals("updated 1", query(vtgatePort, "commerce:80-", "insert into t values (2, 'high')"));
            assertEquals("low", query(vtgatePort, "commerce:-80", "select v from t"));
            assertEquals("high", query(vtgatePort, "commerce:80-", "select v from t"));
            scrapeEveryDaemon(vtgateHttp, t1Http, vtctldHttp);

            // SIGKILL: the shard fails fast and by name; the other shard is untouched.
            t1.kill();
            long t0 = System.nanoTime();
            SQLException down = assertThrows(SQLException.class, () -> awaitFailure(vtgatePort, "commerce:-80"));
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "routing stops within the lease time");
            assertTrue(down.getMessage().contains("commerce/-80"), down.getMessage());
            assertEquals("high", query(vtgatePort, "commerce:80-", "select v from t"));
            assertEquals("503 no serving primary tablet for commerce/-80\n", Http.get(vtgateHttp, "/readyz"));
            try (Topo topo = TopoBackend.ETCD2.open(etcd.endpoint(), Topo.DEFAULT_GLOBAL_ROOT, List.of())) {
                TabletAlias dead = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (topo.hasTabletHealth(dead)) {
                    assertTrue(System.nanoTime() < deadline, "the killed tablet's health record expires with its lease");
                    Thread.sleep(200); // etcd expires the lease on its own clock
                }
            }
            tablet(logs, env, 101, "-80", m1, freePort()); // a restart on a new port; vtgate is not restarted
            awaitAnswer(vtgatePort, "commerce:-80", "select v from t", "low", Duration.ofSeconds(30));

            // Graceful stop: vtgate knows within a second.
            t2.terminate();
            SQLException stopped = assertThrows(SQLException.class,
                    () -> query(vtgatePort, "commerce:80-", "select v from t"));
            assertTrue(stopped.getMessage().contains("commerce/80-"), stopped.getMessage());

            // etcd down: vtgate answers from its last known state for a minute.
            etcd.stop();
            for (int i = 0; i < 12; i++) {
                assertEquals("low", query(vtgatePort, "commerce:-80", "select v from t"));
                Thread.sleep(5_000); // the outage must last a minute
            }
            etcd.restart();
            tablet(logs, env, 102, "80-", m2, freePort());
            awaitAnswer(vtgatePort, "commerce:80-", "select v from t", "high", Duration.ofSeconds(30));
            // the outage outlasted 101's health-record lease: vtgate routes to it again once the tablet has
            // published the record anew, on its own schedule
            awaitAnswer(vtgatePort, "commerce:-80", "select v from t", "low", Duration.ofSeconds(30));
            assertTrue(Files.readString(vtgate.log).contains("topology reachable again"));

            // SIGTERM to vtgate with a transaction open: lame duck refuses new connections until it commits.
            Connection tx = DriverManager.getConnection(url(vtgatePort, "commerce:-80"));
            tx.setAutoCommit(false);
            tx.createStatement().execute("insert into t values (3, 'drained')");
            vtgate.process.toHandle().destroy();
            awaitReadyz(vtgateHttp, "503 lame duck: shutting down\n");
            SQLException refused = assertThrows(SQLException.class, () -> query(vtgatePort, "commerce:-80", "select 1"));
            assertEquals(1053, refused.getErrorCode(), refused.toString());
            tx.commit();
            closeQuietly(tx); // lame duck lasts until the last client has left (or the period ends)
            assertTrue(vtgate.process.waitFor(30, TimeUnit.SECONDS), "vtgate exits once the transaction committed");
            assertTrue(Files.readString(vtgate.log).contains("vtgate: stopped"), Files.readString(vtgate.log));
            try (Connection direct = DriverManager.getConnection(m1.jdbcUrl("commerce"), m1.user(), m1.password());
                 var rs = direct.createStatement().executeQuery("select v from t where id = 3")) {
                assertTrue(rs.next());
                assertEquals("drained", rs.getString(1), "committed during the drain");
            }
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    /** Polls /readyz until it answers {@code expected}: the signal reaches the daemon on its own schedule. */
    private static void awaitReadyz(int httpPort, String expected) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Http.get(httpPort, "/readyz").equals(expected)) {
            assertTrue(System.nanoTime() - deadline < 0, "/readyz never answered " + expected);
            Thread.sleep(20);
        }
    }

    /** Closing in lame duck: the driver's closing ROLLBACK may find the connection already closed by vtgate. */
    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // vtgate closed it after the drain
        }
    }

    /** Each daemon's HTTP port after the first queries: health, readiness and its own meters. */
    private static void scrapeEveryDaemon(int vtgateHttp, int tabletHttp, int vtctldHttp) throws Exception {
        for (int port : new int[] {vtgateHttp, tabletHttp, vtctldHttp}) {
            assertEquals("200 ok\n", Http.get(port, "/healthz"));
            assertEquals("200 ok\n", Http.get(port, "/readyz"));
        }
        String vtgate = Http.get(vtgateHttp, "/metrics");
        // two inserts and two selects, each sent as written to the shard its target names
        assertEquals(4, Http.sample(vtgate,
                "vtgate_queries_total{keyspace=\"commerce\",plan_type=\"Route.ByDestination\",tablet_type=\"primary\"}"));
        assertEquals(4, Http.sample(vtgate, "vtgate_query_duration_seconds_count{plan_type=\"Route.ByDestination\"}"));
        assertEquals(2, Http.sample(vtgate, "vtgate_tablets{serving=\"true\"}"));
        assertEquals(1, Http.sample(vtgate, "vtgate_topology_reachable"));
        String tablet = Http.get(tabletHttp, "/metrics");
        assertTrue(Http.sample(tablet, // the insert, the select, and what the drivers' session set-up sends on
                "vttablet_request_duration_seconds_count{keyspace=\"commerce\",method=\"Execute\",shard=\"-80\"}") >= 2);
        assertEquals(1, Http.sample(tablet, "vttablet_serving{keyspace=\"commerce\",shard=\"-80\"}"));
        assertTrue(tablet.contains("hikaricp_connections_active{pool=\"vttablet zone1-101 commerce/-80 query\"}"), tablet);
        assertTrue(Http.get(tabletHttp, "/debug/vars").contains("\"vttablet_consolidations_total\": 0"));
        String vtctld = Http.get(vtctldHttp, "/metrics");
        assertEquals(2, Http.sample(vtctld, "vtctld_request_duration_seconds_count{code=\"OK\",method=\"CreateShard\"}"));
        assertEquals(1, Http.sample(vtctld,
                "vtctld_request_duration_seconds_count{code=\"INVALID_ARGUMENT\",method=\"CreateShard\"}"));
        assertTrue(Http.sample(vtctld, "process_uptime_seconds") > 0);
    }

    /** Queries until vtgate refuses (the kill is seen); throws that error. */
    private static void awaitFailure(int port, String db) throws SQLException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            query(port, db, "select v from t");
            Thread.sleep(50); // until the broken health stream is noticed
        }
    }
}
