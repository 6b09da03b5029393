package io.tessel.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.tessel.common.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DaemonHttpServerTest {
    @Test
    void servesHealthReadinessMetricsAndPages() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>("MySQL is not reachable");
        Readiness readiness = new Readiness(() -> Optional.ofNullable(problem.get()));
        try (Metrics metrics = Metrics.prometheus();
             DaemonHttpServer server = DaemonHttpServer.start("127.0.0.1", 0, readiness, metrics, "test");
             HttpClient http = HttpClient.newHttpClient()) {
            Counter.builder("test.requests").description("requests").register(metrics.registry()).increment(3);
            server.addPage("/debug/vars", "application/json; charset=utf-8", () -> "{\"a\": 1}\n");
            String base = "http://127.0.0.1:" + server.port();

            assertResponse(200, "ok\n", get(http, base + "/healthz"));
            assertResponse(503, "MySQL is not reachable\n", get(http, base + "/readyz"));
            problem.set(null);
            assertResponse(200, "ok\n", get(http, base + "/readyz"));
            readiness.drain("shutting down");
            assertResponse(503, "shutting down\n", get(http, base + "/readyz"));
            assertResponse(200, "ok\n", get(http, base + "/healthz"));

            HttpResponse<String> scrape = get(http, base + "/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(scrape.body().contains("test_requests_total 3.0"), scrape.body());
            assertTrue(scrape.body().contains("jvm_memory_used_bytes{"), "JVM meters are bound");

            HttpResponse<String> vars = get(http, base + "/debug/vars");
            assertResponse(200, "{\"a\": 1}\n", vars);
            assertEquals("application/json; charset=utf-8", vars.headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, get(http, base + "/healthz/x").statusCode(), "paths match exactly");
            assertEquals(404, get(http, base + "/readyz/x").statusCode());
            assertEquals(404, get(http, base + "/").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aFailingPageIsAServerError() throws Exception {
        try (Metrics metrics = Metrics.none();
             DaemonHttpServer server = DaemonHttpServer.start("127.0.0.1", 0, new Readiness(), metrics, "test");
             HttpClient http = HttpClient.newHttpClient()) {
            server.addPage("/debug/broken", "text/plain", () -> {
                throw new IllegalStateException("no tablet");
            });
            String base = "http://127.0.0.1:" + server.port();
            assertResponse(500, "internal error: no tablet\n", get(http, base + "/debug/broken"));
            assertResponse(503, "starting\n", get(http, base + "/readyz"));
            assertResponse(200, "", get(http, base + "/metrics"));
        }
    }

    @Test
    void pagesSeeTheirQueryParameters() throws Exception {
        try (Metrics metrics = Metrics.none();
             DaemonHttpServer server = DaemonHttpServer.start("127.0.0.1", 0, new Readiness(), metrics, "test");
             HttpClient http = HttpClient.newHttpClient()) {
            server.addPage("/debug/echo", params -> {
                if (params.containsKey("bad")) {
                    throw new DaemonHttpServer.BadRequest("bad is bad");
                }
                return new DaemonHttpServer.Response(params.containsKey("json") ? "application/json" : "text/plain",
                        params.toString());
            });
            String base = "http://127.0.0.1:" + server.port();
            assertResponse(200, "{}", get(http, base + "/debug/echo"));
            HttpResponse<String> r = get(http, base + "/debug/echo?sort=p99&sort=count&q=a%20b%26c&json");
            assertResponse(200, "{sort=p99, q=a b&c, json=}", r);
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertResponse(400, "bad request: bad is bad\n", get(http, base + "/debug/echo?bad=1"));
        }
    }

    @Test
    void queryParametersDecode() {
        assertEquals(Map.of(), DaemonHttpServer.queryParameters(null));
        assertEquals(Map.of("a", "1", "b", "x y"), DaemonHttpServer.queryParameters("a=1&&b=x+y&a=2"));
    }

    private static void assertResponse(int code, String body, HttpResponse<String> response) {
        assertEquals(code, response.statusCode(), response.body());
        assertEquals(body, response.body());
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
