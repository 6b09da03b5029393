package io.tessel.topo.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One private {@code etcd} server for tests, on 127.0.0.1 with free client, peer and metrics ports (so it
 * never binds etcd's defaults), its data in a temporary directory (on tmpfs when {@code /dev/shm} exists,
 * since etcd fsyncs every write; {@code -Dtessel.it.etcd.dir} picks another parent). {@link #stop()} and
 * {@link #restart()} keep the data and ports; {@link #close()} stops it and deletes the directory. Not
 * thread-safe: one owner drives it.
 */
public final class EtcdProcess implements AutoCloseable {
    /** System property naming the etcd binary; by default {@code etcd} on the PATH, else /usr/bin/etcd. */
    public static final String BINARY_PROPERTY = "tessel.it.etcd.binary";
    /** System property naming the parent directory of the data directory; by default /dev/shm if writable. */
    public static final String DIR_PROPERTY = "tessel.it.etcd.dir";

    private static final Logger log = LoggerFactory.getLogger(EtcdProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final int metricsPort;
    private Process process;

    private EtcdProcess(Path dir, int clientPort, int peerPort, int metricsPort) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.metricsPort = metricsPort;
    }

    /** Starts a new server and waits until it reports healthy; retries with new ports if one was taken. */
    public static EtcdProcess start() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int[] ports = freePorts(3);
            EtcdProcess etcd = new EtcdProcess(newDirectory(), ports[0], ports[1], ports[2]);
            try {
                etcd.restart();
                return etcd;
            } catch (IllegalStateException e) {
                last = e;
                etcd.close();
                log.warn("etcd test server: start attempt {} failed: {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the stopped server again on the same ports and data, and waits until it is healthy. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("etcd " + endpoint() + " is already running");
        }
        long started = System.nanoTime();
        try {
            process = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run etcd (" + binary() + "): install etcd-server or pass -D"
                    + EtcdExtension.ENDPOINTS_PROPERTY + "=http://host:port", e);
        }
        awaitHealthy();
        log.info("etcd test server {}: healthy after {} ms (data in {})", endpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dir);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s), keeping its data for {@link #restart()}. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("etcd test server: could not delete {}: {}", dir, e.toString());
        }
    }

    private List<String> command() {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        return new ArrayList<>(List.of(binary(), "--name", "tessel-test", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "tessel-test=" + peer,
                "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort,
                "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn"));
    }

    /** Polls {@code /health} until etcd has a leader; fails early if the process exits. */
    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for etcd", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        stop();
        throw new IllegalStateException("etcd not healthy within " + START_TIMEOUT + ": " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("etcd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String binary() {
        String configured = System.getProperty(BINARY_PROPERTY, "");
        if (!configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "etcd"))) {
                return Path.of(dir, "etcd").toString();
            }
        }
        return "/usr/bin/etcd";
    }

    private static Path newDirectory() {
        String configured = System.getProperty(DIR_PROPERTY, "");
        Path parent = configured.isBlank() ? Path.of("/dev/shm") : Path.of(configured);
        try {
            return Files.isDirectory(parent) && Files.isWritable(parent)
                    ? Files.createTempDirectory(parent, "tessel-etcd-") : Files.createTempDirectory("tessel-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports free right now, all held open together so they are distinct. */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("closing port probe: {}", e.toString());
                }
            }
        }
    }
}
