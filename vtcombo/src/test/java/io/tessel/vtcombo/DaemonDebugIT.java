package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.topo.etcd.EtcdProcess;
import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The separate daemons' debug pages and vtgate's query log, each daemon started by its bin/ script: etcd, a
 * MariaDB, a vttablet (commerce/0) and a vtgate with {@code --querylog-file}. vtgate's and vttablet's
 * {@code /debug/status} show state, version, flags and their view (topology and tablets; target and pools),
 * {@code /debug/plans} the workload's plan, and after vtgate's graceful stop the query log holds one JSON line
 * per statement, with the target, shard, plan type, rows and error, and none of the literals sent.
 */
@Timeout(180)
class DaemonDebugIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static JsonNode json(int port, String path) throws Exception {
        String body = Http.get(port, path);
        assertTrue(body.startsWith("200 "), body);
        return JSON.readTree(body.substring(4));
    }

    @Test
    void statusPlansAndQueryLogOfSeparateDaemons(@TempDir Path dir) throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            EtcdProcess etcd = EtcdProcess.start();
            resources.add(etcd);
            Mysqld mysql = Mysqld.start(MysqldConfig.defaults().withDatabases("commerce"));
            resources.add(mysql);
            try (Connection c = DriverManager.getConnection(mysql.jdbcUrl("commerce"), mysql.user(), mysql.password())) {
                c.createStatement().execute("create table t (id int primary key, email varchar(64))");
            }
            Map<String, String> env = Map.of("TOPO_GLOBAL_SERVER_ADDRESS", etcd.endpoint());
            int tabletHttp = freePort();
            Daemon tablet = Daemon.start("vttablet", dir, env, "vttablet", "--tablet-alias", "zone1-101",
                    "--keyspace", "commerce", "--shard", "0", "--mysql-port", Integer.toString(mysql.port()),
                    "--mysql-user", mysql.user(), "--mysql-password", mysql.password(),
                    "--grpc-port", Integer.toString(freePort()), "--http-port", Integer.toString(tabletHttp),
                    "--topo-implementation", "etcd2");
            resources.add(tablet);
            tablet.awaitLog("registered in the topology", Duration.ofSeconds(60));
            int vtgatePort = freePort();
            int vtgateHttp = freePort();
            Path querylog = dir.resolve("query.log");
            Daemon vtgate = Daemon.start("vtgate", dir, env, "vtgate", "--port", Integer.toString(vtgatePort),
                    "--http-port", Integer.toString(vtgateHttp), "--querylog-file", querylog.toString());
            resources.add(vtgate);
            vtgate.awaitLog("MySQL protocol listening", Duration.ofSeconds(60));

            workload(vtgatePort);
            vtgateStatus(vtgateHttp, querylog);
            tabletStatus(tabletHttp, mysql.password());
            JsonNode plans = json(vtgateHttp, "/debug/plans");
            assertTrue(plans.toString().contains("\"sql\":\"select email from t where id = :vtg1\",\"settings\":0,"
                    + "\"plan_type\":\"Route.Unsharded\""), plans::toPrettyString);

            vtgate.terminate(); // the log is complete once vtgate stopped
            assertTrue(Files.readString(vtgate.log).contains("vtgate: stopped"));
            queryLog(Files.readString(querylog));
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    private static void workload(int vtgatePort) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + vtgatePort
                + "/commerce?user=root&useSSL=false&connectTimeout=5000&socketTimeout=10000");
             Statement s = c.createStatement()) {
            s.executeUpdate("insert into t (id, email) values (777001, 'secret-a@example.com')");
            s.executeQuery("select email from t where id = 777001").close();
            s.executeQuery("select email from t where id = 777002").close();
            try {
                s.executeUpdate("insert into t (id, email) values (777001, 'secret-b@example.com')");
            } catch (SQLException expected) {
                assertEquals(1062, expected.getErrorCode());
            }
        }
    }

    private static void vtgateStatus(int http, Path querylog) throws Exception {
        JsonNode status = json(http, "/debug/status?format=json");
        assertEquals("vtgate", status.get("daemon").asText());
        assertEquals("serving", status.get("state").asText());
        assertTrue(status.get("uptime_seconds").asLong() >= 0);
        assertEquals(querylog.toString(), status.get("flags").get("--querylog-file").asText());
        assertEquals("1.0", status.get("flags").get("--querylog-sample-rate").asText());
        assertEquals("false", status.get("flags").get("--querylog-include-values").asText());
        assertEquals("zone1", status.get("flags").get("--cell").asText());
        assertEquals("commerce", status.get("shards").get(0).get("keyspace").asText());
        assertEquals("1", status.get("shards").get(0).get("serving_tablets").asText());
        JsonNode tablet = status.get("tablets").get(0);
        assertEquals("zone1-101", tablet.get("alias").asText());
        assertEquals("primary", tablet.get("type").asText());
        assertEquals("serving", tablet.get("health").asText());
        assertEquals("true", status.get("topology").get(0).get("reachable").asText());
        String html = Http.get(http, "/debug/status");
        assertTrue(html.contains("<h1>vtgate status</h1>") && html.contains("zone1-101"), html);
    }

    private static void tabletStatus(int http, String password) throws Exception {
        JsonNode status = json(http, "/debug/status?format=json");
        assertEquals("vttablet zone1-101", status.get("daemon").asText());
        assertEquals("serving", status.get("state").asText());
        JsonNode tablet = status.get("tablet").get(0);
        assertEquals("commerce", tablet.get("keyspace").asText());
        assertEquals("0", tablet.get("shard").asText());
        assertEquals("primary", tablet.get("tablet_type").asText());
        assertEquals("serving", tablet.get("serving").asText());
        assertEquals("0", tablet.get("transactions_open").asText());
        List<String> pools = new ArrayList<>();
        status.get("pools").forEach(p -> pools.add(p.get("pool").asText()));
        assertTrue(pools.containsAll(List.of("query", "transaction", "stream")), pools::toString);
        assertEquals(password.isEmpty() ? "" : "****", status.get("flags").get("--mysql-password").asText());
        if (!password.isEmpty()) {
            assertFalse(status.toString().contains(password), "the password is masked");
        }
    }

    private static void queryLog(String text) throws Exception {
        assertFalse(text.contains("777001") || text.contains("777002") || text.contains("example.com"),
                "no literal reaches the log: " + text);
        List<JsonNode> mine = new ArrayList<>();
        for (String line : text.split("\n")) {
            JsonNode o = JSON.readTree(line);
            if (o.get("sql").asText().contains(" t ")) {
                mine.add(o);
            }
        }
        assertEquals(List.of("insert into t (id, email) values (:vtg1, :vtg2)", "select email from t where id = :vtg1",
                "select email from t where id = :vtg1", "insert into t (id, email) values (:vtg1, :vtg2)"),
                mine.stream().map(o -> o.get("sql").asText()).toList(), text);
        JsonNode insert = mine.get(0);
        assertEquals("commerce", insert.get("keyspace").asText());
        assertEquals("primary", insert.get("tablet_type").asText());
        assertEquals("Insert.Unsharded", insert.get("plan_type").asText());
        assertEquals("[\"commerce/0\"]", insert.get("shards").toString());
        assertEquals(1, insert.get("rows_affected").asInt());
        assertEquals("root", insert.get("user").asText());
        assertEquals(1, mine.get(1).get("rows_returned").asInt());
        assertEquals(0, mine.get(2).get("rows_returned").asInt());
        assertEquals(1062, mine.get(3).get("errno").asInt());
        assertEquals("23000", mine.get(3).get("sqlstate").asText());
        assertFalse(mine.get(3).has("error_message"));
    }
}
