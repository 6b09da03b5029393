package io.tessel.vtgate.mysql;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import java.io.IOException;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a broken protocol state (framing errors, oversized packets, I/O failures) into a last ERR
 * packet where one can still be sent, then closes the connection. Other connections are unaffected.
 */
final class ProtocolErrors {
    private static final Logger log = LoggerFactory.getLogger(ProtocolErrors.class);

    private ProtocolErrors() {}

    static void handle(ChannelHandlerContext ctx, Throwable cause, String who) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof IOException || t instanceof SocketException) {
            log.debug("{}: connection error: {}", who, t.toString());
            ctx.close();
            return;
        }
        VtException err;
        if (t instanceof TooLongFrameException) {
            err = VtException.of(ErrorCode.RESOURCE_EXHAUSTED, SqlError.ER_NET_PACKET_TOO_LARGE,
                    "Got a packet bigger than 'max_allowed_packet' bytes");
        } else if (t instanceof CorruptedFrameException) {
            err = VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_NET_PACKETS_OUT_OF_ORDER,
                    "Got packets out of order");
        } else {
            log.error("{}: unexpected error, closing the connection", who, t);
            err = VtException.of(ErrorCode.INTERNAL, "internal error: " + t);
        }
        log.debug("{}: protocol error, closing: {}", who, err.getMessage());
        if (ctx.channel().isActive()) {
            PacketFramer framer = ctx.pipeline().get(PacketFramer.class);
            PacketWriter w = new PacketWriter(ctx.channel(), framer == null ? 1 : framer.lastSequenceId() + 1);
            Replies.error(w, err);
            w.flush();
        }
        ctx.close();
    }
}
