package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtcombo.ComboCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * node's {@code mysql2} driver (query() with client-side placeholders and execute() with server-side prepared
 * statements) against the sharded client cluster, from {@code clients/mysql2-client.js}. mysql2 is installed
 * with npm into {@code target/node-clients} on first use (a pinned version); without node or npm, or when
 * npm cannot install it, the test is skipped and says why.
 */
@Timeout(300)
@ExtendWith(ClientCluster.class)
class NodeMysql2ClientIT {
    /** The mysql2 release the suite was written against. */
    static final String MYSQL2 = "mysql2@3.24.6";

    @Test
    void queryAndExecute(ComboCluster cluster) throws Exception {
        assumeTrue(MariadbCliClientIT.onPath("node") && MariadbCliClientIT.onPath("npm"),
                "node and npm are not installed (apt-get install nodejs npm); skipping the mysql2 client");
        Path dir = install();
        Path script = dir.resolve("mysql2-client.js");
        try (InputStream in = NodeMysql2ClientIT.class.getResourceAsStream("/clients/mysql2-client.js")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TESSEL_PORT", Integer.toString(cluster.address().getPort()));
        pb.environment().put("TESSEL_DATABASE", "customer");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("ok ddl", "ok dml", "ok transactions", "ok prepared", "ok metadata", "ok large values",
                "ok warnings"), out.lines().toList());
    }

    /** target/node-clients with mysql2 installed, or the test is skipped when npm cannot install it. */
    private static Path install() throws IOException, InterruptedException {
        Path dir = Path.of("target", "node-clients").toAbsolutePath();
        if (Files.isDirectory(dir.resolve("node_modules/mysql2"))) {
            return dir;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"name\": \"tessel-node-clients\", \"private\": true}\n");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", MYSQL2)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean isDone = npm.waitFor(180, TimeUnit.SECONDS);
        assumeTrue(isDone && npm.exitValue() == 0 && Files.isDirectory(dir.resolve("node_modules/mysql2")),
                "npm could not install " + MYSQL2 + " (no registry access?); skipping the mysql2 client:\n" + log);
        return dir;
    }
}
