package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import io.tessel.vtgate.tls.SelfSignedCertificate;
import io.tessel.vtgate.tls.ServerTls;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSLRequest path over a real socket: a JDK SSLSocket layered on the connection after the SSLRequest;
 * paranoid leak detection over the whole class.
 */
class TlsServerTest {
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate("localhost", Duration.ofDays(1));
    private static final FakeSqlHandler SQL = new FakeSqlHandler();
    private static MySqlServer server;
    private static MySqlServer required;
    private static int optionalPort;
    private static int requiredPort;

    @BeforeAll
    static void start() throws Exception {
        SQL.results.put("select 'secret'", QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(6).setValues(ByteString.copyFromUtf8("secret"))).build());
        MysqlServerConfig plain = MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password");
        server = new MySqlServer(plain.withTls(ServerTls.of(CERT), false), SQL, 1);
        optionalPort = server.start("127.0.0.1", 0).getPort();
        required = new MySqlServer(plain.withTls(ServerTls.of(CERT), true), SQL, 1);
        requiredPort = required.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        required.close();
        assertEquals(java.util.List.of(), RecordingLeakDetector.collectLeaks(), "paranoid leak detection");
    }

    static SSLContext trusting(java.security.cert.X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("tessel", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void queriesRunOverTls() throws Exception {
        try (RawClient c = RawClient.connectTls(optionalPort, Capabilities.CLIENT_DEPRECATE_EOF, trusting(CERT.certificate()))) {
            assertEquals(Capabilities.CLIENT_SSL, c.serverCapabilities & Capabilities.CLIENT_SSL);
            assertTrue(c.socket instanceof javax.net.ssl.SSLSocket);
            c.command(Command.COM_QUERY, "select 'secret'");
            assertEquals(1, c.read().payload()[0], "one column");
            c.read(); // column definition
            Reply row = c.read();
            assertEquals("secret", new String(row.payload(), 1, 6, StandardCharsets.UTF_8));
            assertEquals(0xFE, c.read().header());
        }
    }

    @Test
    void plainLoginsStillWorkWhenTlsIsOptional() throws Exception {
        try (RawClient c = RawClient.connect(optionalPort, 0)) {
            assertEquals(Capabilities.CLIENT_SSL, c.serverCapabilities & Capabilities.CLIENT_SSL);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("localhost", Duration.ofDays(1));
        assertThrows(SSLHandshakeException.class,
                () -> RawClient.connectTls(optionalPort, 0, trusting(other.certificate())).close());
        try (RawClient c = RawClient.connect(optionalPort, 0)) { // the server is unaffected
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }

    @Test
    void requiredSecureTransportRefusesPlainAndAcceptsTls() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RawClient.connect(requiredPort, 0));
        assertTrue(e.getMessage().contains("Connections using insecure transport are prohibited while "
                + "--require_secure_transport=ON."), e.getMessage());
        try (RawClient c = RawClient.connectTls(requiredPort, 0, trusting(CERT.certificate()))) {
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }
}
