package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.tessel.topo.LockHandle;
import io.tessel.topo.RecordingListener;
import io.tessel.topo.TopoConn;
import io.tessel.topo.Version;
import io.tessel.topo.Watch;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency of EtcdTopoConn's operations against a local etcd, the numbers in docs/design/topo-etcd.md.
 * Opt-in, so the suite stays fast: {@code mvn -pl topo verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=EtcdLatencyIT -Dtessel.topo.bench=true}; run it alone so the first call shows JVM warm-up.
 */
@EnabledIfSystemProperty(named = "tessel.topo.bench", matches = "true")
@SuppressWarnings("try") // try-with-resources closes watches the body never names
class EtcdLatencyIT {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    private static final Logger log = LoggerFactory.getLogger(EtcdLatencyIT.class);
    private static final int ROUNDS = 300;

    @Test
    void measure() throws Exception {
        String root = etcd.newRoot("latency");
        long start = System.nanoTime();
        try (TopoConn first = new EtcdTopoConn(etcd.config(root))) {
            first.create("warmup", bytes("x"));
            report("first call of the first connection in this JVM", System.nanoTime() - start);
            start = System.nanoTime();
            try (TopoConn second = new EtcdTopoConn(etcd.config(root))) {
                second.get("warmup");
                report("first call of a second connection", System.nanoTime() - start);
            }
            warmUp(first);
            measureFiles(first);
            measureLocks(first, root);
            measureWatch(first);
        } finally {
            etcd.deleteRoot(root);
        }
    }

    /** Runs the file operations unmeasured first, so JIT compilation does not land in the first numbers. */
    private static void warmUp(TopoConn conn) {
        for (int i = 0; i < ROUNDS; i++) {
            conn.create("warm/f" + i, bytes("value"));
            conn.update("warm/f" + i, bytes("v"), conn.get("warm/f" + i).version());
            conn.delete("warm/f" + i, null);
            conn.update("warm/g", bytes("v"), null);
        }
        conn.delete("warm/g", null);
    }

    private static void measureFiles(TopoConn conn) {
        int[] n = {0};
        summarize("create", time(() -> {
            conn.create("files/f" + n[0]++, bytes("value"));
            return 0;
        }));
        summarize("get", time(() -> conn.get("files/f1").version().value()));
        Version[] current = {conn.get("files/f1").version()};
        summarize("update (compare-and-set)", time(() -> {
            current[0] = conn.update("files/f1", bytes("v"), current[0]);
            return 0;
        }));
        summarize("update (unconditional put)", time(() -> conn.update("files/f2", bytes("v"), null).value()));
        summarize("listDir (" + ROUNDS + " files)", time(() -> conn.listDir("files", false).size()));
        int[] d = {0};
        summarize("delete", time(() -> {
            conn.delete("files/f" + d[0]++, null);
            return 0;
        }));
    }

    private static void measureLocks(TopoConn conn, String root) throws Exception {
        conn.create("ks/Keyspace", bytes("x"));
        summarize("lock + unlock, uncontended", time(() -> {
            conn.lock("ks", "bench", Duration.ofSeconds(10)).close();
            return 0;
        }));
        try (TopoConn peer = new EtcdTopoConn(etcd.config(root))) {
            long[] handoffs = new long[50];
            for (int i = 0; i < handoffs.length; i++) {
                LockHandle held = conn.lock("ks", "holder", Duration.ofSeconds(10));
                CountDownLatch waiting = new CountDownLatch(1);
                CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(() -> {
                    waiting.countDown();
                    peer.lock("ks", "waiter", Duration.ofSeconds(10)).close();
                    return System.nanoTime();
                });
                waiting.await();
                awaitLockKeys(root + "/ks/locks/", 2);
                long released = System.nanoTime();
                held.close();
                handoffs[i] = acquiredAt.get(10, TimeUnit.SECONDS) - released;
            }
            summarize("lock handoff (release to waiter holding it, incl. its unlock)", handoffs);
        }
    }

    private static void measureWatch(TopoConn conn) {
        conn.create("watched", bytes("0"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        try (Watch watch = conn.watch("watched", listener)) {
            listener.nextChanged();
            int[] i = {1};
            summarize("update to watch event", time(() -> {
                String value = String.valueOf(i[0]++);
                conn.update("watched", bytes(value), null);
                listener.awaitValue(b -> new String(b, UTF_8).equals(value));
                return 0;
            }));
        }
    }

    /** Polls until {@code count} lock keys exist: the waiter has queued behind the holder. */
    private static void awaitLockKeys(String prefix, long count) throws Exception {
        GetOption countOnly = GetOption.builder().isPrefix(true).withCountOnly(true).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (etcd.adminClient().getKVClient().get(ByteSequence.from(prefix, UTF_8), countOnly)
                .get(10, TimeUnit.SECONDS).getCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waiter never queued under " + prefix);
            }
            Thread.onSpinWait();
        }
    }

    private static long[] time(LongSupplier operation) {
        long[] nanos = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            operation.getAsLong();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void summarize(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        log.info(String.format("latency %-62s n=%4d mean=%7.3f ms p50=%7.3f ms p99=%7.3f ms", what, sorted.length,
                Arrays.stream(sorted).average().orElse(0) / 1e6, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6));
    }

    private static void report(String what, long nanos) {
        log.info(String.format("latency %-62s %7.1f ms", what, nanos / 1e6));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
