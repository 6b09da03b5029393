package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * The only place that knows MySQL framing: a 3-byte little-endian payload length and a sequence id
 * per wire packet, and payloads of 16 MiB - 1 or more split across consecutive packets. Emits one
 * {@link Packet} per logical packet, with continuations joined; the downstream handler owns it.
 * Throws {@link TooLongFrameException} when a joined payload would exceed {@code maxPacketSize} and
 * {@link CorruptedFrameException} when continuation sequence ids are out of order. After either the
 * connection is broken: later bytes, including those already received, are discarded, never framed
 * (also not when the closing channel decodes what is left).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL packets</a>
 */
public final class PacketFramer extends LengthFieldBasedFrameDecoder {
    /** The largest payload one wire packet carries; a payload this long continues in the next. */
    public static final int MAX_PAYLOAD = 0xFFFFFF;

    private final int maxPacketSize;
    private final int maxWirePayload;
    private CompositeByteBuf pending;
    private int pendingFirstSequenceId;
    private int pendingSequenceId;
    private int lastSequenceId;
    private boolean isFailed;

    /** @param maxPacketSize the largest joined payload accepted, like MySQL's max_allowed_packet */
    public PacketFramer(int maxPacketSize) {
        this(maxPacketSize, MAX_PAYLOAD);
    }

    /**
     * For tests: wire packets of {@code maxWirePayload} bytes continue in the next one (MySQL's is
     * {@link #MAX_PAYLOAD}), so continuations can be exercised with small inputs; longer ones are refused.
     */
    PacketFramer(int maxPacketSize, int maxWirePayload) {
        // length field: offset 0, 3 bytes LE; +1 for the sequence id byte; frames keep their header.
        super(ByteOrder.LITTLE_ENDIAN, maxWirePayload + 4, 0, 3, 1, 0, true);
        this.maxPacketSize = maxPacketSize;
        this.maxWirePayload = maxWirePayload;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (isFailed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        try {
            return frame(ctx, in);
        } catch (Exception e) {
            isFailed = true;
            discardPending();
            throw e;
        }
    }

    private Object frame(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        int length = frame.readUnsignedMediumLE();
        int sequenceId = frame.readUnsignedByte();
        lastSequenceId = sequenceId;
        if (pending == null && length < maxWirePayload) {
            if (length > maxPacketSize) {
                frame.release();
                throw new TooLongFrameException("packet of " + length + " bytes exceeds " + maxPacketSize);
            }
            return new Packet(sequenceId, sequenceId, frame);
        }
        return join(ctx, frame, length, sequenceId);
    }

    private Object join(ChannelHandlerContext ctx, ByteBuf frame, int length, int sequenceId) {
        if (pending == null) {
            pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            pendingFirstSequenceId = sequenceId;
        } else if (sequenceId != ((pendingSequenceId + 1) & 0xFF)) {
            frame.release();
            discardPending();
            throw new CorruptedFrameException("continuation packet out of order: got sequence id " + sequenceId);
        }
        pendingSequenceId = sequenceId;
        if ((long) pending.readableBytes() + length > maxPacketSize) {
            frame.release();
            discardPending();
            throw new TooLongFrameException("packet exceeds " + maxPacketSize + " bytes");
        }
        pending.addComponent(true, frame);
        if (length == maxWirePayload) {
            return null; // more to come
        }
        Packet packet = new Packet(pendingFirstSequenceId, pendingSequenceId, pending);
        pending = null;
        return packet;
    }

    /** The sequence id of the last wire packet read, for replies to packets that could not be framed. */
    public int lastSequenceId() {
        return lastSequenceId;
    }

    private void discardPending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        discardPending();
        super.handlerRemoved0(ctx);
    }
}
