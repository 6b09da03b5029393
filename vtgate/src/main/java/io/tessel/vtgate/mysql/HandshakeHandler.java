package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.auth.AuthServer.User;
import io.tessel.vtgate.auth.Scrambles;
import io.tessel.vtgate.mysql.packet.AuthSwitchRequest;
import io.tessel.vtgate.mysql.packet.HandshakeResponse41;
import io.tessel.vtgate.mysql.packet.HandshakeV10;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection phase on the event loop: sends HandshakeV10, switches to TLS when the client sends an
 * SSLRequest (and TLS is configured), authenticates with mysql_native_password or caching_sha2_password
 * (fast path, or full authentication: the cleartext password over TLS, else the RSA public-key exchange),
 * then replaces itself with a {@link CommandHandler}. Owns and releases the packets it reads. One instance
 * per connection, confined to its event loop.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    private static final byte AUTH_MORE_DATA = 0x01;
    private static final byte FAST_AUTH_SUCCESS = 0x03;
    private static final byte PERFORM_FULL_AUTHENTICATION = 0x04;
    private static final byte REQUEST_PUBLIC_KEY = 0x02;

    private enum State { AWAIT_RESPONSE, AWAIT_SWITCH_RESPONSE, AWAIT_FULL_AUTH, DONE }

    private final MysqlServerConfig config;
    private final SqlHandler sqlHandler;
    private final int connectionId;
    private final ServerState serverState;
    private final byte[] scramble = Scrambles.newScramble();
    private State state = State.AWAIT_RESPONSE;
    private HandshakeResponse41 response;
    private User user;
    private String plugin;
    private int nextSequenceId;
    private ScheduledFuture<?> timeout;
    private String remoteHost = "unknown";
    private boolean isSecure;

    public HandshakeHandler(MysqlServerConfig config, SqlHandler sqlHandler, int connectionId) {
        this(config, sqlHandler, connectionId, new ServerState());
    }

    /** @param state what the server's connections share; in lame duck the connection is refused at once */
    public HandshakeHandler(MysqlServerConfig config, SqlHandler sqlHandler, int connectionId, ServerState state) {
        this.config = config;
        this.sqlHandler = sqlHandler;
        this.connectionId = connectionId;
        this.serverState = state;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            remoteHost = a.getHostString();
        }
        if (serverState.isLameDuck()) { // an ERR packet instead of the greeting, as MySQL refuses a connection
            fail(ctx, ServerState.shutdownError());
            ctx.fireChannelActive();
            return;
        }
        PacketWriter w = new PacketWriter(ctx.channel(), 0);
        new HandshakeV10(config.serverVersion(), connectionId, scramble, config.capabilities(),
                io.tessel.common.sqltypes.MysqlTypes.CHARSET_UTF8MB4_GENERAL_CI,
                ServerStatus.SERVER_STATUS_AUTOCOMMIT, config.defaultAuthPlugin()).write(w.begin(128));
        w.end();
        w.flush();
        timeout = ctx.executor().schedule(() -> {
            log.debug("vtgate conn {}: handshake timed out", connectionId);
            ctx.close();
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        try {
            nextSequenceId = packet.sequenceId() + 1;
            ByteBuf payload = packet.payload();
            switch (state) {
                case AWAIT_RESPONSE -> onResponse(ctx, payload);
                case AWAIT_SWITCH_RESPONSE -> verify(ctx, MysqlBuf.readFixedBytes(payload, payload.readableBytes(), "auth"));
                case AWAIT_FULL_AUTH -> onFullAuth(ctx, payload);
                case DONE -> throw new IllegalStateException("BUG: handshake packet after authentication");
            }
        } catch (VtException e) {
            fail(ctx, e);
        } finally {
            packet.payload().release();
        }
    }

    private void onResponse(ChannelHandlerContext ctx, ByteBuf payload) {
        if (HandshakeResponse41.isSslRequest(payload)) {
            if (config.tls() == null || isSecure) {
                throw VtException.of(ErrorCode.UNAVAILABLE, SqlError.ER_HANDSHAKE_ERROR, isSecure
                        ? "Bad handshake: a second SSL request" : "Bad handshake: TLS is not enabled on this server");
            }
            startTls(ctx);
            return;
        }
        if (config.requireSecureTransport() && !isSecure) {
            throw VtException.of(ErrorCode.UNAVAILABLE, SqlError.ER_SECURE_TRANSPORT_REQUIRED,
                    "Connections using insecure transport are prohibited while --require_secure_transport=ON.");
        }
        response = HandshakeResponse41.read(payload);
        Optional<User> found = config.authServer().lookup(response.username());
        if (found.isEmpty()) {
            throw accessDenied(response.authResponse().length > 0);
        }
        user = found.get();
        String wanted = pluginFor(response.authPluginName());
        if (!wanted.equals(response.authPluginName())) {
            plugin = wanted;
            state = State.AWAIT_SWITCH_RESPONSE;
            write(ctx, buf -> new AuthSwitchRequest(wanted, scramble).write(buf));
            return;
        }
        plugin = wanted;
        verify(ctx, response.authResponse());
    }

    /** The plugin to authenticate with: the client's when we can verify it, else our default. */
    private String pluginFor(String clientPlugin) {
        boolean canSha2 = user.password() != null || config.authServer().acceptsAnyPassword();
        if (clientPlugin.equals(Scrambles.CACHING_SHA2_PASSWORD) && canSha2) {
            return clientPlugin;
        }
        if (clientPlugin.equals(Scrambles.MYSQL_NATIVE_PASSWORD)) {
            return clientPlugin;
        }
        return canSha2 ? config.defaultAuthPlugin() : Scrambles.MYSQL_NATIVE_PASSWORD;
    }

    private void verify(ChannelHandlerContext ctx, byte[] auth) {
        if (config.authServer().acceptsAnyPassword()) {
            if (plugin.equals(Scrambles.CACHING_SHA2_PASSWORD)) {
                write(ctx, buf -> buf.writeByte(AUTH_MORE_DATA).writeByte(FAST_AUTH_SUCCESS));
            }
            succeed(ctx);
            return;
        }
        if (plugin.equals(Scrambles.MYSQL_NATIVE_PASSWORD)) {
            byte[] hash = user.nativeHash() != null ? user.nativeHash() : Scrambles.nativeHash(user.password());
            if (!Scrambles.verifyNative(scramble, auth, hash)) {
                throw accessDenied(auth.length > 0);
            }
            succeed(ctx);
            return;
        }
        boolean fast = user.password().isEmpty() || config.sha2Cache().contains(user.name());
        if (fast && Scrambles.verifyCachingSha2(scramble, auth, user.password())) {
            write(ctx, buf -> buf.writeByte(AUTH_MORE_DATA).writeByte(FAST_AUTH_SUCCESS));
            succeed(ctx);
            return;
        }
        if (user.password().isEmpty()) {
            throw accessDenied(auth.length > 0);
        }
        // Not cached (or the scramble did not match): MySQL asks for the password itself.
        state = State.AWAIT_FULL_AUTH;
        write(ctx, buf -> buf.writeByte(AUTH_MORE_DATA).writeByte(PERFORM_FULL_AUTHENTICATION));
    }

    /**
     * After an SSLRequest: a {@link SslHandler} goes in front of a new framer and the old framer is removed.
     * Removing it hands the bytes it has read but not framed (a ClientHello that arrived with the SSLRequest)
     * to the next handler, now the SslHandler, so nothing is lost or read as a MySQL packet. The client then
     * sends its full HandshakeResponse41 over TLS.
     */
    private void startTls(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        ChannelHandlerContext framer = p.context(PacketFramer.class);
        SslHandler ssl = config.tls().newHandler(ctx.alloc());
        p.addAfter(framer.name(), "tls", ssl);
        p.addAfter("tls", "tls-framer", new PacketFramer(config.maxPacketSize()));
        isSecure = true;
        p.remove(framer.handler());
    }

    private void onFullAuth(ChannelHandlerContext ctx, ByteBuf payload) {
        if (isSecure) { // over TLS the client sends the password itself, NUL-terminated
            byte[] sent = MysqlBuf.readFixedBytes(payload, payload.readableBytes(), "password");
            int length = sent.length > 0 && sent[sent.length - 1] == 0 ? sent.length - 1 : sent.length;
            byte[] expected = user.password().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!java.security.MessageDigest.isEqual(java.util.Arrays.copyOf(sent, length), expected)) {
                throw accessDenied(true);
            }
            config.sha2Cache().add(user.name());
            succeed(ctx);
            return;
        }
        if (payload.readableBytes() == 1 && payload.getByte(payload.readerIndex()) == REQUEST_PUBLIC_KEY) {
            byte[] pem = config.rsaKeys().publicKeyPem();
            write(ctx, buf -> buf.writeByte(AUTH_MORE_DATA).writeBytes(pem));
            return;
        }
        byte[] encrypted = MysqlBuf.readFixedBytes(payload, payload.readableBytes(), "encrypted password");
        Optional<String> password = config.rsaKeys().decryptPassword(encrypted, scramble);
        if (password.isEmpty() || !password.get().equals(user.password())) {
            throw accessDenied(true);
        }
        config.sha2Cache().add(user.name());
        succeed(ctx);
    }

    private void succeed(ChannelHandlerContext ctx) {
        String db = response.database();
        if (!db.isEmpty() && !sqlHandler.databaseExists(db)) {
            throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_BAD_DB_ERROR, "Unknown database '" + db + "'");
        }
        state = State.DONE;
        timeout.cancel(false);
        Capabilities caps = Capabilities.negotiate(response.capabilities());
        var session = sqlHandler.newSession(connectionId, user.name(), user.roles());
        if (!db.isEmpty()) {
            session.setTargetString(db);
        }
        session.setClientFoundRows(caps.has(Capabilities.CLIENT_FOUND_ROWS));
        write(ctx, buf -> new io.tessel.vtgate.mysql.packet.OkPacket(0, 0, 0, session.statusFlags(), 0, "").write(buf));
        log.debug("vtgate conn {}: user {} authenticated with {}", connectionId, user.name(), plugin);
        ctx.pipeline().replace(this, "command", new CommandHandler(sqlHandler, session, caps,
                PreparedStatements.DEFAULT_MAX_STATEMENTS, serverState));
    }

    private VtException accessDenied(boolean usingPassword) {
        return VtException.of(ErrorCode.PERMISSION_DENIED, SqlError.ER_ACCESS_DENIED_ERROR,
                "Access denied for user '" + (response == null ? "" : response.username()) + "'@'" + remoteHost
                        + "' (using password: " + (usingPassword ? "YES" : "NO") + ")");
    }

    private void fail(ChannelHandlerContext ctx, VtException e) {
        log.debug("vtgate conn {}: handshake failed: {}", connectionId, e.getMessage());
        serverState.onError(e);
        PacketWriter w = new PacketWriter(ctx.channel(), nextSequenceId);
        Replies.error(w, e);
        w.flush();
        ctx.close();
    }

    private void write(ChannelHandlerContext ctx, java.util.function.Consumer<ByteBuf> body) {
        PacketWriter w = new PacketWriter(ctx.channel(), nextSequenceId);
        body.accept(w.begin(64));
        w.end();
        w.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolErrors.handle(ctx, cause, "vtgate conn " + connectionId + " (handshake)");
    }
}
