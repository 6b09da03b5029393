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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The separate-daemon cluster, each piece its own process started by its bin/ script: etcd, two MariaDBs,
 * vtctld, two vttablets (shards -80 and 80-) and vtgate. The keyspace and shards are created through
 * bin/vtctl; queries go through vtgate. Then the failures operators meet: a tablet killed with SIGKILL
 * (clear error naming the shard, no hang, back after a restart without restarting vtgate), a graceful
 * tablet stop (seen within a second), and etcd down for a minute (vtgate keeps serving, and picks up
 * changes when etcd is back).
 */
@Timeout(300)
class SeparateDaemonsIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String query(int vtgatePort, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + vtgatePort + "/" + database
                + "?user=root&useSSL=false&connectTimeout=5000&socketTimeout=10000");
             var st = c.createStatement()) {
            if (!st.execute(sql)) {
                return "updated " + st.getUpdateCount();
            }
            var rs = st.getResultSet();
            rs.next();
            return rs.getString(1);
        }
    }

    private Daemon tablet(Path logs, Map<String, String> env, int uid, String shard, Mysqld mysql) throws Exception {
        Daemon d = Daemon.start("vttablet-" + uid + "-" + System.nanoTime(), logs, env, "vttablet",
                "--tablet-alias", "zone1-" + uid, "--keyspace", "commerce", "--shard", shard,
                "--mysql-port", Integer.toString(mysql.port()), "--grpc-port", Integer.toString(freePort()),
                "--topo-implementation", "etcd2");
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
            Daemon vtctld = Daemon.start("vtctld", logs, env, "vtctld", "--grpc-port", Integer.toString(vtctldPort));
            resources.add(vtctld);
            vtctld.awaitLog("listening", Duration.ofSeconds(60));
            String server = "127.0.0.1:" + vtctldPort;
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateKeyspace", "commerce").startsWith("exit 0"));
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/-80").startsWith("exit 0"));
            assertTrue(Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/80-").startsWith("exit 0"));
            String bad = Daemon.run(env, "vtctl", "--server", server, "CreateShard", "commerce/8-x");
            assertTrue(bad.startsWith("exit 1") && bad.contains("INVALID_ARGUMENT"), bad);

            Daemon t1 = tablet(logs, env, 101, "-80", m1);
            Daemon t2 = tablet(logs, env, 102, "80-", m2);
            int vtgatePort = freePort();
            Daemon vtgate = Daemon.start("vtgate", logs, env, "vtgate", "--port", Integer.toString(vtgatePort));
            resources.add(vtgate);
            vtgate.awaitLog("MySQL protocol listening", Duration.ofSeconds(60));

            assertEquals("updated 1", query(vtgatePort, "commerce:-80", "insert into t values (1, 'low')"));
            assertEquals("updated 1", query(vtgatePort, "commerce:80-", "insert into t values (2, 'high')"));
            assertEquals("low", query(vtgatePort, "commerce:-80", "select v from t"));
            assertEquals("high", query(vtgatePort, "commerce:80-", "select v from t"));

            // SIGKILL: the shard fails fast and by name; the other shard is untouched.
            t1.kill();
            long t0 = System.nanoTime();
            SQLException down = assertThrows(SQLException.class, () -> awaitFailure(vtgatePort, "commerce:-80"));
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "routing stops within the lease time");
            assertTrue(down.getMessage().contains("commerce/-80"), down.getMessage());
            assertEquals("high", query(vtgatePort, "commerce:80-", "select v from t"));
            try (Topo topo = TopoBackend.ETCD2.open(etcd.endpoint(), Topo.DEFAULT_GLOBAL_ROOT, List.of())) {
                TabletAlias dead = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (topo.hasTabletHealth(dead)) {
                    assertTrue(System.nanoTime() < deadline, "the killed tablet's health record expires with its lease");
                    Thread.sleep(200); // etcd expires the lease on its own clock
                }
            }
            tablet(logs, env, 101, "-80", m1); // a restart on a new port; vtgate is not restarted
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
            tablet(logs, env, 102, "80-", m2);
            awaitAnswer(vtgatePort, "commerce:80-", "select v from t", "high", Duration.ofSeconds(30));
            assertTrue(Files.readString(vtgate.log).contains("topology reachable again"));
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    /** Queries until vtgate refuses (the kill is seen); throws that error. */
    private static void awaitFailure(int port, String db) throws SQLException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            query(port, db, "select v from t");
            Thread.sleep(50); // until the broken health stream is noticed
        }
    }
}
