package io.tessel.vtcombo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Tessel daemon started through its bin/ script as a separate process, with its output in a log file
 * the test can wait on. The scripts run with TESSEL_SKIP_BUILD=1: the Maven build has just built them.
 */
final class Daemon implements AutoCloseable {
    static final Path ROOT = locateRoot();

    final String name;
    final Process process;
    final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    private static Path locateRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/lib.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (bin/lib.sh) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Daemon start(String name, Path logDir, Map<String, String> env, String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin").resolve(script).toString());
        cmd.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TESSEL_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        return new Daemon(name, pb.start(), log);
    }

    /** Runs a short command (bin/vtctl) to completion and returns its exit code and output. */
    static String run(Map<String, String> env, String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin").resolve(script).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TESSEL_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish: " + out);
        }
        return "exit " + p.exitValue() + "\n" + out;
    }

    /** Waits until the log contains {@code text}; fails with the log's tail when the process dies or time runs out. */
    void awaitLog(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + (process.isAlive() ? " did not log '" : " died before logging '")
                        + text + "':\n" + tail(content));
            }
            Thread.sleep(50); // polling a child's log file
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }

    void kill() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the daemon's graceful shutdown. */
    void terminate() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; the script exec'd java, so this is the JVM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
