package io.tessel.vttablet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.server.Rows;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The vttablet daemon as a separate process: configured by environment, serves gRPC, stops on SIGTERM. */
@Timeout(60) // a hang fails the test instead of the build
class VtTabletIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    @Test
    void daemonServesQueriesAndStopsOnSigterm() throws Exception {
        db.createDatabase("vtt_daemon");
        int grpcPort;
        try (ServerSocket s = new ServerSocket(0)) {
            grpcPort = s.getLocalPort();
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), VtTablet.class.getName(), "--grpc-port=" + grpcPort)
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("TABLET_ALIAS", "zone1-200", "KEYSPACE", "daemon",
                "DB_NAME", "vtt_daemon", "MYSQL_HOST", db.host(), "MYSQL_PORT", Integer.toString(db.port()),
                "MYSQL_USER", db.user(), "MYSQL_PASSWORD", db.password()));
        Process p = pb.start();
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(p, output, started));
        try {
            started.get(60, TimeUnit.SECONDS);
            try (GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", grpcPort))) {
                QueryResult r = client.execute(ExecuteRequest.newBuilder()
                        .setQuery(BoundQuery.newBuilder().setSql("select database(), @@port")).build()).getResult();
                assertEquals(List.of("vtt_daemon", Integer.toString(db.port())), Rows.text(r.getRows(0)));
            }
            p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped after SIGTERM");
            reader.join(10_000); // the last lines are read once the process has closed its output
            String log = "exit " + p.exitValue() + "\n" + String.join("\n", output);
            assertTrue(log.contains("vttablet zone1-200 daemon/0: shutting down"), log);
            assertTrue(log.contains("vttablet zone1-200 daemon/0: closed"), log);
        } finally {
            p.destroyForcibly();
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
