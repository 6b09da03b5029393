package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.common.http.DaemonHttpServer;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes {@code /metrics} of a vtcombo cluster (vtgate and three tablets on one registry) after a small
 * workload of known shape, and finds each documented meter with the value the workload implies.
 */
@Timeout(120)
class ClusterMetricsIT {
    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;
    private static DaemonHttpServer http;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Fixture.write(schemaDir, "customer/01.sql", "create table customer (customer_id bigint primary key, email varbinary(128));");
        Fixture.write(schemaDir, "customer/vschema.json", """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]}}}""");
        Fixture.write(schemaDir, "commerce/01.sql", "create table product (sku varbinary(128) primary key, price bigint);");
        Fixture.write(schemaDir, "commerce/vschema.json", "{\"tables\": {\"product\": {}}}");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir)
                .keyspace("customer", 2).keyspace("commerce", 1).build());
        http = DaemonHttpServer.start("127.0.0.1", 0, cluster.readiness(), cluster.metrics(), "vtcombo test");
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void metricsAfterAWorkload() throws Exception {
        String metrics;
        try (Connection c = Fixture.connect(Fixture.tesselUrl("mysql", cluster, "customer"));
             HttpClient client = HttpClient.newHttpClient()) {
            assertEquals("200 ok\n", get(client, "/readyz"));
            for (int id = 1; id <= 4; id++) {
                Fixture.update(c, "insert into customer (customer_id, email) values (" + id + ", 'c" + id + "')");
            }
            for (int id = 1; id <= 5; id++) {
                Fixture.rows(c, "select email from customer where customer_id = " + id);
            }
            Fixture.rows(c, "select count(*) from customer");
            Fixture.rows(c, "select count(*) from customer");
            c.setAutoCommit(false);
            Fixture.update(c, "insert into customer (customer_id, email) values (9, 'c9')");
            c.commit();
            c.setAutoCommit(true);
            assertThrows(SQLException.class, () -> Fixture.rows(c, "select nope from customer where customer_id = 1"));
            assertThrows(SQLException.class, () -> Fixture.update(c, "selec 1")); // executeQuery would refuse it client-side
            metrics = get(client, "/metrics");
        }
        assertTrue(metrics.startsWith("200 "), metrics);

        // vtgate: statements by plan type, keyspace and tablet type; latency; errors; plan cache
        assertEquals(5, Http.sample(metrics, queries("Insert.Sharded")));
        assertEquals(6, Http.sample(metrics, queries("Route.EqualUnique")), "five point reads and the failed one");
        assertEquals(2, Http.sample(metrics, queries("Aggregate.Scalar")));
        assertEquals(1, Http.sample(metrics, queries("Commit")));
        assertEquals(6, Http.sample(metrics, "vtgate_query_duration_seconds_count{plan_type=\"Route.EqualUnique\"}"));
        assertEquals(6, Http.sample(metrics, "vtgate_query_duration_seconds_bucket{plan_type=\"Route.EqualUnique\",le=\"+Inf\"}"));
        assertTrue(Http.sample(metrics, "vtgate_query_duration_seconds_sum{plan_type=\"Route.EqualUnique\"}") > 0);
        assertEquals(2, sum(metrics, "vtgate_errors_total{", "sqlstate_class=\"42\""),
                () -> "the syntax error and MySQL's unknown column, passed through: "
                        + metrics.lines().filter(l -> l.startsWith("vtgate_errors_total") || l.startsWith("vtgate_queries_total")).toList());
        assertTrue(Http.sample(metrics, "vtgate_plan_cache_hits_total") >= 4 + 3 + 1, "repeated shapes hit the cache");
        assertTrue(Http.sample(metrics, "vtgate_plan_cache_misses_total") >= 3);
        assertTrue(Http.sample(metrics, "vtgate_plan_cache_entries") >= 3);
        assertEquals(1, Http.sample(metrics, "vtgate_client_connections"), "the workload's connection was open");
        assertEquals(0, Http.sample(metrics, "vtgate_queries_in_flight"), "the scrape is no MySQL command");
        assertEquals(3, Http.sample(metrics, "vtgate_tablets{serving=\"true\"}"));
        assertEquals(0, Http.sample(metrics, "vtgate_tablets{serving=\"false\"}"));
        assertEquals(1, Http.sample(metrics, "vtgate_topology_reachable"));
        assertEquals(0, Http.sample(metrics, "vtgate_lameduck"));

        // the tablets: calls by method, their protections, their pools
        assertTrue(Http.sample(metrics, tablet("vttablet_request_duration_seconds_count", "customer", "-80", "method=\"Execute\"")) > 0);
        assertTrue(Http.sample(metrics, tablet("vttablet_request_duration_seconds_count", "customer", "80-", "method=\"Execute\"")) > 0);
        assertEquals(1, Http.sample(metrics, "vttablet_serving{keyspace=\"commerce\",shard=\"0\"}"));
        assertEquals(0, Http.sample(metrics, "vttablet_transactions_open{keyspace=\"customer\",shard=\"-80\"}"));
        assertEquals(0, Http.sample(metrics, "vttablet_results_max_size_exceeded_total{keyspace=\"customer\",shard=\"-80\"}"));
        assertTrue(Http.sample(metrics, tablet("vttablet_pool_idle_connections", "customer", "-80", "pool=\"query\"")) >= 1);
        assertTrue(Http.sample(metrics, "hikaricp_connections{pool=\"vttablet zone1-100 customer/-80 query\"}") >= 1);
        assertTrue(Http.sample(metrics, "jvm_threads_live_threads") > 0);

        assertFalse(metrics.contains("customer_id ="), "no SQL text in any label");
    }

    /** The sum of every sample of a meter whose labels contain {@code label}. */
    private static double sum(String text, String prefix, String label) {
        return text.lines().filter(l -> l.startsWith(prefix) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String queries(String planType) {
        return "vtgate_queries_total{keyspace=\"customer\",plan_type=\"" + planType + "\",tablet_type=\"primary\"}";
    }

    private static String tablet(String name, String keyspace, String shard, String label) {
        // Prometheus sorts labels by name: keyspace, method/pool, shard
        return name + "{keyspace=\"" + keyspace + "\"," + label + ",shard=\"" + shard + "\"}";
    }

    private static String get(HttpClient client, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
