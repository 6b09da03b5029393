package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketFramerTest {
    private static final int MAX = PacketFramer.MAX_PAYLOAD;

    @AfterEach
    void noLeaks() {
        assertEquals(java.util.List.of(), RecordingLeakDetector.collectLeaks());
    }

    private static void feedByteByByte(EmbeddedChannel ch, ByteBuf wire) {
        try {
            while (wire.isReadable()) {
                ch.writeInbound(wire.readRetainedSlice(1));
            }
        } finally {
            wire.release();
        }
    }

    private static byte[] readPacket(EmbeddedChannel ch, int firstSeq, int lastSeq) {
        Packet p = ch.readInbound();
        try {
            assertEquals(firstSeq, p.firstSequenceId());
            assertEquals(lastSeq, p.sequenceId());
            return TestPackets.bytes(p.payload());
        } finally {
            p.payload().release();
        }
    }

    @Test
    void smallPacketsFedByteByByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1 << 20));
        ByteBuf wire = TestPackets.frame(0, TestPackets.utf8("\u0003select 1"));
        wire.writeBytes(TestPackets.frame(7, new byte[0]));
        feedByteByByte(ch, wire);
        assertArrayEquals(TestPackets.utf8("\u0003select 1"), readPacket(ch, 0, 0));
        assertArrayEquals(new byte[0], readPacket(ch, 7, 7));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @ParameterizedTest
    @ValueSource(ints = {MAX - 1, MAX, MAX + 1, 2 * MAX, 20 * 1024 * 1024})
    void largePayloadsAreJoined(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(64 << 20));
        ByteBuf wire = TestPackets.frame(0, payload);
        int wirePackets = size / MAX + 1;
        // fragment at awkward places: 3 bytes, then 1 MiB + 1 chunks
        ch.writeInbound(wire.readRetainedSlice(3));
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), (1 << 20) + 1)));
        }
        wire.release();
        assertArrayEquals(payload, readPacket(ch, 0, wirePackets - 1));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void oversizedPacketIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(100));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(TestPackets.frame(0, new byte[101])));
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedJoinedPacketIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(MAX + 10));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(TestPackets.frame(0, new byte[MAX + 11])));
        ch.finishAndReleaseAll();
    }

    @Test
    void continuationOutOfOrderIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(64 << 20));
        ByteBuf wire = TestPackets.frame(0, new byte[MAX + 5]);
        wire.setByte(4 + MAX + 3, 9); // second packet's sequence id: 9 instead of 1
        assertThrows(CorruptedFrameException.class, () -> ch.writeInbound(wire));
        ch.finishAndReleaseAll();
    }

    /** Found by PacketFramerFuzzTest: closing the channel used to frame the bytes that followed the bad packet. */
    @Test
    void nothingIsFramedAfterAFailure() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(100, 4));
        ByteBuf wire = TestPackets.frame(0, new byte[4]);   // a full wire packet: a continuation follows
        wire.writeBytes(TestPackets.frame(5, new byte[1])); // out of order: 5 instead of 1
        wire.writeBytes(TestPackets.frame(0, new byte[1])); // a well-formed packet after the bad one
        assertThrows(CorruptedFrameException.class, () -> ch.writeInbound(wire));
        ch.writeInbound(TestPackets.frame(0, new byte[2]));
        assertFalse(ch.finish(), "no packet after the failure, not even when closing");
    }

    @Test
    void partialPacketStaysBuffered() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1 << 20));
        ByteBuf wire = TestPackets.frame(0, new byte[10]);
        ch.writeInbound(wire.readRetainedSlice(8));
        wire.release();
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }
}
