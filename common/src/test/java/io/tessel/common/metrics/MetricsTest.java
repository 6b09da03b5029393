package io.tessel.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pins how Micrometer's dotted names look in Prometheus, which docs/operations.md lists. */
class MetricsTest {
    @Test
    void dottedNamesBecomeSnakeCaseWithUnitSuffixes() {
        try (Metrics metrics = Metrics.prometheus()) {
            Counter.builder("vtgate.queries").tag("plan_type", "Route.Scatter").register(metrics.registry()).increment();
            AtomicLong hits = new AtomicLong(7);
            FunctionCounter.builder("vtgate.plan.cache.hits", hits, AtomicLong::get).register(metrics.registry());
            Gauge.builder("vtgate.client.connections", () -> 2).register(metrics.registry());
            Timer.builder("vtgate.query.duration").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(1))
                    .register(metrics.registry()).record(Duration.ofMillis(3));
            String text = metrics.scrape();
            assertTrue(text.contains("vtgate_queries_total{plan_type=\"Route.Scatter\"} 1.0"), text);
            assertTrue(text.contains("vtgate_plan_cache_hits_total 7.0"), text);
            assertTrue(text.contains("vtgate_client_connections 2.0"), text);
            assertTrue(text.contains("vtgate_query_duration_seconds_count 1"), text);
            assertTrue(text.contains("vtgate_query_duration_seconds_bucket{le=\"+Inf\"} 1"), text);
            assertTrue(text.contains("process_uptime_seconds"), text);
        }
    }

    @Test
    void noneRecordsNothing() {
        try (Metrics metrics = Metrics.none()) {
            Counter c = Counter.builder("x").register(metrics.registry());
            c.increment();
            assertEquals(0, c.count());
            assertFalse(metrics.isExported());
            assertEquals("", metrics.scrape());
        }
    }
}
