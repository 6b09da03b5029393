package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtcombo.ComboCluster;
import io.tessel.vtcombo.ComboConfig;
import io.tessel.vtgate.VtGateConfig;
import io.tessel.vtgate.tls.SelfSignedCertificate;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on vtgate's MySQL port with a self-signed certificate, secure transport required and users authenticating
 * with caching_sha2_password (full authentication sends the password in clear over TLS): the {@code mariadb}
 * CLI with {@code --ssl} (trusting the certificate and verifying the host, or not verifying), MySQL Connector/J
 * with {@code sslMode=REQUIRED} and {@code VERIFY_IDENTITY}, MariaDB Connector/J; plain connections are refused
 * with MySQL's error 3159.
 */
@Timeout(180)
class TlsClientsIT {
    @TempDir
    static Path dir;

    private static ComboCluster cluster;
    private static Path cert;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.generate("localhost", Duration.ofDays(1)).writePem(cert, key);
        Path users = dir.resolve("users.json");
        Files.writeString(users, "{\"alice\": [{\"Password\": \"s3cret\"}]}");
        VtGateConfig vtgate = VtGateConfig.defaults().withPort(0).withAuth("static", users, "caching_sha2_password")
                .withTls(new VtGateConfig.Tls(cert, key, true));
        Files.createDirectories(dir.resolve("schema/customer"));
        Files.writeString(dir.resolve("schema/customer/01.sql"), "create table t (id bigint primary key, v varchar(16));");
        Files.writeString(dir.resolve("schema/customer/vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(dir.resolve("schema")).keyspace("customer", 2)
                .vtgate(vtgate).build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String cli(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P",
                Integer.toString(cluster.address().getPort()), "-u", "alice", "-ps3cret"));
        command.addAll(List.of(options));
        command.add("customer");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("insert into t (id, v) values (1, 'a'), (2, 'b') on duplicate key update v = values(v);\nselect count(*) from t where id in (1, 2);\n\\s\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "exit " + p.exitValue() + "\n" + out;
    }

    @Test
    void mariadbCliWithSslVerifyingTheServer() throws Exception {
        assumeTrue(MariadbCliClientIT.onPath("mariadb"), "the mariadb client is not installed");
        String out = cli("--ssl", "--ssl-ca=" + cert, "--ssl-verify-server-cert");
        assertTrue(out.startsWith("exit 0\n"), out);
        assertTrue(out.contains("count(*)\n2\n"), out);
        assertTrue(out.matches("(?s).*SSL:\\s+Cipher in use is TLS_.*"), out);
    }

    @Test
    void mariadbCliWithSslWithoutVerification() throws Exception {
        assumeTrue(MariadbCliClientIT.onPath("mariadb"), "the mariadb client is not installed");
        String out = cli("--ssl", "--ssl-verify-server-cert=off");
        assertTrue(out.startsWith("exit 0\n"), out);
        assertTrue(out.matches("(?s).*SSL:\\s+Cipher in use is TLS_.*"), out);
    }

    @Test
    void mariadbCliWithoutSslIsRefused() throws Exception {
        assumeTrue(MariadbCliClientIT.onPath("mariadb"), "the mariadb client is not installed");
        String out = cli("--skip-ssl");
        assertTrue(out.startsWith("exit 1\n"), out);
        assertTrue(out.contains("ERROR 3159 (HY000): Connections using insecure transport are prohibited while "
                + "--require_secure_transport=ON."), out);
    }

    private static Connection jdbc(String driver, String options) throws SQLException {
        return DriverManager.getConnection("jdbc:" + driver + "://127.0.0.1:" + cluster.address().getPort()
                + "/customer?user=alice&password=s3cret&" + options);
    }

    @Test
    void connectorJWithSslModeRequired() throws Exception {
        try (Connection c = jdbc("mysql", "sslMode=REQUIRED")) {
            c.createStatement().executeUpdate("insert into t (id, v) values (3, 'c') on duplicate key update v = 'c'");
            assertEquals(List.of("3|c"), JdbcDriversIT.rows(c, "select id, v from t where id = 3"));
        }
    }

    @Test
    void connectorJVerifyingTheCertificateAndHost() throws Exception {
        Path trust = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("tessel", io.tessel.vtgate.tls.PemFiles.readCertificates(cert).getFirst());
        try (OutputStream out = Files.newOutputStream(trust)) {
            ks.store(out, "changeit".toCharArray());
        }
        try (Connection c = jdbc("mysql", "sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=" + trust.toUri()
                + "&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=changeit")) {
            assertEquals(1, c.createStatement().executeQuery("select 1").getMetaData().getColumnCount());
        }
    }

    @Test
    void mariadbConnectorJWithTls() throws Exception {
        try (Connection c = jdbc("mariadb", "sslMode=trust")) {
            assertEquals("1", JdbcDriversIT.rows(c, "select 1").getFirst());
        }
    }

    @Test
    void plainJdbcIsRefused() {
        SQLException e = assertThrows(SQLException.class, () -> jdbc("mysql", "sslMode=DISABLED&allowPublicKeyRetrieval=true").close());
        assertEquals(3159, e.getErrorCode(), e.getMessage());
        assertTrue(e.getMessage().contains("Connections using insecure transport are prohibited"), e.getMessage());
    }
}
