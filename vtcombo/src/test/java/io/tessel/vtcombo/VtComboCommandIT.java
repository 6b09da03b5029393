package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code vtcombo} command as bin/vtcombo runs it with no flags (a JVM started on the VtCombo class,
 * serving the built-in example: commerce unsharded, customer on two shards, a MariaDB per shard): the
 * mariadb CLI runs a session through it in commerce and straight against commerce's MariaDB with the
 * same output, and SIGTERM (what Ctrl-C sends) stops everything and removes every MariaDB's files.
 */
@Timeout(180)
class VtComboCommandIT {
    private static final String SCRIPT = """
            select @@version_comment;
            show tables;
            create table t (id int primary key, name varchar(32), amount decimal(8,2));
            insert into t values (1, 'one', 1.10), (2, 'two', 2.20), (3, 'three', null);
            select * from t order by id;
            update t set amount = 9.99 where id = 3;
            delete from t where id = 2;
            begin;
            insert into t values (4, 'rolled back', 0);
            rollback;
            start transaction;
            insert into t values (5, 'committed', 5);
            commit;
            select * from t order by id;
            select count(*), sum(amount) from t;
            insert into t values (1, 'dup', 0);
            """;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String cli(int port, String database, String script) throws Exception {
        Process p = new ProcessBuilder("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(port),
                "-u", "root", "--batch", "--force", "--skip-ssl", database).redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void mariadbCliThroughVtcomboMatchesMariaDbDirectly() throws Exception {
        Path data = Files.createTempDirectory("vtcombo-it");
        int port = freePort();
        int httpPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process combo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), VtCombo.class.getName(), "--mysql-port", Integer.toString(port),
                "--http-port", Integer.toString(httpPort), "--data-dir", data.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(combo.getInputStream(), StandardCharsets.UTF_8));
            int mysqlPort = -1;
            List<String> shards = new ArrayList<>();
            StringBuilder log = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = Pattern.compile("keyspace (\\S+) +shard (\\S+) +MySQL at 127\\.0\\.0\\.1:(\\d+)").matcher(line);
                if (m.find()) {
                    shards.add(m.group(1) + "/" + m.group(2) + ":" + m.group(3));
                    if (m.group(1).equals("commerce")) {
                        mysqlPort = Integer.parseInt(m.group(3));
                    }
                }
                if (line.contains("Press Ctrl-C")) {
                    break;
                }
            }
            assertTrue(mysqlPort > 0, log::toString);
            assertEquals(List.of("commerce/0", "customer/-80", "customer/80-"),
                    shards.stream().map(s -> s.substring(0, s.indexOf(':'))).toList(), log::toString);
            List<String> mysqlPortFlags = shards.stream().map(s -> "--port=" + s.substring(s.indexOf(':') + 1)).toList();
            Thread drain = Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
            // The same session straight against the shard's MariaDB, in a database of its own.
            cli(mysqlPort, "", "create database direct;");
            String direct = cli(mysqlPort, "direct", SCRIPT.replace("show tables;\n", ""));
            String tessel = cli(port, "commerce", SCRIPT.replace("show tables;\n", ""));
            assertEquals(direct.lines().skip(2).toList(),
                    tessel.lines().skip(2).toList(), "everything after @@version_comment matches");
            assertTrue(tessel.startsWith("@@version_comment\nTessel\n"), tessel);
            assertTrue(tessel.contains("ERROR 1062 (23000)"), tessel);
            assertTrue(cli(port, "commerce", "show tables;").contains("product"), "the example schema is there");
            assertTrue(cli(port, "customer:-80", "show tables;").contains("corder"), "in both keyspaces");
            assertEquals("200 ok\n", Http.get(httpPort, "/readyz"));
            String metrics = Http.get(httpPort, "/metrics");
            assertTrue(Http.sample(metrics, "vtgate_queries_total{keyspace=\"commerce\",plan_type=\"Show\","
                    + "tablet_type=\"primary\"}") >= 1, metrics);
            assertEquals(1, Http.sample(metrics, "vttablet_serving{keyspace=\"customer\",shard=\"80-\"}"));
            String stats = Http.get(httpPort, "/debug/querystats");
            assertTrue(stats.contains("[{\"pattern\":") && stats.contains("\"count\":"), stats);
            assertTrue(Http.get(httpPort, "/debug/insights").contains("<table id=\"insights\">"));
            String status = Http.get(httpPort, "/debug/status?format=json");
            assertTrue(status.contains("\"state\" : \"serving\"") && status.contains("\"--http-port\" : \"" + httpPort + "\"")
                    && status.contains("\"--data-dir\" : \"" + data + "\""), status);
            assertTrue(Http.get(httpPort, "/debug/plans").startsWith("200 {"));

            combo.toHandle().destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook runs
            assertTrue(combo.waitFor(60, TimeUnit.SECONDS), "vtcombo stops");
            drain.join(5_000);
            try (var files = Files.list(data)) {
                assertEquals(0, files.count(), "the MariaDBs' directories are removed");
            }
            assertFalse(ProcessHandle.allProcesses().anyMatch(h -> mysqlPortFlags.stream().anyMatch(flag ->
                    h.info().commandLine().orElse("").contains(flag + " ") || h.info().commandLine().orElse("")
                            .endsWith(flag))), "no mariadbd is left running");
        } finally {
            combo.destroyForcibly();
        }
    }
}
