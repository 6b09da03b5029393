package io.tessel.vtgate.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryInsightsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void countsLatencyRowsAndErrorsPerPattern() {
        QueryInsights insights = new QueryInsights(10, CLOCK);
        for (int i = 1; i <= 100; i++) {
            insights.record("select * from t where id = :vtg1", i * 1_000_000L, 1, 0, 1, false);
        }
        insights.record("insert into t (a) values (:vtg1)", 5_000_000L, 0, 3, 2, false);
        insights.record("insert into t (a) values (:vtg1)", 7_000_000L, 0, 0, 2, true);
        List<QueryInsights.Snapshot> s = insights.snapshots();
        assertEquals("select * from t where id = :vtg1", s.getFirst().pattern(), "most total time first");
        QueryInsights.Snapshot select = s.getFirst();
        assertEquals(100, select.count());
        assertEquals(5050.0, select.totalMillis(), 0.001);
        assertEquals(50.0, select.p50Millis(), 0.5);
        assertEquals(95.0, select.p95Millis(), 1.0);
        assertEquals(99.0, select.p99Millis(), 1.0);
        assertEquals(100, select.rowsReturned());
        QueryInsights.Snapshot insert = s.get(1);
        assertEquals(2, insert.count());
        assertEquals(1, insert.errors());
        assertEquals(3, insert.rowsAffected());
        assertEquals(4, insert.shardQueries());
        assertEquals(Instant.parse("2026-11-26T00:00:00Z"), insert.firstSeen());
    }

    @Test
    void boundedByDroppingTheLeastUsedPattern() {
        QueryInsights insights = new QueryInsights(2, CLOCK);
        insights.record("a", 1, 0, 0, 0, false);
        insights.record("a", 1, 0, 0, 0, false);
        insights.record("b", 1, 0, 0, 0, false);
        insights.record("c", 1, 0, 0, 0, false);
        assertEquals(List.of("a", "c"), insights.snapshots().stream().map(QueryInsights.Snapshot::pattern).sorted().toList());
    }

    @Test
    void jsonAndHtmlListThePatternsEscaped() {
        QueryInsights insights = new QueryInsights(10, CLOCK);
        insights.record("select a from t where b < :vtg1", 2_000_000L, 4, 0, 2, false);
        String json = insights.toJson();
        assertTrue(json.contains("\"pattern\":\"select a from t where b < :vtg1\""), json);
        assertTrue(json.contains("\"count\":1"), json);
        String html = insights.toHtml();
        assertTrue(html.contains("select a from t where b &lt; :vtg1"), html);
        assertTrue(html.contains("<th data-key=\"p99\" onclick=\"sortBy(6)\">p99 ms</th>"), html);
    }

    @Test
    void sortsByCountP99ErrorsOrPattern() {
        QueryInsights insights = new QueryInsights(10, CLOCK);
        for (int i = 0; i < 5; i++) {
            insights.record("many fast", 1_000_000L, 0, 0, 1, false);
        }
        insights.record("one slow", 900_000_000L, 0, 0, 1, false);
        insights.record("two failing", 2_000_000L, 0, 0, 1, true);
        insights.record("two failing", 2_000_000L, 0, 0, 1, true);
        assertEquals(List.of("one slow", "many fast", "two failing"), patterns(insights, QueryInsights.Sort.TOTAL));
        assertEquals(List.of("many fast", "two failing", "one slow"), patterns(insights, QueryInsights.Sort.COUNT));
        assertEquals(List.of("one slow", "two failing", "many fast"), patterns(insights, QueryInsights.Sort.P99));
        assertEquals(List.of("two failing", "many fast", "one slow"), patterns(insights, QueryInsights.Sort.ERRORS));
        assertEquals(List.of("many fast", "one slow", "two failing"), patterns(insights, QueryInsights.Sort.PATTERN));
        assertEquals(QueryInsights.Sort.P99, QueryInsights.Sort.parse("P99"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> QueryInsights.Sort.parse("latency"));
        String html = insights.toHtml(QueryInsights.Sort.COUNT);
        assertTrue(html.contains("<tbody data-sort=\"count\"><tr><td><code>many fast</code></td>"), html);
    }

    private static List<String> patterns(QueryInsights insights, QueryInsights.Sort sort) {
        return insights.snapshots(sort).stream().map(QueryInsights.Snapshot::pattern).toList();
    }
}
