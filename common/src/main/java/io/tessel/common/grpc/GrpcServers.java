package io.tessel.common.grpc;

import io.grpc.Server;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every Tessel daemon stops its gRPC server. Stateless. */
public final class GrpcServers {
    private static final Logger log = LoggerFactory.getLogger(GrpcServers.class);

    private GrpcServers() {}

    /**
     * Stops accepting calls, lets running ones finish for up to {@code grace}, then cancels the rest.
     * Re-sets the interrupt flag if interrupted while waiting.
     *
     * @param who the component and identity for the log line, e.g. {@code vtctld}
     */
    public static void stopGracefully(Server server, Duration grace, String who) {
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: calls still running after {}; cancelling them", who, grace);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
