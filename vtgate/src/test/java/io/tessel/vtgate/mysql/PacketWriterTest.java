package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketWriterTest {
    private static final int MAX = PacketFramer.MAX_PAYLOAD;

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = TestPackets.bytes(all);
        all.release();
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 250, 70_000, MAX - 1, MAX, MAX + 1, 2 * MAX, 20 * 1024 * 1024})
    void payloadsAreSplitAtSixteenMegabytes(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        EmbeddedChannel ch = new EmbeddedChannel();
        PacketWriter w = new PacketWriter(ch, 3);
        w.begin(size).writeBytes(payload);
        w.end();
        w.begin(1).writeByte(0x42); // a second, small packet after it
        w.end();
        w.flush();
        List<Integer> seqs = new ArrayList<>();
        List<byte[]> packets = TestPackets.payloads(drain(ch), seqs);
        int expectedWire = size / MAX + 1;
        assertEquals(expectedWire + 1, packets.size());
        byte[] joined = new byte[size];
        int off = 0;
        for (int i = 0; i < expectedWire; i++) {
            System.arraycopy(packets.get(i), 0, joined, off, packets.get(i).length);
            off += packets.get(i).length;
            assertEquals(3 + i, seqs.get(i));
        }
        assertArrayEquals(payload, joined);
        assertArrayEquals(new byte[] {0x42}, packets.get(expectedWire));
        assertEquals(3 + expectedWire, seqs.get(expectedWire));
        assertFalse(ch.finish());
    }

    @ParameterizedTest
    @ValueSource(ints = {251, 65_535, 65_536, 16_777_215, 16_777_216})
    void lenencBoundaries(int value) {
        ByteBuf b = Unpooled.buffer();
        MysqlBuf.writeLenencInt(b, value);
        assertEquals(MysqlBuf.lenencIntSize(value), b.readableBytes());
        assertEquals(value, MysqlBuf.readLenencInt(b, "x"));
        b.release();
        assertEquals(Arrays.asList(1, 3, 4, 9), Arrays.asList(MysqlBuf.lenencIntSize(250), MysqlBuf.lenencIntSize(251),
                MysqlBuf.lenencIntSize(1 << 16), MysqlBuf.lenencIntSize(1 << 24)));
    }
}
