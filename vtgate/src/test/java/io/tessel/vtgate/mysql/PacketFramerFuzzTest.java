package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link PacketFramer} with arbitrary byte streams cut into arbitrary chunks, against a small
 * reference model of MySQL framing: the packets emitted (payload, first and last sequence id) must be
 * exactly the model's, the only failures a too-long or out-of-order packet where the model has one, and
 * every buffer must be released once the channel is closed. Wire packets are usually made tiny (1 to 16
 * bytes) so that 16 MiB continuations are exercised with small inputs; sometimes MySQL's real limit is used.
 * Runs the corpus under {@code mvn test}; fuzzes with {@code JAZZER_FUZZ=1} (see bench/fuzz.sh).
 */
class PacketFramerFuzzTest {
    /** One logical packet as the model expects it. */
    record Expected(int firstSequenceId, int sequenceId, byte[] payload) {}

    /** The model's verdict: the packets before any failure, and the failure's type (null if none). */
    record Outcome(List<Expected> packets, Class<? extends Exception> failure) {}

    @AfterAll
    static void noLeaks() {
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }

    @FuzzTest
    void framesAnyByteStream(FuzzedDataProvider data) {
        boolean isTinyWire = data.consumeInt(0, 7) != 0;
        int maxWire = isTinyWire ? data.consumeInt(1, 16) : PacketFramer.MAX_PAYLOAD;
        int maxPacket = data.consumeBoolean() ? data.consumeInt(0, 64) : 1 << 20;
        Random chunks = new Random(data.consumeLong());
        byte[] wire = data.consumeRemainingAsBytes();

        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(maxPacket, maxWire));
        ch.config().setAllocator(alloc);
        List<Packet> got = new ArrayList<>();
        Throwable failure = feed(ch, alloc, wire, chunks, got);
        try {
            Outcome want = model(wire, maxPacket, maxWire);
            assertEquals(want.failure(), failure == null ? null : failure.getClass(), "failure");
            assertEquals(want.packets().size(), got.size(), "packet count");
            for (int k = 0; k < got.size(); k++) {
                Expected e = want.packets().get(k);
                assertEquals(e.firstSequenceId(), got.get(k).firstSequenceId(), "first sequence id");
                assertEquals(e.sequenceId(), got.get(k).sequenceId(), "last sequence id");
                assertArrayEquals(e.payload(), TestPackets.bytes(got.get(k).payload()), "payload");
            }
        } finally {
            got.forEach(p -> p.payload().release());
        }
        alloc.assertAllReleased("framer");
    }

    /** Writes the stream in random chunks until the framer fails; returns the failure's cause, closes the channel. */
    private static Throwable feed(EmbeddedChannel ch, TrackingAllocator alloc, byte[] wire, Random chunks,
                                  List<Packet> got) {
        Throwable failure = null;
        int at = 0;
        while (at < wire.length && failure == null) {
            int end = chunks.nextInt(4) == 0 ? wire.length : Math.min(wire.length, at + 1 + chunks.nextInt(9));
            try {
                ch.writeInbound(alloc.copyOf(wire, at, end));
            } catch (DecoderException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            at = end;
            for (Object o; (o = ch.readInbound()) != null; ) {
                got.add((Packet) o);
            }
        }
        ch.finishAndReleaseAll();
        assertNull(ch.readInbound());
        return failure;
    }

    /** What the framer must do with {@code wire}: MySQL framing, written as plainly as possible. */
    static Outcome model(byte[] wire, int maxPacket, int maxWire) {
        List<Expected> out = new ArrayList<>();
        ByteArrayOutputStream pending = null;
        int first = 0;
        int last = 0;
        int at = 0;
        while (wire.length - at >= 3) {
            int len = (wire[at] & 0xFF) | (wire[at + 1] & 0xFF) << 8 | (wire[at + 2] & 0xFF) << 16;
            if (len > maxWire) {
                return new Outcome(out, TooLongFrameException.class); // only possible with a tiny wire limit
            }
            if (wire.length - at < 4 + len) {
                break;
            }
            int seq = wire[at + 3] & 0xFF;
            byte[] payload = Arrays.copyOfRange(wire, at + 4, at + 4 + len);
            at += 4 + len;
            if (pending == null && len < maxWire) {
                if (len > maxPacket) {
                    return new Outcome(out, TooLongFrameException.class);
                }
                out.add(new Expected(seq, seq, payload));
                continue;
            }
            if (pending == null) {
                pending = new ByteArrayOutputStream();
                first = seq;
            } else if (seq != ((last + 1) & 0xFF)) {
                return new Outcome(out, CorruptedFrameException.class);
            }
            last = seq;
            if ((long) pending.size() + len > maxPacket) {
                return new Outcome(out, TooLongFrameException.class);
            }
            pending.writeBytes(payload);
            if (len < maxWire) {
                out.add(new Expected(first, last, pending.toByteArray()));
                pending = null;
            }
        }
        return new Outcome(out, null);
    }
}
