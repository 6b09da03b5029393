package io.tessel.vttablet.mysqlctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private MariaDB server run from the system binaries as a child process: a throw-away instance
 * directory, a free port on 127.0.0.1, root with no password. {@link #close()} stops it and deletes the
 * directory; a JVM shutdown hook does the same if the owner forgets, and a later start reaps instances
 * whose JVM died without running hooks. Thread-safe.
 */
public final class Mysqld implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mysqld.class);
    private static final String HOST = "127.0.0.1";
    private static final String DIR_PREFIX = "tessel-mysqld-";
    private static final int PORT_ATTEMPTS = 3;

    private final MysqldConfig config;
    private final Path baseDir;
    private final Process process;
    private final int port;
    private final Thread shutdownHook;
    private volatile boolean isStopped;

    private Mysqld(MysqldConfig config, Path baseDir, Process process, int port) {
        this.config = config;
        this.baseDir = baseDir;
        this.process = process;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "mysqld-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** True when the system MariaDB binaries are installed. */
    public static boolean isAvailable() {
        return MysqldConfig.defaults().hasBinaries();
    }

    /**
     * Initialises a fresh instance directory, starts mariadbd on a free port and waits until it accepts
     * connections, then creates the configured databases.
     *
     * @throws IllegalStateException when the server cannot be installed or does not come up in time; the
     *                               message carries the tail of its error log
     */
    public static Mysqld start(MysqldConfig config) {
        if (!config.hasBinaries()) {
            throw new IllegalStateException("MariaDB binaries not found: " + config.mariadbd() + ", " + config.installDb()
                    + " (apt-get install mariadb-server)");
        }
        reapOrphans(config.parentDir());
        Path base = null;
        try {
            base = Files.createTempDirectory(config.parentDir(), DIR_PREFIX);
            Files.writeString(base.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            install(config, base);
            Mysqld mysqld = launchOnFreePort(config, base);
            for (String db : config.databases()) {
                mysqld.createDatabase(db);
            }
            return mysqld;
        } catch (IOException e) {
            deleteTree(base);
            throw new UncheckedIOException("mysqld start failed in " + base, e);
        } catch (RuntimeException e) {
            deleteTree(base);
            throw e;
        }
    }

    private static void install(MysqldConfig config, Path base) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(config.installDb().toString(), "--no-defaults",
                "--datadir=" + base.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db",
                "--skip-name-resolve",
                // The bootstrap deletes every #sql* file in its tmpdir, so with the shared /tmp it deletes the
                // temporary tables of bootstraps running at the same time, which then fail ("Unknown table
                // 'mysql.tmp_user_sys'"). Its own directory keeps parallel starts apart.
                "--tmpdir=" + base));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        Path logFile = base.resolve("install.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            if (!p.waitFor(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db timed out; see " + logFile);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing MariaDB", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db exited with " + p.exitValue() + ":\n" + tail(logFile));
        }
    }

    /** Starts the server; if another process takes the chosen port first, tries again on a new one. */
    private static Mysqld launchOnFreePort(MysqldConfig config, Path base) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(command(config, base, port)).redirectErrorStream(true)
                    .redirectOutput(base.resolve("mariadbd.out").toFile()).start();
            Mysqld mysqld = new Mysqld(config, base, p, port);
            try {
                mysqld.awaitReady();
                log.info("mysqld: MariaDB pid {} ready on {}:{} in {}", p.pid(), HOST, port, base);
                return mysqld;
            } catch (IllegalStateException e) {
                boolean isPortTaken = tail(base.resolve("error.log")).contains("Address already in use");
                mysqld.stopProcess();
                mysqld.removeHook();
                if (!isPortTaken || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                log.info("mysqld: port {} was taken, trying another", port);
            }
        }
    }

    private static List<String> command(MysqldConfig config, Path base, int port) {
        List<String> cmd = new ArrayList<>(List.of(config.mariadbd().toString(), "--no-defaults",
                "--datadir=" + base.resolve("data"), "--socket=" + base.resolve("mysqld.sock"),
                "--pid-file=" + base.resolve("mariadbd.pid"), "--log-error=" + base.resolve("error.log"),
                "--tmpdir=" + base, "--port=" + port, "--bind-address=" + HOST,
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                "--max_allowed_packet=64M", "--skip-log-bin", "--innodb-buffer-pool-size=128M",
                "--max-connections=500", "--skip-name-resolve",
                // The data is thrown away on stop, so skip the clean-shutdown flush.
                "--innodb-fast-shutdown=2"));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        cmd.addAll(config.extraArgs());
        return cmd;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + process.exitValue() + " during start:\n"
                        + tail(baseDir.resolve("error.log")));
            }
            if (answersHandshake()) {
                return;
            }
            try {
                Thread.sleep(20); // polling a starting process; nothing to wait on instead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for mariadbd", e);
            }
        }
        throw new IllegalStateException("mariadbd did not accept connections within " + config.startTimeout() + ":\n"
                + tail(baseDir.resolve("error.log")));
    }

    /** True when the server sends its first packet (the handshake, or an error packet) on a new connection. */
    private boolean answersHandshake() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            return in.readNBytes(5).length == 5;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String user() {
        return "root";
    }

    /** Root's password: empty. */
    public String password() {
        return "";
    }

    /** The instance directory: data, socket, logs. Deleted on stop. */
    public Path baseDir() {
        return baseDir;
    }

    public Path socket() {
        return baseDir.resolve("mysqld.sock");
    }

    /** The mariadbd process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** A Connector/J URL for a database (empty for none) with the user in it, ready for DriverManager. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + database + "?user=root&sslMode=DISABLED"
                + "&allowPublicKeyRetrieval=true";
    }

    /** Creates a database if it does not exist yet. */
    public void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("")); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + name.replace("`", "``") + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after the stop timeout) and deletes its directory. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
        removeHook();
    }

    private void stopQuietly() {
        if (isStopped) {
            return;
        }
        isStopped = true;
        stopProcess();
        deleteTree(baseDir);
        log.info("mysqld: MariaDB on port {} stopped, {} removed", port, baseDir);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("mysqld: MariaDB pid {} ignored SIGTERM for {}; killing it", process.pid(), config.stopTimeout());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }

    /** Kills and deletes instances left behind by JVMs that died without running their shutdown hooks. */
    private static void reapOrphans(Path parent) {
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(DIR_PREFIX)).forEach(Mysqld::reapIfOrphan);
        } catch (IOException | UncheckedIOException e) {
            log.debug("mysqld: scanning {} for orphans: {}", parent, e.toString());
        }
    }

    private static void reapIfOrphan(Path dir) {
        Long owner = readPid(dir.resolve("owner.pid"));
        if (owner == null || ProcessHandle.of(owner).filter(ProcessHandle::isAlive).isPresent()) {
            return;
        }
        Long server = readPid(dir.resolve("mariadbd.pid"));
        if (server != null) {
            ProcessHandle.of(server)
                    .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
        log.info("mysqld: removing {} left by dead process {}", dir, owner);
        deleteTree(dir);
    }

    private static Long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("mysqld: could not delete {}: {}", dir, e.toString());
        }
    }
}
