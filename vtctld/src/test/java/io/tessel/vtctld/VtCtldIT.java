package io.tessel.vtctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The vtctld daemon as a separate process: its HTTP port answers /healthz, /readyz and /metrics after admin calls. */
@Timeout(60)
class VtCtldIT {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesHealthReadinessAndMetricsOfItsAdminCalls() throws Exception {
        int grpcPort = freePort();
        int httpPort = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), VtCtld.class.getName(), "--topo-implementation=memory",
                "--grpc-port=" + grpcPort, "--http-port=" + httpPort).redirectErrorStream(true).start();
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    if (line.contains("vtctld: started")) {
                        started.complete(null);
                    }
                }
                started.completeExceptionally(new AssertionError("vtctld exited:\n" + String.join("\n", output)));
            } catch (java.io.IOException e) {
                started.completeExceptionally(e);
            }
        });
        String base = "http://127.0.0.1:" + httpPort;
        try (HttpClient http = HttpClient.newHttpClient()) {
            started.get(30, TimeUnit.SECONDS);
            assertEquals("200 ok\n", get(http, base + "/healthz"));
            assertEquals("200 ok\n", get(http, base + "/readyz"));
            String server = "127.0.0.1:" + grpcPort;
            assertEquals(0, vtctl("--server", server, "CreateKeyspace", "commerce"));
            assertEquals(1, vtctl("--server", server, "CreateKeyspace", "commerce"));
            assertEquals(0, vtctl("--server", server, "GetKeyspaces"));

            String metrics = get(http, base + "/metrics");
            assertTrue(metrics.startsWith("200 "), metrics);
            assertEquals(1, sample(metrics, "vtctld_request_duration_seconds_count{code=\"OK\",method=\"CreateKeyspace\"}"));
            assertEquals(1, sample(metrics,
                    "vtctld_request_duration_seconds_count{code=\"ALREADY_EXISTS\",method=\"CreateKeyspace\"}"));
            assertEquals(1, sample(metrics, "vtctld_request_duration_seconds_count{code=\"OK\",method=\"GetKeyspaces\"}"));
            assertTrue(sample(metrics, "process_uptime_seconds") > 0, metrics);
            assertTrue(sample(metrics, "jvm_threads_live_threads") > 0, metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes{area=\"heap\""), metrics);

            p.toHandle().destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped after SIGTERM");
            reader.join(10_000);
            assertTrue(String.join("\n", output).contains("vtctld: shutting down"), String.join("\n", output));
        } finally {
            p.destroyForcibly();
        }
    }

    private static int vtctl(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return Vtctl.run(args, new PrintStream(sink, true, StandardCharsets.UTF_8),
                new PrintStream(sink, true, StandardCharsets.UTF_8));
    }

    /** The value of one sample line of Prometheus text, e.g. {@code name{labels} 1.0}. */
    static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), series + " missing from\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
