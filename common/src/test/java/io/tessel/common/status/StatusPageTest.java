package io.tessel.common.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.http.DaemonHttpServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static StatusPage page(AtomicReference<String> state) {
        Clock clock = Clock.fixed(START.plus(Duration.ofSeconds(90_061)), ZoneOffset.UTC);
        return new StatusPage("vtgate", START, Map.of("--port", "15306", "--mysql-password", "****"), state::get, clock)
                .addTables(() -> List.of(new StatusPage.Table("tablets", "Tablets", List.of("alias", "serving"),
                        List.of(List.of("zone1-100", "true"), List.of("zone1-<101>", "false")))));
    }

    @Test
    void jsonHasStateVersionUptimeFlagsAndTables() throws Exception {
        AtomicReference<String> state = new AtomicReference<>("serving");
        StatusPage page = page(state);
        JsonNode json = new ObjectMapper().readTree(page.json());
        assertEquals("vtgate", json.get("daemon").asText());
        assertEquals("serving", json.get("state").asText());
        assertEquals(Version.current(), json.get("version").asText());
        assertFalse(Version.current().equals("unknown"), "Maven filled in the version");
        assertEquals(START.toString(), json.get("started").asText());
        assertEquals(90_061, json.get("uptime_seconds").asLong());
        assertEquals("15306", json.get("flags").get("--port").asText());
        assertEquals("zone1-<101>", json.get("tablets").get(1).get("alias").asText());
        state.set("lame duck");
        assertEquals("lame duck", new ObjectMapper().readTree(page.json()).get("state").asText(), "computed per request");
    }

    @Test
    void htmlEscapesAndShowsEverySection() {
        String html = page(new AtomicReference<>("serving")).html();
        assertTrue(html.contains("<b id=\"state\">serving</b>"), html);
        assertTrue(html.contains("1d 1h 1m 1s"), html);
        assertTrue(html.contains("<h2>Tablets</h2><table id=\"tablets\">"), html);
        assertTrue(html.contains("<td>zone1-&lt;101&gt;</td>"), html);
        assertTrue(html.contains("<th>--mysql-password</th><td><code>****</code></td>"), html);
    }

    @Test
    void formatParameterChoosesTheForm() {
        StatusPage page = page(new AtomicReference<>("serving"));
        assertEquals("application/json; charset=utf-8", page.respond(Map.of("format", "json")).contentType());
        assertEquals("text/html; charset=utf-8", page.respond(Map.of()).contentType());
        assertThrows(DaemonHttpServer.BadRequest.class, () -> page.respond(Map.of("format", "xml")));
    }

    @Test
    void rowsMustMatchColumns() {
        assertThrows(IllegalArgumentException.class, () -> new StatusPage.Table("t", "T", List.of("a", "b"),
                List.of(List.of("1"))));
    }

    @Test
    void uptimeText() {
        assertEquals("5s", StatusPage.uptime(Duration.ofSeconds(5)));
        assertEquals("2m 0s", StatusPage.uptime(Duration.ofSeconds(120)));
        assertEquals("1h 0m 0s", StatusPage.uptime(Duration.ofHours(1)));
    }
}
