package io.tessel.vttablet;

import io.tessel.common.flags.Durations;
import io.tessel.common.flags.EnvDefaults;
import io.tessel.common.flags.FlagFiles;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.txserializer.HotRowConfig;
import io.tessel.vttablet.health.HealthPublisher;
import io.tessel.vttablet.health.TopoRegistration;
import java.util.List;
import io.tessel.vttablet.server.TabletServer;
import java.time.Duration;
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
 * upper-cased with underscores), opens a {@link TabletServer} on the MySQL and serves it over gRPC until
 * SIGTERM, then stops gracefully. vtcombo builds {@link TabletServer} and {@link TabletGrpcServer} itself.
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
    @Option(names = "--debug-port", defaultValue = "0",
            description = "HTTP port of the debug pages (/debug/consolidations, /debug/hotrows, /debug/vars) on "
                    + "--bind-address; 0 for none.")
    int debugPort;

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

    @Override
    public Integer call() throws Exception {
        TabletConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TabletServer tablet = new TabletServer(config);
        TabletGrpcServer started = null;
        DebugHttpServer debug = null;
        try {
            started = TabletGrpcServer.start(tablet, config.bindAddress(), config.grpcPort(), config.logPrefix());
            if (config.debugPort() > 0) {
                debug = DebugHttpServer.start(DebugHttpServer.Pages.of(tablet), config.bindAddress(), config.debugPort(),
                        config.logPrefix());
            }
        } catch (Exception e) {
            if (started != null) {
                started.close();
            }
            tablet.close();
            throw e;
        }
        TabletGrpcServer grpc = started;
        DebugHttpServer debugPages = debug;
        Topo topo = null;
        if (!topoImplementation.isBlank()) {
            topo = TopoBackend.of(topoImplementation).open(topoAddress, topoRoot, List.of(config.alias().getCell()));
            TopoRegistration.register(topo, config, grpc.port(), topoAddress);
        }
        Topo registered = topo;
        HealthPublisher publisher = topo == null ? null
                : new HealthPublisher(topo, tablet, config.alias(), Durations.parse(healthRecordTtl), config.logPrefix());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{}: shutting down", config.logPrefix());
            tablet.stopServing(); // vtgates see "not serving" at once, before the port closes
            if (publisher != null) {
                publisher.close();
            }
            grpc.close();
            if (debugPages != null) {
                debugPages.close();
            }
            tablet.close();
            if (registered != null) {
                registered.close();
            }
            stopped.countDown();
        }, "vttablet-shutdown"));
        log.info("{}: started, {}", config.logPrefix(), config);
        grpc.awaitTermination();
        stopped.await();
        return 0;
    }

    /** The flags as a config; fails with a usage error on missing or malformed values. */
    TabletConfig toConfig() {
        if (tabletAlias == null || tabletAlias.isEmpty() || keyspace == null || keyspace.isEmpty()) {
            throw new IllegalArgumentException("--tablet-alias and --keyspace are required");
        }
        return new TabletConfig(tabletAlias, keyspace, shard, parseTabletType(tabletType), dbName, mysqlHost, mysqlPort,
                mysqlUser, mysqlPassword, grpcPort, bindAddress, poolSize, transactionCap, streamPoolSize,
                Durations.parse(txPoolTimeout), Durations.parse(transactionTimeout), Durations.parse(queryTimeout), maxResultSize,
                warnResultSize, Durations.parse(queryPoolTimeout), queryPoolWaiterCap, txPoolWaiterCap,
                new ConsolidatorConfig(isConsolidatorEnabled, isConsolidatorReplicasEnabled, consolidatorWaiterCap),
                new HotRowConfig(isHotRowProtectionEnabled, isHotRowProtectionDryRun, hotRowMaxQueueSize,
                        hotRowMaxGlobalQueueSize, hotRowConcurrentTransactions), debugPort);
    }

    static TabletType parseTabletType(String s) {
        TabletType type = TabletType.valueOf(s.trim().toUpperCase(Locale.ROOT));
        if (type == TabletType.UNKNOWN || type == TabletType.UNRECOGNIZED) {
            throw new IllegalArgumentException("invalid tablet type: " + s);
        }
        return type;
    }


}
