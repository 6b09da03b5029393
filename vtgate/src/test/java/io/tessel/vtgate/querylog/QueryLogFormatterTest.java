package io.tessel.vtgate.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Query.Value;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QueryLogFormatterTest {
    private static final Instant START = Instant.parse("2026-11-26T07:00:00Z");

    private static QueryLogEntry entry(String sql, String normalized, Map<String, BindVariable> vars) {
        return new QueryLogEntry(START, 2_500_000, 3, "app", sql, normalized, vars, "customer", "", "primary",
                "Route.Scatter", 2, List.of("customer/-80", "customer/80-"), 4, 0, "", 0, "", "");
    }

    @Test
    void oneJsonLineWithEveryField() throws Exception {
        String line = new QueryLogFormatter(false).format(entry("select * from c where id in (1, 2)",
                "select * from c where id in ::vtg1", Map.of()));
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode o = new ObjectMapper().readTree(line);
        assertEquals("2026-11-26T07:00:00.002500Z", o.get("time").asText());
        assertEquals("2026-11-26T07:00:00Z", o.get("start").asText());
        assertEquals(2.5, o.get("duration_ms").asDouble());
        assertEquals("select * from c where id in ::vtg1", o.get("sql").asText());
        assertEquals("customer", o.get("keyspace").asText());
        assertEquals("Route.Scatter", o.get("plan_type").asText());
        assertEquals(2, o.get("shard_queries").asInt());
        assertEquals(List.of("customer/-80", "customer/80-"), List.of(o.get("shards").get(0).asText(),
                o.get("shards").get(1).asText()));
        assertEquals(4, o.get("rows_returned").asInt());
        assertEquals(0, o.get("errno").asInt());
    }

    @Test
    void valuesIncludeTuples() throws Exception {
        BindVariable tuple = BindVariable.newBuilder().setType(Type.TUPLE)
                .addValues(Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("1")))
                .addValues(Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("2"))).build();
        JsonNode o = new ObjectMapper().readTree(new QueryLogFormatter(true).format(entry("select * from c where id in (1, 2)",
                "select * from c where id in ::vtg1", Map.of("vtg1", tuple))));
        assertEquals("{\"type\":\"TUPLE\",\"values\":[{\"type\":\"INT64\",\"value\":\"1\"},{\"type\":\"INT64\",\"value\":\"2\"}]}",
                o.get("bind_vars").get("vtg1").toString());
    }

    @Test
    void unplannedStatementsAreNormalizedOnTheWriterThread() throws Exception {
        String raw = "insert into t (a, b) values (77, 'x7')";
        JsonNode plain = new ObjectMapper().readTree(new QueryLogFormatter(false).format(entry(raw, null, null)));
        assertEquals("insert into t (a, b) values (:vtg1, :vtg2)", plain.get("sql").asText());
        JsonNode withValues = new ObjectMapper().readTree(new QueryLogFormatter(true).format(entry(raw, null, null)));
        assertEquals("x7", withValues.get("bind_vars").get("vtg2").get("value").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "set autocommit = 0, @a = 'secret'|set autocommit = ?, @a = ?",
        "select * from t where a = :vtg1 order by 2|select * from t where a = :vtg1 order by ?",
        "select /* user 'bob' */ 1 -- 'x'|select ?",
        "create table t (c varchar(10) default \"pw\")|create table t (c varchar(?) default ?)",
        "select x'4142', `col1`, @@version|select x?, `col1`, @@version",
        "show tables like 'sec%'|show tables like ?",
    })
    void redactRemovesEveryLiteralAndComment(String sql, String redacted) {
        assertEquals(redacted, QueryLogFormatter.redact(sql));
    }

    @Test
    void redactedErrorsLeaveTheMessageOut() throws Exception {
        QueryLogEntry failed = new QueryLogEntry(START, 1, 3, "app", "insert into t values (5)", null, null, "ks", "",
                "primary", "Insert", 1, List.of(), 0, 0, "ALREADY_EXISTS", 1062, "23000", "Duplicate entry '5'");
        String line = new QueryLogFormatter(false).format(failed);
        assertFalse(line.contains("Duplicate"), line);
        assertTrue(new QueryLogFormatter(true).format(failed).contains("\"error_message\":\"Duplicate entry '5'\""));
    }
}
