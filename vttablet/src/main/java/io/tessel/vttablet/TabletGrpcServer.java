package io.tessel.vttablet;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.tessel.common.grpc.GrpcServers;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryGrpcService;
import io.tessel.common.queryservice.QueryService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link QueryService} as the gRPC {@code queryservice.Query} service on grpc-netty (epoll when
 * available), running every call on its own virtual thread. Messages up to {@link #MAX_MESSAGE_BYTES} are
 * accepted so 20 MiB values fit; clients need the same inbound limit, see {@link #clientChannel}.
 * Thread-safe; {@link #close()} stops it gracefully. It does not close the service.
 */
public final class TabletGrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TabletGrpcServer.class);

    /** Largest gRPC message in either direction: 256 MiB. */
    public static final int MAX_MESSAGE_BYTES = GrpcQueryClient.MAX_MESSAGE_BYTES;

    private final Server server;
    private final ExecutorService executor;
    private final EventLoopGroup eventLoops;
    private final String logPrefix;

    private TabletGrpcServer(Server server, ExecutorService executor, EventLoopGroup eventLoops, String logPrefix) {
        this.server = server;
        this.executor = executor;
        this.eventLoops = eventLoops;
        this.logPrefix = logPrefix;
    }

    /**
     * Starts serving on bindAddress:port (port 0 picks a free port, see {@link #port()}).
     *
     * @param logPrefix component and identity for log lines, e.g. {@code vttablet zone1-100 commerce/0}
     */
    public static TabletGrpcServer start(QueryService service, String bindAddress, int port, String logPrefix)
            throws IOException {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port))
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(new QueryGrpcService(service));
        EventLoopGroup eventLoops = null;
        if (Epoll.isAvailable()) {
            eventLoops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
            builder.channelType(EpollServerSocketChannel.class).bossEventLoopGroup(eventLoops).workerEventLoopGroup(eventLoops);
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            executor.close();
            if (eventLoops != null) {
                eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw e;
        }
        log.info("{}: gRPC query service listening on {}:{}", logPrefix, bindAddress, server.getPort());
        return new TabletGrpcServer(server, executor, eventLoops, logPrefix);
    }

    /**
     * A plaintext channel to a tablet with the same 256 MiB inbound limit, for
     * {@code new GrpcQueryClient(channel)}; the default 4 MiB would reject large rows.
     */
    public static ManagedChannel clientChannel(String host, int port) {
        return GrpcQueryClient.channel(host, port);
    }

    /** The port actually bound. */
    public int port() {
        return server.getPort();
    }

    /** Blocks until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, lets running ones finish for up to 10 s, then cancels the rest. */
    @Override
    public void close() {
        GrpcServers.stopGracefully(server, java.time.Duration.ofSeconds(10), logPrefix);
        executor.shutdown(); // a call stuck in JDBC must not hold up the process exit
        if (eventLoops != null) {
            eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        log.info("{}: gRPC server stopped", logPrefix);
    }
}
