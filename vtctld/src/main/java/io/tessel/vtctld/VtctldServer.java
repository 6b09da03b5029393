package io.tessel.vtctld;

import io.tessel.common.grpc.GrpcServers;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessel.topo.Topo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link VtctldService} over a {@link Topo} on a TCP port with gRPC server reflection, each call on its
 * own virtual thread; the vtctld daemon runs one, tests and vtcombo can embed one. Thread-safe;
 * {@link #close()} stops it gracefully and leaves the topology open.
 */
public final class VtctldServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VtctldServer.class);
    /** How long {@link #close()} lets running calls finish before cancelling them. */
    private static final long GRACE_SECONDS = 10;

    private final Server server;
    private final ExecutorService executor;

    private VtctldServer(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code bindAddress:port}; port 0 picks a free port, see {@link #port()}.
     *
     * @throws IOException if the port cannot be bound
     */
    public static VtctldServer start(Topo topo, String bindAddress, int port) throws IOException {
        return start(topo, bindAddress, port, new CompositeMeterRegistry());
    }

    /**
     * Starts serving as {@link #start(Topo, String, int)} does, timing every call in {@code registry}
     * ({@link CallMeters}).
     */
    public static VtctldServer start(Topo topo, String bindAddress, int port, MeterRegistry registry) throws IOException {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port))
                .executor(executor)
                .intercept(new CallMeters(registry))
                .addService(new VtctldService(topo))
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            executor.close();
            throw e;
        }
        log.info("vtctld: gRPC admin service listening on {}:{}", bindAddress, server.getPort());
        return new VtctldServer(server, executor);
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
        GrpcServers.stopGracefully(server, java.time.Duration.ofSeconds(GRACE_SECONDS), "vtctld");
        executor.shutdown();
        log.info("vtctld: gRPC server stopped");
    }
}
