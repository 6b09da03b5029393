package io.tessel.vtctld;

import io.tessel.common.flags.EnvDefaults;
import io.tessel.common.flags.FlagFiles;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
import io.tessel.topo.TopoBackend;
import io.tessel.common.errors.VtException;
import io.tessel.topo.Topo;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The vtctld daemon: parses flags (each also read from the environment variable of the same name, upper-cased
 * with underscores), opens the topology and serves {@link VtctldService} through a {@link VtctldServer}, with
 * /healthz, /readyz and /metrics on {@code --http-port}, until SIGTERM, then stops gracefully.
 */
@Command(name = "vtctld", mixinStandardHelpOptions = true, showDefaultValues = true,
        defaultValueProvider = EnvDefaults.class, sortOptions = false,
        description = "Serves the Vitess vtctld admin API (keyspaces, shards, vschema, tablets, serving graph) over "
                + "gRPC. Every flag can also be set through the environment variable of the same name in upper case, "
                + "e.g. --grpc-port as GRPC_PORT.")
public final class VtCtld implements Callable<Integer> {
    static {
        // The daemon's logging setup; set before the first logger exists. -Dlogback.configurationFile wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "vtctld-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(VtCtld.class);

    @Option(names = FlagFiles.CONFIG_FLAG, description = "YAML file of flag values (name: value); a flag beats its "
            + "environment variable, which beats the file.")
    private java.nio.file.Path config;

    @Option(names = "--topo-implementation", defaultValue = "etcd2",
            description = "Topology backend: etcd2, or memory (an empty private store, for local tests only).")
    String topoImplementation;
    @Option(names = "--topo-global-server-address", defaultValue = "127.0.0.1:2379",
            description = "Address of the global topology server (etcd2).")
    String topoGlobalServerAddress;
    @Option(names = "--topo-global-root", defaultValue = Topo.DEFAULT_GLOBAL_ROOT,
            description = "Root path of the global topology.")
    String topoGlobalRoot;
    @Option(names = "--topo-memory-cells", defaultValue = "zone1", split = ",",
            description = "Cells the memory topology starts with (memory only), comma-separated.")
    List<String> topoMemoryCells;
    @Option(names = "--grpc-port", defaultValue = "15999", description = "Port of the gRPC admin service.")
    int grpcPort;
    @Option(names = "--bind-address", defaultValue = "127.0.0.1", description = "Address the gRPC server binds.")
    String bindAddress;
    @Option(names = "--http-port", defaultValue = "15000", description = "HTTP port on --bind-address: /healthz, "
            + "/readyz (the topology can be read) and /metrics; 0 for none.")
    int httpPort;

    public static void main(String[] args) {
        int rc = FlagFiles.execute(new VtCtld(), args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Topo topo;
        try {
            topo = TopoBackend.of(topoImplementation).open(topoGlobalServerAddress, topoGlobalRoot, topoMemoryCells);
        } catch (VtException | IllegalArgumentException e) {
            log.error("vtctld: cannot open the {} topology: {}", topoImplementation, e.getMessage());
            return 1;
        }
        Metrics metrics = Metrics.prometheus();
        Readiness readiness = new Readiness(() -> topologyProblem(topo));
        VtctldServer server;
        DaemonHttpServer http = null;
        int port = grpcPort;
        try {
            server = VtctldServer.start(topo, bindAddress, grpcPort, metrics.registry());
            port = httpPort;
            http = httpPort == 0 ? null : DaemonHttpServer.start(bindAddress, httpPort, readiness, metrics, "vtctld");
        } catch (IOException e) {
            log.error("vtctld: cannot listen on {}:{}: {}", bindAddress, port, e.getMessage());
            closeTopo(topo);
            metrics.close();
            return 1;
        }
        DaemonHttpServer started = http;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("vtctld: shutting down");
            readiness.drain("shutting down");
            server.close();
            closeTopo(topo);
            if (started != null) {
                started.close();
            }
            metrics.close();
            stopped.countDown();
        }, "vtctld-shutdown"));
        log.info("vtctld: started, topo {}, gRPC on {}:{}", describeTopo(), bindAddress, server.port());
        server.awaitTermination();
        stopped.await();
        return 0;
    }

    private String describeTopo() {
        return TopoBackend.of(topoImplementation) == TopoBackend.MEMORY
                ? "memory with cells " + topoMemoryCells
                : topoImplementation + " at " + topoGlobalServerAddress + " " + topoGlobalRoot;
    }

    /** Why vtctld should not get traffic: the topology cannot be read (its cell list); empty when it can. */
    static Optional<String> topologyProblem(Topo topo) {
        try {
            topo.getCellNames();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("topology unreachable: " + e.getMessage());
        }
    }

    private static void closeTopo(Topo topo) {
        topo.close();
        topo.global().close();
    }

}
