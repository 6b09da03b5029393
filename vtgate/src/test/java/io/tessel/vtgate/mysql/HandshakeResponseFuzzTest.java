package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.StaticAuthServer;
import io.tessel.vtgate.mysql.packet.HandshakeResponse41;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the client's handshake response: first {@link HandshakeResponse41#read} alone (it returns, or
 * throws ER_MALFORMED_PACKET), then the connection phase as a whole, {@link PacketFramer} and
 * {@link HandshakeHandler} in an {@code EmbeddedChannel} fed one to three client packets (the response,
 * then answers to an auth switch or a caching_sha2 full authentication), under each kind of user store.
 * Every reply must be well framed, an error reply never the "internal error" of an unexpected exception,
 * and every buffer released once the channel is closed.
 */
class HandshakeResponseFuzzTest {
    private static final RsaKeys KEYS = RsaKeys.generate();
    private static final AuthServer USERS = StaticAuthServer.parse("""
            {"alice": [{"Password": "secret"}],
             "bob": {"MysqlNativePassword": "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"},
             "empty": [{"Password": ""}]}""");
    private static final FakeSqlHandler SQL = new FakeSqlHandler();

    @AfterAll
    static void noLeaks() {
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }

    @FuzzTest
    @DictionaryEntries({"mysql_native_password", "caching_sha2_password", "alice", "bob", "empty", "commerce",
        "_client_name", "\u0002"})
    void survivesAnyHandshakeResponse(FuzzedDataProvider data) {
        boolean isStaticUsers = data.consumeBoolean();
        boolean isSha2Default = data.consumeBoolean();
        int followUps = data.consumeInt(0, 2);
        List<byte[]> packets = new ArrayList<>();
        for (int k = 0; k < followUps; k++) {
            packets.add(data.consumeBytes(data.consumeInt(0, 300)));
        }
        packets.addFirst(data.consumeRemainingAsBytes());

        decodeAlone(packets.getFirst());
        MysqlServerConfig config = new MysqlServerConfig("8.0.40-Tessel",
                isSha2Default ? "caching_sha2_password" : "mysql_native_password", 1 << 20, Duration.ofSeconds(10),
                isStaticUsers ? USERS : AuthServer.none(), KEYS, ConcurrentHashMap.newKeySet());
        connect(config, packets);
    }

    /** The decoder alone: a response, or ER_MALFORMED_PACKET; never reads past the packet. */
    private static void decodeAlone(byte[] payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        try {
            HandshakeResponse41 r = HandshakeResponse41.read(buf);
            assertNotNull(r.username());
            assertNotNull(r.authResponse());
            assertNotNull(r.database());
            assertNotNull(r.authPluginName());
            assertNotNull(r.attributes());
        } catch (VtException e) {
            assertEquals(SqlError.ER_MALFORMED_PACKET.errno(), e.errno(), e.getMessage());
        }
        assertTrue(buf.readerIndex() <= buf.writerIndex());
    }

    /** The connection phase over an EmbeddedChannel; stops when the channel closes or authentication succeeds. */
    private static void connect(MysqlServerConfig config, List<byte[]> packets) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(false, false, new PacketFramer(1 << 20),
                new HandshakeHandler(config, SQL, 7));
        ch.config().setAllocator(alloc);
        try {
            ch.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        TestPackets.checkReplies(ch); // the server's greeting
        int seq = 1;
        for (byte[] p : packets) {
            if (!ch.isOpen() || ch.pipeline().get(HandshakeHandler.class) == null) {
                break;
            }
            ByteBuf wire = TestPackets.frame(seq, p);
            ch.writeInbound(alloc.copyOf(TestPackets.bytes(wire), 0, wire.readableBytes()));
            wire.release();
            seq += 2;
            TestPackets.checkReplies(ch);
        }
        ch.finishAndReleaseAll();
        TestPackets.checkReplies(ch);
        assertFalse(ch.isOpen());
        alloc.assertAllReleased("handshake");
    }
}
