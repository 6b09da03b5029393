package io.tessel.vtgate.mysql;

import io.grpc.Context;
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
import io.tessel.vtgate.mysql.packet.Command.ComSetOption;
import io.tessel.vtgate.mysql.packet.Command.ComStmtClose;
import io.tessel.vtgate.mysql.packet.Command.ComStmtExecute;
import io.tessel.vtgate.mysql.packet.Command.ComStmtFetch;
import io.tessel.vtgate.mysql.packet.Command.ComStmtPrepare;
import io.tessel.vtgate.mysql.packet.Command.ComStmtReset;
import io.tessel.vtgate.mysql.packet.Command.ComStmtSendLongData;
import io.tessel.vtgate.mysql.packet.Command.ComUnknown;
import io.tessel.vtgate.sql.StatementSplitter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The command phase. Decodes each command on the event loop, runs it on a virtual thread (one command
 * in flight per connection, later ones queued in order with reads paused), writes the reply, and is
 * the only place that turns exceptions into ERR packets. Each command runs under a gRPC {@link Context} of
 * its own; on disconnect that context is cancelled, which cancels the command's calls to the tablets (they
 * kill its statements on MySQL), and the session is closed, which rolls back any open transaction, after the
 * in-flight command (if any) has finished. With {@code workload = 'olap'} a query's rows are written as they
 * arrive ({@link StreamedReply}).
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
    private final PreparedStatements prepared;
    private final ServerState state;
    private boolean inFlight;
    /** From dispatch until just before the reply is flushed; read by {@link ServerState#busyConnections}. */
    private volatile boolean isRunning;
    /** The in-flight command's context (touched on the event loop); cancelling it stops its work on the tablets. */
    private Context.CancellableContext running;
    private boolean closed;
    private boolean isMultiStatements; // touched only by the command runner

    public CommandHandler(SqlHandler handler, Session session, Capabilities caps) {
        this(handler, session, caps, PreparedStatements.DEFAULT_MAX_STATEMENTS);
    }

    /** @param maxPreparedStatements how many prepared statements the connection may hold at once */
    public CommandHandler(SqlHandler handler, Session session, Capabilities caps, int maxPreparedStatements) {
        this(handler, session, caps, maxPreparedStatements, new ServerState());
    }

    /** @param state what the server's connections share (lame duck, commands in flight, error observer) */
    public CommandHandler(SqlHandler handler, Session session, Capabilities caps, int maxPreparedStatements,
                          ServerState state) {
        this.handler = handler;
        this.state = state;
        this.session = session;
        this.caps = caps;
        this.prepared = new PreparedStatements(handler, session, caps, maxPreparedStatements);
        this.isMultiStatements = caps.has(Capabilities.CLIENT_MULTI_STATEMENTS);
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
            state.onError(e);
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
        if (state.isLameDuck() && !session.isInTransaction() && !isTransactionEnd(next.command())) {
            refuse(ctx, next.replySequenceId());
            return;
        }
        inFlight = true;
        isRunning = true;
        Context.CancellableContext context = Context.ROOT.withCancellation();
        running = context;
        COMMANDS.execute(() -> {
            state.commandStarted();
            try {
                context.run(() -> run(ctx, next));
            } finally {
                state.commandFinished();
                context.cancel(null);
                ctx.executor().execute(() -> onCommandDone(ctx));
            }
        });
    }

    /**
     * Lame duck: a command outside a transaction gets ER_SERVER_SHUTDOWN and the connection closes, so the
     * client reconnects to another vtgate; inside a transaction commands run until it ends.
     */
    private void refuse(ChannelHandlerContext ctx, int replySequenceId) {
        VtException e = ServerState.shutdownError();
        state.onError(e);
        queue.clear();
        PacketWriter w = new PacketWriter(ctx.channel(), replySequenceId);
        Replies.error(w, e);
        w.flush();
        ctx.close();
    }

    /**
     * COMMIT or ROLLBACK: harmless outside a transaction, and what a client with autocommit off sends when it
     * closes, so lame duck answers it rather than refusing it.
     */
    private static boolean isTransactionEnd(Command command) {
        if (!(command instanceof ComQuery q)) {
            return false;
        }
        String sql = q.sql().strip().toLowerCase(java.util.Locale.ROOT);
        return sql.equals("commit") || sql.equals("rollback") || sql.equals("commit work") || sql.equals("rollback work");
    }

    /** Whether closing the connection now would lose work: a command is running or a transaction is open. */
    boolean isBusy() {
        return isRunning || session.isInTransaction();
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
            w.discard(p.replySequenceId());
            Replies.error(w, logged(t));
        } finally {
            MDC.remove("conn");
        }
        isRunning = false; // before the reply leaves: a client that has it sees the connection idle
        w.flush();
    }

    private VtException logged(Throwable t) {
        VtException e = t instanceof VtException v ? v : RpcErrors.toVtException(t);
        state.onError(e);
        if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.UNKNOWN) {
            log.error("{}: command failed", who(), t);
        } else {
            log.debug("{}: command failed: {}", who(), e.getMessage());
        }
        return e;
    }

    private void reply(PacketWriter w, Command command) {
        switch (command) {
            case ComQuery q -> query(w, q.sql());
            case ComStmtPrepare p -> prepared.prepare(w, p.sql());
            case ComStmtExecute e -> prepared.execute(w, e);
            case ComStmtFetch f -> prepared.fetch(w, f);
            case ComStmtReset r -> prepared.reset(w, r.statementId());
            case ComStmtSendLongData d -> prepared.sendLongData(d);
            case ComStmtClose c -> prepared.close(c.statementId());
            case ComSetOption o -> setOption(w, o.option());
            case ComInitDb d -> {
                handler.useDatabase(session, d.schema());
                Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            }
            case ComPing p -> Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            case ComFieldList f -> Replies.fieldList(w, handler.fieldList(session, f.table()), caps, session.statusFlags());
            case ComResetConnection r -> {
                prepared.clear();
                handler.resetSession(session);
                Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
            }
            case ComUnknown u -> throw VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_UNKNOWN_COM_ERROR,
                    "command handling not implemented yet: " + u.code());
            case ComQuit q -> throw new IllegalStateException("BUG: COM_QUIT reached the command runner");
        }
    }

    /**
     * COM_QUERY. With multi-statements on, each statement of the text gets its own result, all but the last
     * with SERVER_MORE_RESULTS_EXISTS; an error ends the sequence. With them off, several statements are a
     * syntax error, as in MySQL.
     */
    private void query(PacketWriter w, String sql) {
        List<String> statements = sql.indexOf(';') < 0 ? List.of() : StatementSplitter.split(sql);
        if (statements.size() <= 1) {
            if (session.isStreaming()) {
                StreamedReply.write(w, caps, session, sink -> handler.streamQuery(session, sql, sink));
                return;
            }
            Replies.result(w, handler.query(session, sql), caps, session.statusFlags());
            return;
        }
        if (!isMultiStatements) {
            throw multipleStatements(statements.get(1));
        }
        for (int i = 0; i < statements.size(); i++) {
            QueryResult r;
            try {
                r = handler.query(session, statements.get(i));
            } catch (Throwable t) {
                Replies.error(w, logged(t)); // the results before it stand; nothing after it runs
                return;
            }
            int more = i < statements.size() - 1 ? ServerStatus.SERVER_MORE_RESULTS_EXISTS : 0;
            Replies.result(w, r, caps, session.statusFlags() | more);
        }
    }

    /** COM_SET_OPTION turns multi-statements on or off; MySQL answers with EOF. */
    private void setOption(PacketWriter w, int option) {
        switch (option) {
            case ComSetOption.MYSQL_OPTION_MULTI_STATEMENTS_ON -> isMultiStatements = true;
            case ComSetOption.MYSQL_OPTION_MULTI_STATEMENTS_OFF -> isMultiStatements = false;
            default -> throw VtException.mysql(ErrorCode.INVALID_ARGUMENT, 1047, "08S01", "Unknown command", null);
        }
        Replies.endOfRows(w, caps, 0, session.statusFlags());
    }

    /** The error MySQL gives for a second statement when multi-statements are off (or in a prepare). */
    static VtException multipleStatements(String next) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR, "You have an error in your SQL "
                + "syntax; check the manual that corresponds to your MySQL server version for the right syntax to use "
                + "near '" + next + "' at line 1");
    }

    /**
     * The client is gone: a command still running is cancelled (the tablets kill its statements), and the
     * session is closed once it has finished.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        queue.clear();
        if (inFlight) {
            Context.CancellableContext context = running;
            COMMANDS.execute(() -> context.cancel(null)); // listeners run where cancel is called: not on the event loop
        } else {
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
