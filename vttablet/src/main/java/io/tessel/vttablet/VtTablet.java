package io.tessel.vttablet;

import io.tessel.common.flags.Durations;
import io.tessel.common.flags.EffectiveFlags;
import io.tessel.common.flags.EnvDefaults;
import io.tessel.common.flags.FlagFiles;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.txserializer.HotRowConfig;
import io.tessel.vttablet.health.HealthPublisher;
import io.tessel.vttablet.health.TopoRegistration;
import io.tessel.vttablet.server.TabletServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The vttablet daemon: parses flags (each also read from the environment variable of the same name,
 * upper-cased with underscores), opens a {@link TabletServer} on the MySQL and serves it over gRPC, with
 * /healthz, /readyz, /metrics and the debug pages on {@code --http-port}, until SIGTERM, then stops
 * gracefully ({@link #stop}). vtcombo builds {@link TabletServer} and {@link TabletGrpcServer} itself.
 */
@Command(name = "vttablet", mixinStandardHelpOptions = true, showDefaultValues = true,
        defaultValueProvider = EnvDefaults.class, sortOptions = false,
        description = "Serves the Vitess query service for one MySQL. Every flag can also be set through the "
                + "environment variable of the same name in upper case, e.g. --mysql-port as MYSQL_PORT.")
public final class VtTablet implements Callable<Integer> {
    static {
        // The daemon's logging setup; set before the first logger exists. -Dlogback.configurationFile wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "vttablet-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(VtTablet.class);

    @Option(names = FlagFiles.CONFIG_FLAG, description = "YAML file of flag values (name: value); a flag beats its "
            + "environment variable, which beats the file.")
    private java.nio.file.Path config;

    @Option(names = "--tablet-alias", description = "This tablet's alias, cell-uid (e.g. zone1-100). Required.")
    String tabletAlias;
    @Option(names = "--keyspace", description = "The keyspace this tablet serves. Required.")
    String keyspace;
    @Option(names = "--shard", defaultValue = "0", description = "The shard this tablet serves.")
    String shard;
    @Option(names = "--tablet-type", defaultValue = "primary", description = "primary, replica or rdonly.")
    String tabletType;
    @Option(names = "--db-name", defaultValue = "", description = "MySQL database; empty means the keyspace name.")
    String dbName;
    @Option(names = "--mysql-host", defaultValue = "127.0.0.1", description = "MySQL host.")
    String mysqlHost;
    @Option(names = "--mysql-port", defaultValue = "3306", description = "MySQL port.")
    int mysqlPort;
    @Option(names = "--mysql-user", defaultValue = "root", description = "MySQL user.")
    String mysqlUser;
    @Option(names = "--mysql-password", defaultValue = "", description = "MySQL password.")
    String mysqlPassword;
    @Option(names = "--grpc-port", defaultValue = "16100", description = "Port of the gRPC query service.")
    int grpcPort;
    @Option(names = "--bind-address", defaultValue = "127.0.0.1", description = "Address the gRPC server binds.")
    String bindAddress;
    @Option(names = "--queryserver-config-pool-size", defaultValue = "16", description = "Query pool size.")
    int poolSize;
    @Option(names = "--queryserver-config-transaction-cap", defaultValue = "20",
            description = "Transaction pool size: the most transactions open at once.")
    int transactionCap;
    @Option(names = "--queryserver-config-stream-pool-size", defaultValue = "200", description = "Stream pool size.")
    int streamPoolSize;
    @Option(names = "--queryserver-config-txpool-timeout", defaultValue = "1s",
            description = "How long Begin waits for a transaction connection (e.g. 1s, 500ms).")
    String txPoolTimeout;
    @Option(names = "--queryserver-config-transaction-timeout", defaultValue = "30s",
            description = "How long a transaction may stay open before it is rolled back; 0 for never.")
    String transactionTimeout;
    @Option(names = "--queryserver-config-query-timeout", defaultValue = "30s",
            description = "How long a non-streaming statement may run before it is killed on MySQL (KILL QUERY); "
                    + "0 for no limit.")
    String queryTimeout;
    @Option(names = "--queryserver-config-lock-wait-timeout", defaultValue = "0",
            description = "How long a statement waits for a row lock before failing with 1205 (innodb_lock_wait_timeout, "
                    + "whole seconds; below the query timeout); 0 for half the query timeout. Waits across shards "
                    + "that form a cycle are deadlocks no shard sees: this is what ends them.")
    String lockWaitTimeout;
    @Option(names = "--queryserver-config-max-result-size", defaultValue = "10000",
            description = "Most rows a non-streaming query may return; 0 for no limit.")
    int maxResultSize;
    @Option(names = "--queryserver-config-warn-result-size", defaultValue = "0",
            description = "Results with more rows than this are counted (vttablet_results_warn_size_exceeded_total); 0 for off.")
    int warnResultSize;
    @Option(names = "--queryserver-config-query-pool-timeout", defaultValue = "0",
            description = "How long a query waits for a query or stream pool connection; 0 for the query timeout.")
    String queryPoolTimeout;
    @Option(names = "--queryserver-config-query-pool-waiter-cap", defaultValue = "5000",
            description = "Most callers waiting for a query pool connection; more fail at once; 0 for no cap.")
    int queryPoolWaiterCap;
    @Option(names = "--queryserver-config-txpool-waiter-cap", defaultValue = "5000",
            description = "Most callers waiting for a transaction pool connection; more fail at once; 0 for no cap.")
    int txPoolWaiterCap;
    @Option(names = "--enable-consolidator", defaultValue = "true", arity = "0..1", fallbackValue = "true",
            description = "Identical reads outside transactions in flight at the same time run once on MySQL.")
    boolean isConsolidatorEnabled;
    @Option(names = "--enable-consolidator-replicas", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "Consolidate only on replica and rdonly tablets (when --enable-consolidator is false).")
    boolean isConsolidatorReplicasEnabled;
    @Option(names = "--consolidator-query-waiter-cap", defaultValue = "0",
            description = "Most callers waiting for one consolidated query; more run their own; 0 for no cap.")
    int consolidatorWaiterCap;
    @Option(names = "--enable-hot-row-protection", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "Queue transactions that write the same row (table + WHERE of equalities).")
    boolean isHotRowProtectionEnabled;
    @Option(names = "--enable-hot-row-protection-dry-run", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "Only count the transactions hot-row protection would queue or reject.")
    boolean isHotRowProtectionDryRun;
    @Option(names = "--hot-row-protection-max-queue-size", defaultValue = "20",
            description = "Most transactions per row, running plus queued; more fail at once.")
    int hotRowMaxQueueSize;
    @Option(names = "--hot-row-protection-max-global-queue-size", defaultValue = "1000",
            description = "Most transactions queued over all rows; more fail at once.")
    int hotRowMaxGlobalQueueSize;
    @Option(names = "--hot-row-protection-concurrent-transactions", defaultValue = "5",
            description = "Most transactions per row running at once; the rest wait in line.")
    int hotRowConcurrentTransactions;
    @Option(names = "--twopc-enable", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "Take part in atomic (transaction_mode TWOPC) distributed transactions: XA branches, and "
                    + "decision records in the _vt database as metadata manager (docs/design/twopc.md).")
    boolean isTwopcEnabled;
    @Option(names = "--http-port", defaultValue = "15100", description = "HTTP port on --bind-address: /healthz, "
            + "/readyz, /metrics and the debug pages (/debug/status, /debug/consolidations, /debug/hotrows, /debug/vars); "
            + "0 for none.")
    int httpPort;
    @Option(names = "--shutdown-grace-period", defaultValue = "30s", description = "On SIGTERM, how long running "
            + "queries and open transactions may take to finish; what is still open then is rolled back.")
    String shutdownGracePeriod;

    @Option(names = "--topo-implementation", defaultValue = "",
            description = "etcd2 to register in the topology at start; empty to run without a topology.")
    String topoImplementation;
    @Option(names = "--topo-global-server-address", defaultValue = "127.0.0.1:2379",
            description = "etcd endpoints of the global topology, comma-separated.")
    String topoAddress;
    @Option(names = "--topo-global-root", defaultValue = "/vitess/global", description = "Root of the global topology.")
    String topoRoot;
    @Option(names = "--health-record-ttl", defaultValue = "10s", description = "Lifetime of the tablet's health "
            + "record in the topology if the tablet dies; vtgates drop it from discovery once it expires.")
    String healthRecordTtl;

    public static void main(String[] args) {
        int rc = FlagFiles.execute(new VtTablet(), args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Spec
    CommandSpec spec;

    /** What a running tablet daemon holds; the topology parts are null without --topo-implementation. */
    private record Running(Metrics metrics, Readiness readiness, DaemonHttpServer http, TabletServer tablet,
                           TabletGrpcServer grpc, Topo topo, HealthPublisher publisher) {}

    @Override
    public Integer call() throws Exception {
        TabletConfig config;
        Duration grace;
        try {
            config = toConfig();
            grace = Durations.parse(shutdownGracePeriod);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Running running = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(running, grace, config.logPrefix());
            stopped.countDown();
        }, "vttablet-shutdown"));
        log.info("{}: started, {}", config.logPrefix(), config);
        running.grpc().awaitTermination();
        stopped.await();
        return 0;
    }

    /** Starts the HTTP server (so /healthz answers at once), the tablet, its gRPC service and its topology record. */
    private Running start(TabletConfig config) throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Metrics metrics = push(started, Metrics.prometheus());
            Readiness readiness = new Readiness();
            DaemonHttpServer http = httpPort == 0 ? null : push(started,
                    DaemonHttpServer.start(config.bindAddress(), httpPort, readiness, metrics, config.logPrefix()));
            TabletServer tablet = push(started, new TabletServer(config, metrics.registry()));
            if (http != null) {
                DebugPages.addTo(http, DebugPages.Pages.of(tablet));
                TabletStatus.page(tablet, EffectiveFlags.of(spec), readiness).addTo(http);
            }
            TabletGrpcServer grpc = push(started,
                    TabletGrpcServer.start(tablet, config.bindAddress(), config.grpcPort(), config.logPrefix()));
            Topo topo = null;
            HealthPublisher publisher = null;
            if (!topoImplementation.isBlank()) {
                topo = push(started, TopoBackend.of(topoImplementation).open(topoAddress, topoRoot,
                        List.of(config.alias().getCell())));
                TopoRegistration.register(topo, config, grpc.port(), topoAddress);
                publisher = push(started, new HealthPublisher(topo, tablet, config.alias(),
                        Durations.parse(healthRecordTtl), config.logPrefix()));
            }
            readiness.setCheck(tablet::notServingReason);
            return new Running(metrics, readiness, http, tablet, grpc, topo, publisher);
        } catch (Exception | Error e) {
            while (!started.isEmpty()) {
                closeQuietly(started.pop());
            }
            throw e;
        }
    }

    /**
     * The graceful stop on SIGTERM: /readyz fails and every vtgate hears "not serving" at once (the health
     * stream and the topology's health record), new queries are refused, running ones and open transactions
     * get up to the grace period, then the gRPC server stops, what is left is rolled back, the health record
     * is deleted, and /healthz answers until the very end.
     */
    private static void stop(Running r, Duration grace, String logPrefix) {
        log.info("{}: shutting down", logPrefix);
        r.readiness().drain("shutting down");
        r.tablet().stopServing();
        try {
            if (!r.tablet().awaitIdle(grace)) {
                log.warn("{}: {} calls and {} transactions still open after {}; stopping anyway", logPrefix,
                        r.tablet().requestsInFlight(), r.tablet().activeTransactions(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.grpc().close();
        r.tablet().close();
        for (AutoCloseable c : new AutoCloseable[] {r.publisher(), r.topo(), r.http(), r.metrics()}) {
            if (c != null) {
                closeQuietly(c);
            }
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> started, T resource) {
        started.push(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("vttablet: closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** The flags as a config; fails with a usage error on missing or malformed values. */
    TabletConfig toConfig() {
        if (tabletAlias == null || tabletAlias.isEmpty() || keyspace == null || keyspace.isEmpty()) {
            throw new IllegalArgumentException("--tablet-alias and --keyspace are required");
        }
        return new TabletConfig(tabletAlias, keyspace, shard, parseTabletType(tabletType), dbName, mysqlHost, mysqlPort,
                mysqlUser, mysqlPassword, grpcPort, bindAddress, poolSize, transactionCap, streamPoolSize,
                Durations.parse(txPoolTimeout), Durations.parse(transactionTimeout), Durations.parse(queryTimeout),
                Durations.parse(lockWaitTimeout), maxResultSize,
                warnResultSize, Durations.parse(queryPoolTimeout), queryPoolWaiterCap, txPoolWaiterCap,
                new ConsolidatorConfig(isConsolidatorEnabled, isConsolidatorReplicasEnabled, consolidatorWaiterCap),
                new HotRowConfig(isHotRowProtectionEnabled, isHotRowProtectionDryRun, hotRowMaxQueueSize,
                        hotRowMaxGlobalQueueSize, hotRowConcurrentTransactions), isTwopcEnabled);
    }

    static TabletType parseTabletType(String s) {
        TabletType type = TabletType.valueOf(s.trim().toUpperCase(Locale.ROOT));
        if (type == TabletType.UNKNOWN || type == TabletType.UNRECOGNIZED) {
            throw new IllegalArgumentException("invalid tablet type: " + s);
        }
        return type;
    }


}
