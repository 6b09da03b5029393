package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;

/**
 * Writes the packets of one reply: reserves each packet's header, lets the caller write the payload,
 * then patches the length and sequence id, splitting payloads of 16 MiB - 1 or more into continuation
 * packets. Packets are batched into buffers of about 64 KiB that are handed to the channel as they
 * fill. Not thread-safe; used by one thread for one reply. Owns its buffer until written.
 */
public final class PacketWriter {
    private static final int BATCH_BYTES = 64 * 1024;

    private final Channel channel;
    private ByteBuf buf;
    private int sequenceId;
    private int packetStart = -1;
    private ChannelFuture lastWrite;
    private boolean isWritten;

    public PacketWriter(Channel channel, int firstSequenceId) {
        this.channel = channel;
        this.sequenceId = firstSequenceId & 0xFF;
    }

    /** Starts a packet and returns the buffer to write its payload into. */
    public ByteBuf begin(int sizeHint) {
        if (buf == null) {
            buf = channel.alloc().ioBuffer(Math.max(256, Math.min(sizeHint + 4, BATCH_BYTES)));
        }
        packetStart = buf.writerIndex();
        buf.writeInt(0);
        return buf;
    }

    /** Ends the packet begun last. */
    public void end() {
        int length = buf.writerIndex() - packetStart - 4;
        if (length < PacketFramer.MAX_PAYLOAD) {
            buf.setMediumLE(packetStart, length);
            buf.setByte(packetStart + 3, nextSequenceId());
        } else {
            split(length);
        }
        packetStart = -1;
        if (buf.readableBytes() >= BATCH_BYTES) {
            lastWrite = channel.write(buf);
            isWritten = true;
            buf = null;
        }
    }

    private void split(int length) {
        ByteBuf payload = buf.copy(packetStart + 4, length);
        try {
            buf.writerIndex(packetStart);
            int remaining = length;
            while (true) {
                int chunk = Math.min(remaining, PacketFramer.MAX_PAYLOAD);
                buf.writeMediumLE(chunk);
                buf.writeByte(nextSequenceId());
                buf.writeBytes(payload, chunk);
                remaining -= chunk;
                if (chunk < PacketFramer.MAX_PAYLOAD) {
                    break; // a payload that is an exact multiple ends with an empty packet
                }
            }
        } finally {
            payload.release();
        }
    }

    private int nextSequenceId() {
        int id = sequenceId;
        sequenceId = (sequenceId + 1) & 0xFF;
        return id;
    }

    /** The sequence id the next packet will carry. */
    public int sequenceId() {
        return sequenceId;
    }

    /** Drops what is buffered and not yet handed to the channel, and restarts at {@code sequenceId}. */
    public void discard(int restartSequenceId) {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        packetStart = -1;
        sequenceId = restartSequenceId & 0xFF;
    }

    /** Whether any packet has been handed to the channel (the client may have seen part of the reply). */
    public boolean isWritten() {
        return isWritten;
    }

    /**
     * Hands everything to the channel and flushes; then, while the channel is over its high-water mark (the
     * client reads slower than the reply is made), waits until what was written has gone to the socket. This
     * is the backpressure of a streamed reply; call it off the event loop only.
     *
     * @return false when the channel is closed: the client is gone and nothing more should be written
     * @throws VtException CANCELED when the waiting thread is interrupted
     */
    public boolean flushAndAwaitWritable() {
        if (buf != null) {
            lastWrite = channel.write(buf);
            isWritten = true;
            buf = null;
        }
        channel.flush();
        ChannelFuture pending = lastWrite;
        if (pending != null && !channel.isWritable()) {
            try {
                pending.await(); // completes when the bytes reached the socket, or fails when the channel closes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VtException.of(ErrorCode.CANCELED, "interrupted while waiting for the client to read");
            }
        }
        return channel.isActive();
    }

    /** Hands everything to the channel and flushes. */
    public void flush() {
        if (buf != null) {
            channel.writeAndFlush(buf, channel.voidPromise());
            buf = null;
        } else {
            channel.flush();
        }
    }
}
