package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.StaticAuthServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection phase, fed byte by byte through EmbeddedChannel with paranoid leak detection. */
class HandshakeHandlerTest {
    private static final RsaKeys KEYS = RsaKeys.generate();
    private static final String NATIVE = "mysql_native_password";
    private static final String SHA2 = "caching_sha2_password";
    private static final int CLIENT_CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_DEPRECATE_EOF | Capabilities.CLIENT_LONG_PASSWORD;

    private final AuthServer users = StaticAuthServer.parse("""
            {"alice": [{"Password": "secret", "Groups": ["admin"]}],
             "bob": {"MysqlNativePassword": "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"},
             "empty": [{"Password": ""}]}""");
    private final MysqlServerConfig config = new MysqlServerConfig("8.0.40-Tessel", NATIVE, 1 << 20,
            Duration.ofSeconds(10), users, KEYS, ConcurrentHashMap.newKeySet());
    private final FakeSqlHandler sql = new FakeSqlHandler();

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }

    /** A client connection: the server's handshake read, replies collected with their sequence ids. */
    private final class Client {
        final EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1 << 20), new HandshakeHandler(config, sql, 7));
        final byte[] scramble;
        int seq = 1;

        Client() {
            byte[] hs = readPayloads().get(0);
            ByteBuf b = Unpooled.wrappedBuffer(hs);
            assertEquals(10, b.readByte());
            assertEquals("8.0.40-Tessel", MysqlBuf.readNulString(b, "version"));
            assertEquals(7, b.readIntLE());
            byte[] part1 = MysqlBuf.readFixedBytes(b, 8, "s1");
            b.skipBytes(1 + 2 + 1 + 2 + 2 + 1 + 10);
            byte[] part2 = MysqlBuf.readFixedBytes(b, 12, "s2");
            b.skipBytes(1);
            assertEquals(NATIVE, MysqlBuf.readNulString(b, "plugin"));
            scramble = new byte[20];
            System.arraycopy(part1, 0, scramble, 0, 8);
            System.arraycopy(part2, 0, scramble, 8, 12);
        }

        void send(byte[] payload) {
            ByteBuf wire = TestPackets.frame(seq, payload);
            seq++;
            while (wire.isReadable()) {
                ch.writeInbound(wire.readRetainedSlice(1));
            }
            wire.release();
        }

        List<byte[]> readPayloads() {
            ByteBuf all = Unpooled.buffer();
            for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
                all.writeBytes(b);
                b.release();
            }
            List<Integer> seqs = new ArrayList<>();
            List<byte[]> out = TestPackets.payloads(TestPackets.bytes(all), seqs);
            all.release();
            if (!seqs.isEmpty()) {
                seq = seqs.get(seqs.size() - 1) + 1;
            }
            return out;
        }

        byte[] reply() {
            List<byte[]> p = readPayloads();
            assertEquals(1, p.size(), "one reply packet");
            return p.get(0);
        }
    }

    private static byte[] response(String user, byte[] auth, String db, String plugin) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(CLIENT_CAPS).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        MysqlBuf.writeNulString(b, user);
        MysqlBuf.writeLenencBytes(b, auth);
        MysqlBuf.writeNulString(b, db);
        MysqlBuf.writeNulString(b, plugin);
        byte[] out = TestPackets.bytes(b);
        b.release();
        return out;
    }

    private static byte[] sha(String alg, byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i % b.length]);
        }
        return out;
    }

    static byte[] nativeAuth(String password, byte[] scramble) throws Exception {
        byte[] p1 = sha("SHA-1", password.getBytes(StandardCharsets.UTF_8));
        return xor(p1, sha("SHA-1", scramble, sha("SHA-1", p1)));
    }

    static byte[] sha2Auth(String password, byte[] scramble) throws Exception {
        byte[] p1 = sha("SHA-256", password.getBytes(StandardCharsets.UTF_8));
        return xor(p1, sha("SHA-256", sha("SHA-256", p1), scramble));
    }

    private static void assertOk(byte[] p) {
        assertEquals(0x00, p[0] & 0xFF, "OK packet");
    }

    private static void assertErr(byte[] p, int errno, String state) {
        assertEquals(0xFF, p[0] & 0xFF, "ERR packet");
        assertEquals(errno, (p[1] & 0xFF) | (p[2] & 0xFF) << 8);
        assertEquals(state, new String(p, 4, 5, StandardCharsets.US_ASCII));
    }

    private static void assertAuthenticated(Client c) {
        assertNotNull(c.ch.pipeline().get(CommandHandler.class));
        assertNull(c.ch.pipeline().get(HandshakeHandler.class));
        c.ch.finishAndReleaseAll();
    }

    @Test
    void nativePasswordFromPlaintextAndFromHash() throws Exception {
        Client c = new Client();
        c.send(response("alice", nativeAuth("secret", c.scramble), "commerce", NATIVE));
        assertOk(c.reply());
        assertAuthenticated(c);

        Client d = new Client();
        d.send(response("bob", nativeAuth("password", d.scramble), "", NATIVE));
        assertOk(d.reply());
        assertAuthenticated(d);
    }

    @Test
    void wrongPasswordIsAccessDenied() throws Exception {
        Client c = new Client();
        c.send(response("alice", nativeAuth("wrong", c.scramble), "", NATIVE));
        byte[] err = c.reply();
        assertErr(err, 1045, "28000");
        assertTrue(new String(err, StandardCharsets.UTF_8).contains("Access denied for user 'alice'"));
        assertFalse(c.ch.isActive());
        c.ch.finishAndReleaseAll();
    }

    @Test
    void unknownUserIsAccessDenied() throws Exception {
        Client c = new Client();
        c.send(response("mallory", nativeAuth("x", c.scramble), "", NATIVE));
        assertErr(c.reply(), 1045, "28000");
        assertFalse(c.ch.isActive());
        c.ch.finishAndReleaseAll();
    }

    @Test
    void unknownDatabaseIsRefused() throws Exception {
        Client c = new Client();
        c.send(response("alice", nativeAuth("secret", c.scramble), "nope", NATIVE));
        assertErr(c.reply(), 1049, "42000");
        assertFalse(c.ch.isActive());
        c.ch.finishAndReleaseAll();
    }

    @Test
    void cachingSha2FullAuthenticationThenFastPath() throws Exception {
        Client c = new Client();
        c.send(response("alice", sha2Auth("secret", c.scramble), "", SHA2));
        assertArrayEquals(new byte[] {1, 4}, c.reply(), "perform full authentication");
        c.send(new byte[] {2}); // request the public key
        byte[] keyPacket = c.reply();
        assertEquals(1, keyPacket[0]);
        String pem = new String(keyPacket, 1, keyPacket.length - 1, StandardCharsets.US_ASCII);
        c.send(encrypt(pem, "secret", c.scramble));
        assertOk(c.reply());
        assertAuthenticated(c);

        Client d = new Client();
        d.send(response("alice", sha2Auth("secret", d.scramble), "", SHA2));
        List<byte[]> replies = d.readPayloads();
        assertArrayEquals(new byte[] {1, 3}, replies.get(0), "fast auth success");
        assertOk(replies.get(1));
        assertAuthenticated(d);
    }

    @Test
    void cachingSha2FullAuthenticationWithWrongPassword() throws Exception {
        Client c = new Client();
        c.send(response("alice", sha2Auth("wrong", c.scramble), "", SHA2));
        assertArrayEquals(new byte[] {1, 4}, c.reply());
        c.send(new byte[] {2});
        byte[] keyPacket = c.reply();
        c.send(encrypt(new String(keyPacket, 1, keyPacket.length - 1, StandardCharsets.US_ASCII), "wrong", c.scramble));
        assertErr(c.reply(), 1045, "28000");
        c.ch.finishAndReleaseAll();
    }

    @Test
    void unknownPluginSwitchesToNative() throws Exception {
        Client c = new Client();
        c.send(response("alice", "secret".getBytes(StandardCharsets.UTF_8), "", "mysql_clear_password"));
        byte[] sw = c.reply();
        assertEquals(0xFE, sw[0] & 0xFF);
        ByteBuf b = Unpooled.wrappedBuffer(sw, 1, sw.length - 1);
        assertEquals(NATIVE, MysqlBuf.readNulString(b, "plugin"));
        byte[] newScramble = MysqlBuf.readFixedBytes(b, 20, "scramble");
        c.send(nativeAuth("secret", newScramble));
        assertOk(c.reply());
        assertAuthenticated(c);
    }

    @Test
    void emptyPasswordUser() {
        Client c = new Client();
        c.send(response("empty", new byte[0], "", NATIVE));
        assertOk(c.reply());
        assertAuthenticated(c);
    }

    @Test
    void truncatedHandshakeResponseIsMalformed() {
        Client c = new Client();
        c.send(new byte[] {(byte) 0x8d, (byte) 0xa6, 0x0f, 0x00, 0x00});
        assertErr(c.reply(), 1835, "HY000");
        assertFalse(c.ch.isActive());
        c.ch.finishAndReleaseAll();
    }

    @Test
    void tlsRequestIsRefusedClearly() {
        Client c = new Client();
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(CLIENT_CAPS | Capabilities.CLIENT_SSL).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        c.send(TestPackets.bytes(b));
        b.release();
        assertErr(c.reply(), 1043, "08S01");
        c.ch.finishAndReleaseAll();
    }

    private static byte[] encrypt(String pem, String password, byte[] scramble) throws Exception {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        byte[] pw = (password + "\0").getBytes(StandardCharsets.UTF_8);
        return cipher.doFinal(xor(pw, scramble));
    }
}
