package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.StaticGateway;
import io.tessel.vtgate.insights.PlansPage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /debug/plans} over a real executor's plan cache and insights. */
class PlansPageTest {
    private final StaticGateway gateway = StaticGateway.builder()
            .tablet("commerce", "0", TabletType.PRIMARY, new FakeQueryService()).build();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26);
    private final PlansPage page = new PlansPage(executor.plans(), executor.insights());

    private void workload() {
        Session session = executor.newSession(1, "root", List.of());
        executor.useDatabase(session, "commerce");
        for (int i = 0; i < 3; i++) {
            executor.query(session, "select name from product where sku = 'sku-" + i + "'");
        }
        executor.query(session, "update product set price = 5 where sku = 'x'");
    }

    @Test
    void jsonListsEachCachedPlanMostExecutedFirst() throws Exception {
        workload();
        JsonNode json = new ObjectMapper().readTree(page.json(100));
        assertEquals(2, json.get("cached").asInt());
        assertEquals(2, json.get("shown").asInt());
        JsonNode first = json.get("plans").get(0);
        assertEquals("commerce:", first.get("target").asText());
        assertEquals("select name from product where sku = :vtg1", first.get("sql").asText());
        assertEquals(3, first.get("executions").asInt());
        assertEquals(0, first.get("errors").asInt());
        assertTrue(first.get("total_ms").asDouble() >= 0);
        assertEquals("Route", first.get("plan").get("OperatorType").asText());
        assertEquals("commerce", first.get("plan").get("Keyspace").asText());
        assertTrue(first.get("read_only").asBoolean());
        JsonNode second = json.get("plans").get(1);
        assertEquals(1, second.get("executions").asInt());
        assertFalse(second.get("read_only").asBoolean());
        assertFalse(json.toString().contains("sku-1"), "normalized: no literals");
    }

    @Test
    void boundedByLimit() throws Exception {
        workload();
        JsonNode json = new ObjectMapper().readTree(page.respond(Map.of("limit", "1")).body());
        assertEquals(2, json.get("cached").asInt());
        assertEquals(1, json.get("shown").asInt());
        assertEquals(1, json.get("plans").size());
        assertThrows(DaemonHttpServer.BadRequest.class, () -> page.respond(Map.of("limit", "0")));
        assertThrows(DaemonHttpServer.BadRequest.class, () -> page.respond(Map.of("limit", "x")));
        assertThrows(DaemonHttpServer.BadRequest.class, () -> page.respond(Map.of("limit", "1001")));
        assertThrows(DaemonHttpServer.BadRequest.class, () -> page.respond(Map.of("format", "xml")));
    }

    @Test
    void htmlShowsThePlanTrees() {
        workload();
        DaemonHttpServer.Response r = page.respond(Map.of("format", "html"));
        assertEquals("text/html; charset=utf-8", r.contentType());
        assertTrue(r.body().contains("<p>2 of 2 cached plans</p>"), r.body());
        assertTrue(r.body().contains("<pre>Route"), r.body());
    }
}
