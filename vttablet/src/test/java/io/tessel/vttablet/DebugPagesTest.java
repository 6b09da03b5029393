package io.tessel.vttablet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
import io.tessel.vttablet.consolidate.ConsolidatedQueries;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebugPagesTest {
    @Test
    void servesThePagesAsPlainTextAndJson() throws Exception {
        Map<String, Long> vars = new LinkedHashMap<>();
        vars.put("vttablet_consolidations_total", 49L);
        vars.put("vttablet_pool_timeouts_total{pool=\"query\"}", 2L);
        DebugPages.Pages pages = new DebugPages.Pages(
                () -> List.of(new ConsolidatedQueries.Count("select 1\nfrom dual", 49), new ConsolidatedQueries.Count("select 2", 3)),
                () -> List.of(new TxSerializer.QueueLength("t where id=1", 4)), () -> vars);
        try (Metrics metrics = Metrics.none();
             DaemonHttpServer server = DaemonHttpServer.start("127.0.0.1", 0, new Readiness(), metrics, "vttablet test");
             HttpClient http = HttpClient.newHttpClient()) {
            DebugPages.addTo(server, pages);
            String base = "http://127.0.0.1:" + server.port();
            assertEquals("49: select 1 from dual\n3: select 2\n", get(http, base + "/debug/consolidations").body());
            assertEquals("4: t where id=1\n", get(http, base + "/debug/hotrows").body());
            HttpResponse<String> json = get(http, base + "/debug/vars");
            assertEquals("{\"vttablet_consolidations_total\": 49, \"vttablet_pool_timeouts_total{pool=\\\"query\\\"}\": 2}\n",
                    json.body());
            assertEquals("application/json; charset=utf-8", json.headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, get(http, base + "/nothing").statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
