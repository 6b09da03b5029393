package io.tessel.vtgate;

import io.tessel.common.flags.Durations;
import io.tessel.common.flags.EffectiveFlags;
import io.tessel.common.flags.EnvDefaults;
import io.tessel.common.flags.FlagFiles;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.vtgate.gateway.BufferConfig;
import io.tessel.vtgate.gateway.HealthCheck;
import io.tessel.vtgate.gateway.TopoGateway;
import io.tessel.vtgate.exec.TransactionSettings;
import io.tessel.vtgate.mysql.MysqlServerConfig;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.querylog.QueryLogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The vtgate daemon: reads the serving graph and tablets of its cell from the topology, keeps health
 * streams to the tablets, and serves the MySQL protocol, with /healthz, /readyz and /metrics on
 * {@code --http-port}, until SIGTERM; then it drains in lame duck ({@link VtGate#drain}) and stops. Every flag
 * can also be set through the environment variable of the same name in upper case
 * (--topo-global-server-address as TOPO_GLOBAL_SERVER_ADDRESS).
 */
@Command(name = "vtgate", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        defaultValueProvider = EnvDefaults.class,
        description = "Serves the MySQL protocol in front of the tablets the topology lists. Every flag can also be "
                + "set through the environment variable of the same name in upper case, e.g. --port as PORT.")
public final class VtGateDaemon implements Callable<Integer> {
    static {
        // The daemon's logging setup; set before the first logger exists. -Dlogback.configurationFile wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "vtgate-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(VtGateDaemon.class);

    @Option(names = FlagFiles.CONFIG_FLAG, description = "YAML file of flag values (name: value); a flag beats its "
            + "environment variable, which beats the file.")
    private java.nio.file.Path config;

    @Option(names = "--port", defaultValue = "15306", description = "MySQL protocol port.")
    int port;
    @Option(names = "--bind-address", defaultValue = "127.0.0.1", description = "Address the MySQL port binds.")
    String bindAddress;
    @Option(names = "--cell", defaultValue = "zone1", description = "The cell whose tablets this vtgate routes to.")
    String cell;
    @Option(names = "--topo-implementation", defaultValue = "etcd2", description = "etcd2, or memory (an empty "
            + "private topology, for trying the flags only).")
    String topoImplementation;
    @Option(names = "--topo-global-server-address", defaultValue = "http://127.0.0.1:2379",
            description = "etcd endpoints of the global topology, comma-separated.")
    String topoAddress;
    @Option(names = "--topo-global-root", defaultValue = "/vitess/global", description = "Root of the global topology.")
    String topoRoot;
    @Option(names = "--mysql-auth-server", defaultValue = "none", description = "none (any user, any password) or static.")
    String authServer;
    @Option(names = "--mysql-auth-server-static-file", description = "Users JSON for --mysql-auth-server static.")
    Path authFile;
    @Option(names = "--mysql-default-auth-plugin", defaultValue = "mysql_native_password",
            description = "mysql_native_password or caching_sha2_password.")
    String authPlugin;
    @Option(names = "--mysql-server-version", defaultValue = MysqlServerConfig.DEFAULT_SERVER_VERSION,
            description = "Version string in the handshake.")
    String serverVersion;
    @Option(names = "--mysql-server-ssl-cert", description = "PEM certificate (chain) for TLS on the MySQL port; "
            + "with --mysql-server-ssl-key. Without them the port is plain only.")
    Path sslCert;
    @Option(names = "--mysql-server-ssl-key", description = "PEM private key (PKCS#8 or PKCS#1 RSA) of --mysql-server-ssl-cert.")
    Path sslKey;
    @Option(names = "--mysql-server-require-secure-transport", defaultValue = "false",
            description = "Refuse clients that do not switch to TLS (MySQL's require_secure_transport).")
    boolean requireSecureTransport;
    @Option(names = "--tablet-refresh-interval", defaultValue = "1s",
            description = "How often the serving graph and tablet records are re-read from the topology.")
    String refreshInterval;
    @Option(names = "--health-check-retry-delay", defaultValue = "1s",
            description = "How long to wait before re-dialling a tablet whose health stream broke.")
    String retryDelay;
    @Option(names = "--tablet-types-to-wait", defaultValue = "PRIMARY",
            description = "Wait at start until every shard has a serving tablet of this type (or 30 s); /readyz "
                    + "also needs one per shard (with buffering, a primary lost less than "
                    + "--buffer-max-failover-duration ago still counts).")
    TabletType typeToWait;
    @Option(names = "--http-port", defaultValue = "15001", description = "HTTP port on --bind-address: /healthz, "
            + "/readyz, /metrics and the debug pages (/debug/status, /debug/insights, /debug/querystats, /debug/plans); "
            + "0 for none.")
    int httpPort;
    @Option(names = "--lameduck-period", defaultValue = "30s", description = "On SIGTERM, the longest vtgate waits "
            + "for running queries and open transactions to finish and for idle clients to leave (their next command "
            + "gets MySQL error 1053, as new connections and new work do), before it closes every connection; it "
            + "stops sooner once every client has left.")
    String lameduckPeriod;
    // Transactions (docs/design/twopc.md).
    @Option(names = "--transaction-mode", defaultValue = "MULTI", description = "Default transaction_mode of "
            + "sessions: SINGLE, MULTI or TWOPC (atomic; the tablets need --twopc-enable).")
    String transactionMode;
    @Option(names = "--twopc-abandon-age", defaultValue = "30s", description = "The resolver finishes atomic "
            + "transactions whose decision record or prepared branch is older than this (at least 1s).")
    String twopcAbandonAge;

    @Option(names = "--querylog-file", description = "Append a JSON line per statement to this file (normalized SQL, "
            + "target, shards, plan type, duration, rows, error code); none when unset. See docs/operations.md.")
    Path querylogFile;
    @Option(names = "--querylog-sample-rate", defaultValue = "1", description = "Fraction of statements the query "
            + "log writes, from 0 (none) to 1 (all).")
    double querylogSampleRate;
    @Option(names = "--querylog-include-values", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "Also write bind variable values and error messages, which may hold literals and personal "
                    + "data; without it, literals never reach the query log.")
    boolean querylogIncludeValues;
    @Option(names = "--enable-buffer", defaultValue = "true", arity = "0..1", fallbackValue = "true",
            description = "Hold calls for a shard that has no serving tablet for a moment (its tablet restarting) "
                    + "until one serves, instead of failing them at once (Vitess's --enable_buffer, off there).")
    boolean isBufferEnabled;
    @Option(names = "--buffer-window", defaultValue = "10s",
            description = "The longest one call waits in the buffer; then it fails with 'no healthy tablet'.")
    String bufferWindow;
    @Option(names = "--buffer-size", defaultValue = "1000", description = "Most calls waiting in the buffer at "
            + "once, over all shards; more fail at once.")
    int bufferSize;
    @Option(names = "--buffer-max-failover-duration", defaultValue = "20s", description = "Once a shard has had no "
            + "serving tablet for this long, its calls fail at once again (it is down, not restarting) until it serves.")
    String bufferMaxFailoverDuration;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int rc = FlagFiles.execute(new VtGateDaemon(), args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() throws Exception {
        VtGateConfig config = new VtGateConfig(bindAddress, port, authServer, authFile, authPlugin, serverVersion,
                MysqlServerConfig.DEFAULT_MAX_PACKET_SIZE, Math.max(1, Runtime.getRuntime().availableProcessors()),
                new VtGateConfig.Tls(sslCert, sslKey, requireSecureTransport));
        Duration lameduck = Durations.parse(lameduckPeriod);
        QueryLogConfig querylogConfig;
        TransactionSettings transactions;
        BufferConfig buffering;
        try {
            querylogConfig = new QueryLogConfig(querylogFile, querylogSampleRate, querylogIncludeValues,
                    QueryLogConfig.DEFAULT_QUEUE_CAPACITY);
            transactions = TransactionSettings.of(transactionMode, Durations.parse(twopcAbandonAge));
            buffering = isBufferEnabled ? new BufferConfig(true, Durations.parse(bufferWindow), bufferSize,
                    Durations.parse(bufferMaxFailoverDuration)) : BufferConfig.DISABLED;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Metrics metrics = Metrics.prometheus();
        Readiness readiness = new Readiness();
        // Up first, so /healthz answers while vtgate waits for its tablets; /readyz says "starting" until then.
        DaemonHttpServer http = httpPort == 0 ? null
                : DaemonHttpServer.start(bindAddress, httpPort, readiness, metrics, "vtgate");
        Topo topo = TopoBackend.of(topoImplementation).open(topoAddress, topoRoot, List.of(cell));
        HealthCheck healthCheck = new HealthCheck(t -> new GrpcQueryClient(
                GrpcQueryClient.channel(t.getHostname(), t.getPortMapOrThrow("grpc")),
                        t.getAlias().getCell() + "-" + t.getAlias().getUid() + " (" + t.getKeyspace() + "/" + t.getShard() + ")"),
                Durations.parse(retryDelay));
        TopoGateway gateway = new TopoGateway(topo, cell, healthCheck, Durations.parse(refreshInterval), buffering);
        if (!gateway.awaitServing(typeToWait, Duration.ofSeconds(30))) {
            log.warn("vtgate: not every shard has a serving {} tablet after 30 s; serving anyway", typeToWait);
        }
        VtGate vtgate = new VtGate(config, gateway, gateway, metrics.registry(), transactions);
        QueryLog querylog = QueryLog.open(querylogConfig).bindMeters(metrics.registry());
        vtgate.setQueryLog(querylog);
        if (http != null) {
            vtgate.addDebugPages(http);
            vtgate.statusPage("vtgate", EffectiveFlags.of(spec), readiness).addTo(http);
        }
        vtgate.start();
        readiness.setCheck(() -> gateway.readinessReason(typeToWait));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("vtgate: shutting down");
            readiness.drain("lame duck: shutting down");
            try {
                vtgate.drain(lameduck);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            vtgate.close();
            try {
                querylog.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gateway.close();
            topo.close();
            if (http != null) {
                http.close();
            }
            metrics.close();
            log.info("vtgate: stopped");
            stopped.countDown();
        }, "vtgate-shutdown"));
        log.info("vtgate: serving cell {} from topology {} {}", cell, topoImplementation, topoAddress);
        stopped.await();
        return 0;
    }
}
