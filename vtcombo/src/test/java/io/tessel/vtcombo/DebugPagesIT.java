package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vtcombo's debug pages after a known workload (7 point selects of one pattern, 3 of another, each with
 * different literals): {@code /debug/insights} rendered by headless Chromium (Debian's {@code chromium}),
 * whose DOM must list both patterns with counts 7 and 3, in the order {@code ?sort=count} asks for and in
 * the order the page's script makes of a {@code #sort=count} fragment on a page served by pattern; {@code /debug/plans} and
 * {@code /debug/status} read as JSON and HTML. Without Chromium the browser check is skipped, except under
 * {@code CI=true}, where bin/test installs it and its absence is a failure.
 */
@Timeout(180)
class DebugPagesIT {
    private static final String POINT = "select email from customer where customer_id = :vtg1";
    private static final String SCATTER = "select customer_id from customer where email = :vtg1";

    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;
    private static DaemonHttpServer http;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Fixture.write(schemaDir, "customer/01.sql", "create table customer (customer_id bigint primary key, email varchar(128));");
        Fixture.write(schemaDir, "customer/vschema.json", """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]}}}""");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir).keyspace("customer", 2).build());
        http = DaemonHttpServer.start("127.0.0.1", 0, cluster.readiness(), cluster.metrics(), "vtcombo test");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--mysql-port", "0");
        flags.put("--mysql-url", "mysql://root:****@127.0.0.1:3306");
        cluster.addDebugPages(http, flags);
        try (Connection c = Fixture.connect(Fixture.tesselUrl("mysql", cluster, "customer"))) {
            for (int id = 1; id <= 7; id++) {
                Fixture.rows(c, "select email from customer where customer_id = " + id);
            }
            for (int n = 1; n <= 3; n++) {
                Fixture.rows(c, "select customer_id from customer where email = 'user" + n + "@example.com'");
            }
        }
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

    private static String url(String path) {
        return "http://127.0.0.1:" + http.port() + path;
    }

    /** The browser: Debian's chromium on the PATH; null when there is none. */
    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** What headless Chromium's DOM is once it loaded {@code url} and ran its scripts. */
    private static String renderedDom(Path chromium, String url, Path profile) throws Exception {
        Process p = new ProcessBuilder(chromium.toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish on " + url);
        }
        assertEquals(0, p.exitValue(), dom);
        return dom;
    }

    /** The insights table's rows as the DOM holds them, in order: pattern and count. */
    private static Map<String, Integer> rows(String dom) {
        Matcher m = Pattern.compile("<tr><td><code>(.*?)</code></td><td class=\"n\">(\\d+)</td>").matcher(dom);
        Map<String, Integer> rows = new LinkedHashMap<>();
        while (m.find()) {
            rows.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return rows;
    }

    @Test
    void insightsInHeadlessChromium(@TempDir Path profile) throws Exception {
        Path chromium = chromium();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed; bin/test installs it (apt-get install chromium)");
            }
            assumeTrue(false, "no chromium on the PATH (apt-get install chromium)");
        }
        String byCount = renderedDom(chromium, url("/debug/insights?sort=count"), profile);
        Map<String, Integer> rows = rows(byCount);
        assertEquals(7, rows.get(POINT), () -> "rows " + rows + " in\n" + byCount);
        assertEquals(3, rows.get(SCATTER), () -> "rows " + rows);
        List<String> order = new ArrayList<>(rows.keySet());
        assertTrue(order.indexOf(POINT) < order.indexOf(SCATTER), "?sort=count puts 7 before 3: " + order);
        assertTrue(byCount.contains("<tbody data-sort=\"count\">"), byCount);
        assertFalse(byCount.contains("example.com"), "literals never reach the page");

        // The page's script sorts on load by the fragment's column (descending on a first sort): served in pattern
        // order (SCATTER's text sorts first), the browser shows it by count again.
        String served = Http.get(http.port(), "/debug/insights?sort=pattern");
        List<String> byPattern = new ArrayList<>(rows(served).keySet());
        assertTrue(byPattern.indexOf(SCATTER) < byPattern.indexOf(POINT), "?sort=pattern as served: " + byPattern);
        String byScript = renderedDom(chromium, url("/debug/insights?sort=pattern#sort=count"), profile);
        List<String> sorted = new ArrayList<>(rows(byScript).keySet());
        assertTrue(sorted.indexOf(POINT) < sorted.indexOf(SCATTER), "#sort=count reorders in the browser: " + sorted);
        assertTrue(byScript.contains("data-sort=\"pattern\"") && byScript.contains("data-col=\"1\"")
                && byScript.contains("data-dir=\"d\""), byScript);
        assertEquals(rows.keySet(), rows(byScript).keySet(), "the same rows");
    }

    @Test
    void plansListTheWorkloadsPlans() throws Exception {
        String body = Http.get(http.port(), "/debug/plans");
        assertTrue(body.startsWith("200 "), body);
        JsonNode json = new ObjectMapper().readTree(body.substring(4));
        JsonNode first = json.get("plans").get(0);
        assertEquals(POINT, first.get("sql").asText(), "most executed first");
        assertEquals("customer:", first.get("target").asText());
        assertEquals("Route.EqualUnique", first.get("plan_type").asText());
        assertEquals(7, first.get("executions").asInt());
        assertEquals("EqualUnique", first.get("plan").get("Variant").asText());
        JsonNode scatter = null;
        for (JsonNode p : json.get("plans")) {
            if (p.get("sql").asText().equals(SCATTER)) {
                scatter = p;
            }
        }
        assertNotNull(scatter, json::toPrettyString);
        assertEquals(3, scatter.get("executions").asInt());
        assertEquals("Scatter", scatter.get("plan").get("Variant").asText());
        String html = Http.get(http.port(), "/debug/plans?format=html&limit=1");
        assertTrue(html.contains("<p>1 of ") && html.contains("EqualUnique"), html);
        assertTrue(Http.get(http.port(), "/debug/plans?limit=0").startsWith("400 "));
    }

    @Test
    void statusShowsStateTopologyTabletsAndFlags() throws Exception {
        String body = Http.get(http.port(), "/debug/status?format=json");
        assertTrue(body.startsWith("200 "), body);
        JsonNode json = new ObjectMapper().readTree(body.substring(4));
        assertEquals("vtcombo", json.get("daemon").asText());
        assertEquals("serving", json.get("state").asText());
        assertFalse(json.get("version").asText().isEmpty());
        assertTrue(json.get("uptime_seconds").asLong() >= 0);
        assertEquals("mysql://root:****@127.0.0.1:3306", json.get("flags").get("--mysql-url").asText());
        assertEquals("true", json.get("topology").get(0).get("reachable").asText());
        assertEquals(2, json.get("shards").size());
        assertEquals("-80", json.get("shards").get(0).get("shard").asText());
        assertEquals("1", json.get("shards").get(0).get("serving_tablets").asText());
        assertEquals(2, json.get("tablets").size());
        assertEquals("serving", json.get("tablets").get(0).get("health").asText());
        assertEquals(2, json.get("tablet").size(), "each in-process tablet's own view");
        assertEquals("serving", json.get("tablet").get(1).get("serving").asText());
        assertEquals("customer", json.get("tablet").get(1).get("keyspace").asText());
        assertTrue(json.get("pools").size() >= 2);
        assertEquals("0", json.get("vtgate").get(0).get("client_connections").asText());
        String html = Http.get(http.port(), "/debug/status");
        assertTrue(html.contains("<b id=\"state\">serving</b>") && html.contains("<h2>Tablets</h2>"), html);
    }
}
