package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Vschema;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.topo.etcd.EtcdProcess;
import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart under load, each daemon its own process started by its bin/ script: etcd, two MariaDBs,
 * a vttablet per shard of a hash-sharded keyspace (-80, 80-) and two vtgates. Client threads ({@link ClientLoop})
 * write and read through both vtgates with plain JDBC while each vtgate and then each vttablet gets SIGTERM and
 * is started again, one after the other. The clients retry only on errno 1053 (a vtgate in lame duck); they
 * see no other error: vtgate drains (lame duck) and buffers the calls of a shard whose tablet restarts. The
 * loop makes progress during every restart, and at the end every row a client saw written is there.
 */
@Timeout(300)
class RollingRestartIT {
    private static final int CLIENT_THREADS = 6;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path logs;
    private Map<String, String> env;

    /** A daemon with the ports it was started on. */
    private record Node(Daemon daemon, int port, int httpPort) {}

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void clientsSeeNoFailureWhileEveryDaemonRestartsInTurn() throws Exception {
        long t0 = System.nanoTime();
        logs = Files.createTempDirectory("tessel-rolling");
        try {
            EtcdProcess etcd = EtcdProcess.start();
            resources.add(etcd);
            env = Map.of("TOPO_GLOBAL_SERVER_ADDRESS", etcd.endpoint());
            Mysqld m1 = mysql();
            Mysqld m2 = mysql();
            createKeyspace(etcd.endpoint());
            Node[] tablets = {tablet(101, "-80", m1), tablet(201, "80-", m2)};
            Node[] gates = {vtgate("vtgate-a"), vtgate("vtgate-b")};
            for (Node g : gates) {
                awaitReady(g);
            }
            try (ClientLoop clients = new ClientLoop()) {
                for (Node g : gates) {
                    clients.rotation.add(g.port());
                }
                clients.start(CLIENT_THREADS);
                awaitOperations(clients, 200);
                List<String> phases = new ArrayList<>();
                for (int i = 0; i < gates.length; i++) {
                    gates[i] = restartVtgate(clients, gates[i], phases);
                }
                tablets[0] = restartTablet(clients, tablets[0], 101, "-80", m1, gates, phases);
                tablets[1] = restartTablet(clients, tablets[1], 201, "80-", m2, gates, phases);
                awaitOperations(clients, clients.operations.sum() + 200);
                clients.close();
                assertEquals(List.of(), clients.failures, "the clients saw no error but the retryable 1053");
                assertEquals(clients.written, rows(m1, m2), "every row a client saw written is there, and no other");
                double buffered = 0;
                double resent = 0;
                for (Node g : gates) {
                    String metrics = Http.get(g.httpPort(), "/metrics");
                    buffered += Http.sum(metrics, "vtgate_buffer_requests_buffered_total");
                    resent += Http.sum(metrics, "vtgate_buffer_requests_retried_total");
                }
                assertTrue(buffered > 0, "the tablet restarts were bridged by vtgate's buffer");
                System.out.printf("RollingRestartIT: %.1f s, %d operations, %d rows, %d client retries on 1053; the "
                                + "new vtgates buffered %.0f calls and sent %.0f refused ones again; phases: %s%n",
                        (System.nanoTime() - t0) / 1e9, clients.operations.sum(), clients.written.size(),
                        clients.retries.sum(), buffered, resent, phases);
            }
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    private Mysqld mysql() throws Exception {
        Mysqld m = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
        resources.add(m);
        try (Connection c = DriverManager.getConnection(m.jdbcUrl("commerce"), m.user(), m.password())) {
            c.createStatement().execute("create table t (id bigint primary key, v bigint)");
        }
        return m;
    }

    /** The keyspace, its two shards and its VSchema (t sharded by hash of id), before any tablet starts. */
    private static void createKeyspace(String endpoint) {
        try (Topo topo = TopoBackend.ETCD2.open(endpoint, Topo.DEFAULT_GLOBAL_ROOT, List.of())) {
            topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(endpoint).setRoot("/vitess/zone1").build());
            topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
            topo.createShard("commerce", "-80");
            topo.createShard("commerce", "80-");
            topo.saveVSchema("commerce", Vschema.Keyspace.newBuilder().setSharded(true)
                    .putVindexes("hash", Vschema.Vindex.newBuilder().setType("hash").build())
                    .putTables("t", Vschema.Table.newBuilder().addColumnVindexes(
                            Vschema.ColumnVindex.newBuilder().setColumn("id").setName("hash")).build())
                    .build());
            topo.rebuildVSchemaGraph(List.of("zone1"));
        }
    }

    private Node tablet(int uid, String shard, Mysqld mysql) throws Exception {
        int http = freePort();
        Daemon d = Daemon.start("vttablet-" + uid + "-" + System.nanoTime(), logs, env, "vttablet",
                "--tablet-alias", "zone1-" + uid, "--keyspace", "commerce", "--shard", shard,
                "--mysql-port", Integer.toString(mysql.port()), "--grpc-port", Integer.toString(freePort()),
                "--http-port", Integer.toString(http), "--topo-implementation", "etcd2",
                "--shutdown-grace-period", "5s");
        resources.add(d);
        d.awaitLog("registered in the topology", Duration.ofSeconds(60));
        return new Node(d, 0, http);
    }

    /** A vtgate with a short lame duck, and a buffer window wide enough for a tablet's JVM to restart. */
    private Node vtgate(String name) throws Exception {
        int port = freePort();
        int http = freePort();
        Daemon d = Daemon.start(name + "-" + System.nanoTime(), logs, env, "vtgate", "--port", Integer.toString(port),
                "--http-port", Integer.toString(http), "--lameduck-period", "10s", "--buffer-window", "30s",
                "--buffer-max-failover-duration", "60s");
        resources.add(d);
        d.awaitLog("MySQL protocol listening", Duration.ofSeconds(60));
        return new Node(d, port, http);
    }

    /**
     * Takes the vtgate out of rotation (a Service drops a terminating pod's endpoint, the preStop sleep's
     * job), sends SIGTERM, waits for it to drain and exit, starts a new one on new ports and puts it in rotation
     * once ready. Connections the clients hold to the old one get 1053 on their next statement and move on.
     */
    private Node restartVtgate(ClientLoop clients, Node old, List<String> phases) throws Exception {
        clients.rotation.remove(Integer.valueOf(old.port()));
        long ops = clients.operations.sum();
        long retries = clients.retries.sum();
        long start = System.nanoTime();
        old.daemon().terminate();
        assertTrue(Files.readString(old.daemon().log).contains("vtgate: stopped"), "vtgate drained and stopped");
        Node next = vtgate("vtgate");
        awaitReady(next);
        clients.rotation.add(next.port());
        phases.add(phase("vtgate", clients, ops, retries, start));
        awaitOperations(clients, clients.operations.sum() + 50);
        return next;
    }

    /**
     * SIGTERM to a tablet: it says "not serving", drains and exits; a new one starts on new ports. Both vtgates
     * buffer the shard's calls meanwhile, and stay ready; the phase ends when both see the new tablet serving.
     */
    private Node restartTablet(ClientLoop clients, Node old, int uid, String shard, Mysqld mysql, Node[] gates,
                               List<String> phases) throws Exception {
        long ops = clients.operations.sum();
        long retries = clients.retries.sum();
        long start = System.nanoTime();
        old.daemon().terminate();
        assertTrue(Files.readString(old.daemon().log).contains("shutting down"), "the tablet stopped gracefully");
        for (Node g : gates) { // buffering: vtgate stays in its Service while the tablet is away
            assertEquals("200 ok\n", Http.get(g.httpPort(), "/readyz"));
        }
        Node next = tablet(uid, shard, mysql);
        awaitReady(next);
        for (Node g : gates) {
            awaitServingTablets(g, 2);
        }
        phases.add(phase("vttablet " + shard, clients, ops, retries, start));
        awaitOperations(clients, clients.operations.sum() + 50);
        return next;
    }

    private static String phase(String name, ClientLoop clients, long ops, long retries, long start) {
        long during = clients.operations.sum() - ops;
        assertTrue(during > 0, "the clients made progress while " + name + " restarted");
        return String.format("%s %.1f s: %d operations, %d retries", name, (System.nanoTime() - start) / 1e9, during,
                clients.retries.sum() - retries);
    }

    private static void awaitReady(Node node) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                if (Http.get(node.httpPort(), "/readyz").startsWith("200 ")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(node.daemon().process.isAlive(), node.daemon().name + " died before it was ready");
            assertTrue(System.nanoTime() - deadline < 0, node.daemon().name + " not ready within 60 s");
            Thread.sleep(50); // readiness comes on the daemon's own schedule
        }
    }

    /** Waits until the vtgate's health check has {@code count} serving tablets. */
    private static void awaitServingTablets(Node gate, int count) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Http.sample(Http.get(gate.httpPort(), "/metrics"), "vtgate_tablets{serving=\"true\"}") != count) {
            assertTrue(System.nanoTime() - deadline < 0, gate.daemon().name + " never saw " + count + " serving tablets");
            Thread.sleep(50); // the health stream reports on its own schedule
        }
    }

    /** Waits until the clients completed {@code count} operations in all; fails early on a client failure. */
    private static void awaitOperations(ClientLoop clients, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (clients.operations.sum() < count) {
            assertEquals(List.of(), List.copyOf(clients.failures), "client failures");
            assertTrue(System.nanoTime() - deadline < 0, "the clients stalled at " + clients.operations.sum());
            Thread.sleep(20); // the client threads run on their own
        }
    }

    /** Every row of t in both shards' MariaDBs, read directly. */
    private static Map<Long, Long> rows(Mysqld... dbs) throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        for (Mysqld m : dbs) {
            try (Connection c = DriverManager.getConnection(m.jdbcUrl("commerce"), m.user(), m.password());
                 ResultSet rs = c.createStatement().executeQuery("select id, v from t")) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return rows;
    }
}
