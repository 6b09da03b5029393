package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Client-side packet building and parsing for protocol tests. */
final class TestPackets {
    private TestPackets() {}

    /** Frames a payload as wire packets (splitting at 16 MiB - 1), starting at {@code seq}. */
    static ByteBuf frame(int seq, byte[] payload) {
        ByteBuf out = Unpooled.buffer(payload.length + 8);
        int off = 0;
        while (true) {
            int chunk = Math.min(payload.length - off, PacketFramer.MAX_PAYLOAD);
            out.writeMediumLE(chunk).writeByte(seq++ & 0xFF).writeBytes(payload, off, chunk);
            off += chunk;
            if (chunk < PacketFramer.MAX_PAYLOAD) {
                return out;
            }
        }
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    /** Splits wire bytes into (sequence id, payload) pairs without joining continuations. */
    static List<byte[]> payloads(byte[] wire, List<Integer> seqs) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < wire.length) {
            int len = (wire[i] & 0xFF) | (wire[i + 1] & 0xFF) << 8 | (wire[i + 2] & 0xFF) << 16;
            seqs.add(wire[i + 3] & 0xFF);
            byte[] p = new byte[len];
            System.arraycopy(wire, i + 4, p, 0, len);
            out.add(p);
            i += 4 + len;
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads and releases everything the server wrote to {@code ch}: it must be well-framed packets, and no
     * ERR packet may be the "internal error" that stands for an unexpected exception. For fuzz targets.
     */
    static void checkReplies(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            try {
                while (b.isReadable()) {
                    if (b.readableBytes() < 4) {
                        throw new AssertionError("a packet header cut short: " + b.readableBytes() + " bytes");
                    }
                    int len = b.readUnsignedMediumLE();
                    b.skipBytes(1);
                    if (len == 0 || b.readableBytes() < len) {
                        throw new AssertionError("a packet of " + len + " bytes with " + b.readableBytes() + " left");
                    }
                    ByteBuf payload = b.readSlice(len);
                    if (payload.getUnsignedByte(0) == 0xFF && len > 9
                            && payload.toString(9, len - 9, StandardCharsets.UTF_8).startsWith("internal error")) {
                        throw new AssertionError("an unexpected exception: " + payload.toString(9, len - 9, StandardCharsets.UTF_8));
                    }
                }
            } finally {
                b.release();
            }
        }
    }
}
