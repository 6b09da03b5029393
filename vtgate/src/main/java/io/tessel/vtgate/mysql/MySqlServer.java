package io.tessel.vtgate.mysql;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vtgate's MySQL-protocol listener on Netty (epoll when available). Each connection gets a
 * {@link PacketFramer} and a {@link HandshakeHandler}, which hands over to a {@link CommandHandler}.
 * Event loops only decode, encode and authenticate; commands run on virtual threads.
 */
public final class MySqlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MySqlServer.class);

    private final MysqlServerConfig config;
    private final SqlHandler handler;
    private final EventLoopGroup group;
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ServerState state;
    private Channel serverChannel;

    public MySqlServer(MysqlServerConfig config, SqlHandler handler, int ioThreads) {
        this(config, handler, ioThreads, new ServerState());
    }

    /** @param state what the connections share: counts, lame duck, the error observer */
    public MySqlServer(MysqlServerConfig config, SqlHandler handler, int ioThreads, ServerState state) {
        this.config = config;
        this.handler = handler;
        this.state = state;
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, io);
    }

    /** Binds and returns the bound address (port 0 picks a free port). */
    public InetSocketAddress start(String host, int port) throws InterruptedException {
        Class<? extends ServerChannel> channelClass =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        state.add(ch);
                        ch.pipeline().addLast("framer", new PacketFramer(config.maxPacketSize()));
                        ch.pipeline().addLast("handshake",
                                new HandshakeHandler(config, handler, connectionIds.incrementAndGet(), state));
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("vtgate: MySQL protocol listening on {}:{} ({})", bound.getHostString(), bound.getPort(),
                Epoll.isAvailable() ? "epoll" : "nio");
        return bound;
    }

    /** The connections' shared state: counts for meters, lame duck for a graceful stop. */
    public ServerState state() {
        return state;
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
