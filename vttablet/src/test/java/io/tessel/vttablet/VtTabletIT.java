package io.tessel.vttablet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.server.Rows;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The vttablet daemon as a separate process: configured by environment, serves gRPC and its HTTP port
 * (/healthz, /readyz, /metrics, debug pages), and on SIGTERM turns unready at once, refuses new work, lets
 * an open transaction commit, then exits.
 */
@Timeout(90) // a hang fails the test instead of the build
class VtTabletIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    /** A started daemon process and the lines it printed. */
    private record Daemon(Process process, ConcurrentLinkedQueue<String> output, Thread reader) {
        String log() {
            return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\n" + String.join("\n", output);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Daemon start(String alias, String dbName, String... flags) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), VtTablet.class.getName()));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("TABLET_ALIAS", alias, "KEYSPACE", "daemon",
                "DB_NAME", dbName, "MYSQL_HOST", db.host(), "MYSQL_PORT", Integer.toString(db.port()),
                "MYSQL_USER", db.user(), "MYSQL_PASSWORD", db.password()));
        Process p = pb.start();
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(p, output, started));
        try {
            started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return new Daemon(p, output, reader);
    }

    private static String stopAndLog(Daemon d) throws InterruptedException {
        assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "stopped after SIGTERM");
        d.reader().join(10_000); // the last lines are read once the process has closed its output
        return d.log();
    }

    @Test
    void daemonServesQueriesAndStopsOnSigterm() throws Exception {
        db.createDatabase("vtt_daemon");
        int grpcPort = freePort();
        Daemon d = start("zone1-200", "vtt_daemon", "--grpc-port=" + grpcPort, "--http-port=0");
        try {
            try (GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", grpcPort))) {
                QueryResult r = client.execute(ExecuteRequest.newBuilder()
                        .setQuery(BoundQuery.newBuilder().setSql("select database(), @@port")).build()).getResult();
                assertEquals(List.of("vtt_daemon", Integer.toString(db.port())), Rows.text(r.getRows(0)));
            }
            d.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            String log = stopAndLog(d);
            assertTrue(log.contains("vttablet zone1-200 daemon/0: shutting down"), log);
            assertTrue(log.contains("vttablet zone1-200 daemon/0: closed"), log);
            assertTrue(!log.contains("HTTP on"), "--http-port=0 starts no HTTP server");
        } finally {
            d.process().destroyForcibly();
        }
    }

    @Test
    void httpEndpointsAndGracefulDrainOfAnOpenTransaction() throws Exception {
        db.createDatabase("vtt_drain");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("vtt_drain"))) {
            c.createStatement().execute("create table t (id int primary key)");
        }
        int grpcPort = freePort();
        int httpPort = freePort();
        Daemon d = start("zone1-201", "vtt_drain", "--grpc-port=" + grpcPort, "--http-port=" + httpPort);
        String base = "http://127.0.0.1:" + httpPort;
        try (HttpClient http = HttpClient.newHttpClient();
             GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", grpcPort))) {
            assertEquals("200 ok\n", get(http, base + "/healthz"));
            assertEquals("200 ok\n", get(http, base + "/readyz"));
            for (int i = 0; i < 3; i++) {
                client.execute(execute("select " + i, 0));
            }
            String metrics = get(http, base + "/metrics");
            assertTrue(metrics.startsWith("200 "), metrics);
            assertTrue(metrics.contains("vttablet_request_duration_seconds_count{keyspace=\"daemon\",method=\"Execute\","
                    + "shard=\"0\"} 3"), metrics);
            assertTrue(metrics.contains("vttablet_serving{keyspace=\"daemon\",shard=\"0\"} 1.0"), metrics);
            assertTrue(metrics.contains("vttablet_consolidations_total{keyspace=\"daemon\",shard=\"0\"} 0.0"), metrics);
            assertTrue(metrics.contains("hikaricp_connections_active{pool=\"vttablet zone1-201 daemon/0 query\"}"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes{"), metrics);
            assertTrue(get(http, base + "/debug/vars").contains("\"vttablet_pool_timeouts_total{pool=\\\"query\\\"}\": 0"));

            long tx = client.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            client.execute(execute("insert into t values (1)", tx));
            d.process().toHandle().destroy(); // SIGTERM: the open transaction holds the exit
            awaitNotReady(http, base);
            assertEquals("503 shutting down\n", get(http, base + "/readyz"));
            assertEquals("200 ok\n", get(http, base + "/healthz"), "alive while draining");
            VtException refused = assertThrows(VtException.class, () -> client.execute(execute("select 1", 0)));
            assertEquals(ErrorCode.CLUSTER_EVENT, refused.code(), "vtgate may send it elsewhere: " + refused.getMessage());
            client.execute(execute("insert into t values (2)", tx));
            client.commit(CommitRequest.newBuilder().setTransactionId(tx).build());

            String log = stopAndLog(d);
            assertTrue(log.contains("daemon/0: closed"), log);
            assertTrue(!log.contains("still open after"), "the drain ended with the commit, not the grace period:\n" + log);
        } finally {
            d.process().destroyForcibly();
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("vtt_drain"));
             ResultSet rs = c.createStatement().executeQuery("select count(*) from t")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "the transaction committed during the drain");
        }
    }

    private static ExecuteRequest execute(String sql, long transactionId) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).setTransactionId(transactionId)
                .build();
    }

    /** Status and body, e.g. {@code 200 ok\n}. */
    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /** Polls /readyz until the signal has reached the daemon. */
    private static void awaitNotReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (get(http, base + "/readyz").startsWith("200")) {
            assertTrue(System.nanoTime() - deadline < 0, "/readyz still 200 20 s after SIGTERM");
            Thread.sleep(20); // the JVM runs shutdown hooks on its own schedule
        }
    }

    private static void readLines(Process p, ConcurrentLinkedQueue<String> output, CompletableFuture<Void> started) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.add(line);
                if (line.contains(": started, TabletConfig")) {
                    started.complete(null);
                }
            }
            started.completeExceptionally(new AssertionError("vttablet exited:\n" + String.join("\n", output)));
        } catch (java.io.IOException e) {
            started.completeExceptionally(e);
        }
    }
}
