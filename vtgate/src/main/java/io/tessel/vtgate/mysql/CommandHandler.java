package io.tessel.vtgate.mysql;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.exec.Session;
import io.tessel.vtgate.mysql.packet.Command;
import io.tessel.vtgate.mysql.packet.Command.ComFieldList;
import io.tessel.vtgate.mysql.packet.Command.ComInitDb;
import io.tessel.vtgate.mysql.packet.Command.ComPing;
import io.tessel.vtgate.mysql.packet.Command.ComQuery;
import io.tessel.vtgate.mysql.packet.Command.ComQuit;
import io.tessel.vtgate.mysql.packet.Command.ComResetConnection;
import io.tessel.vtgate.mysql.packet.Command.ComUnknown;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The command phase. Decodes each command on the event loop, runs it on a virtual thread (one command
 * in flight per connection, later ones queued in order with reads paused), writes the reply, and is
 * the only place that turns exceptions into ERR packets. On disconnect the session is closed, which
 * rolls back any open transaction, after the in-flight command (if any) has finished.
 */
public final class CommandHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
    private static final Executor COMMANDS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("vtgate-cmd-", 0).factory());

    private record Pending(Command command, int replySequenceId) {}

    private final SqlHandler handler;
    private final Session session;
    private final Capabilities caps;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(2);
    private boolean inFlight;
    private boolean closed;

    public CommandHandler(SqlHandler handler, Session session, Capabilities caps) {
        this.handler = handler;
        this.session = session;
        this.caps = caps;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        Command command;
        try {
            if (closed) {
                return;
            }
            if (packet.firstSequenceId() != 0) {
                ProtocolErrors.handle(ctx, new io.netty.handler.codec.CorruptedFrameException(
                        "command packet with sequence id " + packet.firstSequenceId()), who());
                return;
            }
            command = Command.read(packet.payload());
        } catch (VtException e) {
            log.debug("{}: malformed command, closing: {}", who(), e.getMessage());
            PacketWriter w = new PacketWriter(ctx.channel(), packet.sequenceId() + 1);
            Replies.error(w, e);
            w.flush();
            ctx.close();
            return;
        } finally {
            packet.payload().release();
        }
        if (command instanceof ComQuit) {
            ctx.close();
            return;
        }
        queue.add(new Pending(command, packet.sequenceId() + 1));
        if (inFlight) {
            ctx.channel().config().setAutoRead(false); // backpressure until the queue drains
        } else {
            dispatchNext(ctx);
        }
    }

    private void dispatchNext(ChannelHandlerContext ctx) {
        Pending next = queue.poll();
        if (next == null) {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        inFlight = true;
        COMMANDS.execute(() -> {
            try {
                run(ctx, next);
            } finally {
                ctx.executor().execute(() -> onCommandDone(ctx));
            }
        });
    }

    private void onCommandDone(ChannelHandlerContext ctx) {
        inFlight = false;
        if (closed) {
            closeSession();
        } else {
            dispatchNext(ctx);
        }
    }

    private void run(ChannelHandlerContext ctx, Pending p) {
        PacketWriter w = new PacketWriter(ctx.channel(), p.replySequenceId());
        MDC.put("conn", Integer.toString(session.connectionId()));
        try {
            reply(w, p.command());
        } catch (Throwable t) {
            VtException e = t instanceof VtException v ? v : RpcErrors.toVtException(t);
            if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.UNKNOWN) {
                log.error("{}: command failed", who(), t);
            } else {
                log.debug("{}: command failed: {}", who(), e.getMessage());
            }
            w.discard(p.replySequenceId());
            Replies.error(w, e);
        } finally {
            MDC.remove("conn");
        }
        w.flush();
    }

    private void reply(PacketWriter w, Command command) {
        switch (command) {
            case ComQuery q -> {
                QueryResult r = handler.query(session, q.sql());
                Replies.result(w, r, caps, session.statusFlags());
            }
            case ComInitDb d -> {
                handler.useDatabase(session, d.schema());
                Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            }
            case ComPing p -> Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            case ComFieldList f -> Replies.fieldList(w, handler.fieldList(session, f.table()), caps, session.statusFlags());
            case ComResetConnection r -> {
                handler.resetSession(session);
                Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            }
            case ComUnknown u -> throw VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_UNKNOWN_COM_ERROR,
                    "command handling not implemented yet: " + u.code());
            case ComQuit q -> throw new IllegalStateException("BUG: COM_QUIT reached the command runner");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        queue.clear();
        if (!inFlight) {
            closeSession();
        }
        ctx.fireChannelInactive();
    }

    private void closeSession() {
        COMMANDS.execute(() -> {
            try {
                handler.closeSession(session);
            } catch (RuntimeException e) {
                log.warn("{}: closing the session failed: {}", who(), e.toString());
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolErrors.handle(ctx, cause, who());
    }

    private String who() {
        return "vtgate conn " + session.connectionId();
    }
}
