package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.StaticGateway;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.querylog.QueryLogFormatter;
import io.tessel.vtgate.querylog.Sampler;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The query log as the executor feeds it: what each line says, and that literals stay out unless asked for. */
class ExecutorQueryLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Literal values the workload below sends; none may reach a default log. */
    private static final List<String> LITERALS = List.of("alice@example.com", "12345", "hunter2", "topsecret", "424242",
            "987654");

    private final FakeQueryService commerce = new FakeQueryService();
    private final FakeQueryService customer = new FakeQueryService();
    private final StaticGateway gateway = StaticGateway.builder()
            .tablet("commerce", "0", TabletType.PRIMARY, commerce)
            .tablet("customer", "-80", TabletType.PRIMARY, customer)
            .tablet("customer", "80-", TabletType.PRIMARY, customer)
            .build();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26);
    private final StringWriter out = new StringWriter();
    private QueryLog log;

    @AfterEach
    void close() throws InterruptedException {
        if (log != null) {
            log.close();
        }
    }

    private QueryLog use(Sampler sampler, boolean includeValues) {
        log = new QueryLog(sampler, 100, new QueryLogFormatter(includeValues), out, Clock.systemUTC());
        executor.setQueryLog(log);
        return log;
    }

    /** A workload with literals everywhere: planned statements, SET, a shard-targeted one and a failure. */
    private void workload() {
        Session session = executor.newSession(7, "app", List.of());
        executor.useDatabase(session, "commerce");
        executor.query(session, "select name from customer_t where email = 'alice@example.com' and id = 12345");
        executor.query(session, "insert into t (id, password) values (424242, 'hunter2')");
        executor.query(session, "set @x = 'topsecret'");
        commerce.failNext(VtException.mysql(ErrorCode.ALREADY_EXISTS, 1062, "23000",
                "Duplicate entry '987654' for key 'PRIMARY'", null));
        assertThrows(VtException.class, () -> executor.query(session, "insert into t (id) values (987654)"));
        executor.useDatabase(session, "customer:-80");
        executor.query(session, "select * from c where id = 12345");
    }

    private List<JsonNode> lines() throws Exception {
        log.sync();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void literalsNeverAppearByDefault() throws Exception {
        use(Sampler.rate(1), false);
        workload();
        List<JsonNode> lines = lines();
        for (String literal : LITERALS) {
            assertFalse(out.toString().contains(literal), () -> literal + " leaked into " + out);
        }
        assertEquals(5, lines.size(), out::toString);
        JsonNode select = lines.get(0);
        assertEquals("select name from customer_t where email = :vtg1 and id = :vtg2", select.get("sql").asText());
        assertFalse(select.has("bind_vars"));
        assertEquals(7, select.get("connection_id").asInt());
        assertEquals("app", select.get("user").asText());
        assertEquals("commerce", select.get("keyspace").asText());
        assertEquals("primary", select.get("tablet_type").asText());
        assertTrue(select.get("plan_type").asText().startsWith("Route"), select.toString());
        assertEquals("[\"commerce/0\"]", select.get("shards").toString());
        assertEquals(1, select.get("shard_queries").asInt());
        assertEquals(1, select.get("rows_returned").asInt());
        assertEquals("", select.get("error_code").asText());
        assertTrue(select.get("duration_ms").asDouble() >= 0);
        assertEquals("set @x = ?", lines.get(2).get("sql").asText(), "statements vtgate does not normalize are redacted");
        assertEquals("Set", lines.get(2).get("plan_type").asText());
        JsonNode failed = lines.get(3);
        assertEquals("insert into t (id) values (:vtg1)", failed.get("sql").asText());
        assertEquals("ALREADY_EXISTS", failed.get("error_code").asText());
        assertEquals(1062, failed.get("errno").asInt());
        assertEquals("23000", failed.get("sqlstate").asText());
        assertFalse(failed.has("error_message"), "messages may quote values");
        JsonNode targeted = lines.get(4);
        assertEquals("customer", targeted.get("keyspace").asText());
        assertEquals("-80", targeted.get("shard").asText());
        assertEquals("[\"customer/-80\"]", targeted.get("shards").toString());
        assertEquals(5, log.written());
    }

    @Test
    void enablingValuesShowsThem() throws Exception {
        use(Sampler.rate(1), true);
        workload();
        List<JsonNode> lines = lines();
        JsonNode vars = lines.get(0).get("bind_vars");
        assertEquals("alice@example.com", vars.get("vtg1").get("value").asText());
        assertEquals("VARCHAR", vars.get("vtg1").get("type").asText());
        assertEquals("12345", vars.get("vtg2").get("value").asText());
        assertEquals("INT64", vars.get("vtg2").get("type").asText());
        assertEquals("hunter2", lines.get(1).get("bind_vars").get("vtg2").get("value").asText());
        assertEquals("set @x = 'topsecret'", lines.get(2).get("sql").asText());
        assertEquals("Duplicate entry '987654' for key 'PRIMARY'", lines.get(3).get("error_message").asText());
    }

    @Test
    void rateZeroLogsNothing() throws Exception {
        use(Sampler.rate(0), true);
        workload();
        assertEquals(List.of(), lines());
        assertEquals(0, log.written());
        assertEquals(0, log.dropped());
    }

    @Test
    void seededSamplingLogsExactlyTheDrawnStatements() throws Exception {
        use(Sampler.rate(0.3, new SplittableRandom(42)), true);
        Session session = executor.newSession(1, "app", List.of());
        executor.useDatabase(session, "commerce"); // not a statement: no draw
        for (int i = 0; i < 50; i++) {
            executor.query(session, "select * from t where id = " + i);
        }
        SplittableRandom same = new SplittableRandom(42);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            if (same.nextDouble() < 0.3) {
                expected.add(Integer.toString(i));
            }
        }
        List<String> logged = lines().stream().map(l -> l.get("bind_vars").get("vtg1").get("value").asText()).toList();
        assertEquals(expected, logged);
        assertTrue(logged.size() > 5 && logged.size() < 30, "about 30% of 50: " + logged.size());
    }
}
