package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tessel.topo.DirEntry;
import io.tessel.topo.LockHandle;
import io.tessel.topo.RecordingListener;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoConn;
import io.tessel.topo.TopoConnContract;
import io.tessel.topo.TopoException;
import io.tessel.topo.Version;
import io.tessel.topo.Versioned;
import io.tessel.topo.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the contract suite against a real etcd, each test under its own root prefix, plus what only etcd
 * has: the key layout Vitess shares, lease-bound locks that outlive a crashed holder only by their TTL,
 * watches across a server restart, and fast failure when no server answers.
 */
@SuppressWarnings("try") // try-with-resources closes watches and locks the body never names
class EtcdTopoConnIT extends TopoConnContract {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    private static final Logger log = LoggerFactory.getLogger(EtcdTopoConnIT.class);
    /** A lease TTL short enough for tests to outlive it. */
    private static final Duration SHORT_TTL = Duration.ofSeconds(2);

    private String root;

    @Override
    protected TopoConn openConn() {
        root = etcd.newRoot("contract");
        return new EtcdTopoConn(etcd.config(root));
    }

    @Override
    protected TopoConn openPeer(TopoConn conn) {
        return new EtcdTopoConn(((EtcdTopoConn) conn).config());
    }

    @AfterEach
    void deleteRoot() {
        etcd.deleteRoot(root);
    }

    @Test
    void filesAreKeysBelowTheRootVersionedByModRevision() throws Exception {
        Version version = conn.create("keyspaces/ks/Keyspace", bytes("k"));
        KeyValue raw = rawGet(root + "/keyspaces/ks/Keyspace", GetOption.DEFAULT).getFirst();
        assertEquals("k", raw.getValue().toString(UTF_8));
        assertEquals(version.value(), raw.getModRevision());
    }

    @Test
    void lockIsALeaseBoundKeyUnderLocks() throws Exception {
        conn.create("ks/Keyspace", bytes("x"));
        try (LockHandle lock = conn.lock("ks", "vtctld reshard", LONG)) {
            List<KeyValue> keys = rawGet(root + "/ks/locks/", GetOption.builder().isPrefix(true).build());
            assertEquals(1, keys.size());
            KeyValue key = keys.getFirst();
            assertEquals(root + "/ks/locks/" + key.getLease(), key.getKey().toString(UTF_8));
            assertEquals("vtctld reshard", key.getValue().toString(UTF_8));
            assertEquals(List.of(new DirEntry("Keyspace", DirEntry.Type.FILE, false),
                    new DirEntry("locks", DirEntry.Type.DIRECTORY, true)), conn.listDir("ks", true));
        }
        assertEquals(List.of(), rawGet(root + "/ks/locks/", GetOption.builder().isPrefix(true).build()));
    }

    /** What a killed process leaves behind is a lock key under a lease nobody renews; etcd expires it. */
    @Test
    void crashedHoldersLockIsReleasedWhenItsLeaseExpires() throws Exception {
        conn.create("ks/Keyspace", bytes("x"));
        Client crashed = etcd.adminClient();
        long lease = crashed.getLeaseClient().grant(SHORT_TTL.toSeconds()).get(10, TimeUnit.SECONDS).getID();
        crashed.getKVClient().put(key(root + "/ks/locks/" + lease), ByteSequence.from("crashed", UTF_8),
                PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS);
        TopoException e = assertTopo(TopoCode.TIMEOUT, () -> conn.lock("ks", "impatient", SHORT));
        assertTrue(e.getMessage().contains("held by crashed"), e.getMessage());

        long start = System.nanoTime();
        try (LockHandle lock = conn.lock("ks", "after the crash", LONG)) {
            lock.check();
            log.info("lock of a crashed holder (TTL {}) taken over after {} ms", SHORT_TTL, millisSince(start));
        }
    }

    /** A holder that vanishes without closing (its client stops renewing) loses its ephemeral file at the TTL. */
    @Test
    void ephemeralFileOfAVanishedHolderExpiresWithItsLease() throws Exception {
        TopoConn holder = new EtcdTopoConn(((EtcdTopoConn) conn).config());
        holder.putEphemeral("tablets/t2/Health", bytes("serving"), SHORT_TTL);
        holder.close(); // no revoke: only the keep-alives stop, as when the process is killed
        long start = System.nanoTime();
        while (true) {
            try {
                conn.get("tablets/t2/Health");
            } catch (TopoException e) {
                assertTrue(e.is(TopoCode.NO_NODE), e.getMessage());
                break;
            }
            assertTrue(System.nanoTime() - start < SHORT_TTL.toNanos() + 10_000_000_000L, "expired within TTL + 10 s");
            Thread.sleep(100); // waiting on etcd's lease expiry
        }
        log.info("ephemeral file of a vanished holder (TTL {}) expired after {} ms", SHORT_TTL, millisSince(start));
    }

    @Test
    void heldLockOutlivesItsLeaseTtlThroughKeepAlives() {
        conn.create("ks/Keyspace", bytes("x"));
        EtcdConfig shortLease = ((EtcdTopoConn) conn).config().withLeaseTtl(Duration.ofSeconds(1));
        try (TopoConn holder = new EtcdTopoConn(shortLease); LockHandle lock = holder.lock("ks", "holder", LONG)) {
            long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < until) {
                lock.check();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            assertTopo(TopoCode.TIMEOUT, () -> conn.lock("ks", "second", SHORT));
        }
    }

    /**
     * The documented choice: a stream failure ends a watch with an error (the owner re-watches), and the
     * connection itself recovers once etcd is back.
     */
    @Test
    void stoppedEtcdEndsWatchesAndTheConnectionRecoversAfterRestart() {
        try (EtcdProcess own = EtcdProcess.start();
                TopoConn restarting = new EtcdTopoConn(EtcdConfig.of(own.endpoint(), "/restart"))) {
            restarting.create("file", bytes("one"));
            RecordingListener<byte[]> listener = new RecordingListener<>();
            try (Watch watch = restarting.watch("file", listener)) {
                listener.nextChanged();
                own.stop();
                listener.awaitError(TopoCode.UNREACHABLE);
                assertTopo(TopoCode.UNREACHABLE, () -> restarting.get("file"));
            }
            own.restart();
            long start = System.nanoTime();
            Versioned<byte[]> after = awaitReachable(() -> restarting.get("file"));
            log.info("connection usable {} ms after etcd restarted", millisSince(start));
            assertEquals("one", text(after.value()));
            RecordingListener<byte[]> again = new RecordingListener<>();
            try (Watch watch = restarting.watch("file", again)) {
                restarting.update("file", bytes("two"), after.version());
                again.awaitValue(b -> text(b).equals("two"));
            }
        }
    }

    @Test
    void refusedConnectionFailsFastWithUnreachable() {
        String nobody = "127.0.0.1:" + EtcdProcess.freePorts(1)[0];
        try (TopoConn unreachable = new EtcdTopoConn(EtcdConfig.of(nobody, "/nowhere"))) {
            long start = System.nanoTime();
            assertTopo(TopoCode.UNREACHABLE, () -> unreachable.get("file"));
            assertTopo(TopoCode.UNREACHABLE, () -> unreachable.create("file", bytes("x")));
            assertTopo(TopoCode.UNREACHABLE, () -> unreachable.lock("dir", "holder", LONG));
            assertTopo(TopoCode.UNREACHABLE, () -> unreachable.watch("file", new RecordingListener<>()));
            long elapsed = millisSince(start);
            log.info("four calls to a refused endpoint failed in {} ms", elapsed);
            assertTrue(elapsed < EtcdConfig.DEFAULT_CALL_TIMEOUT.toMillis(), "took " + elapsed + " ms");
        }
    }

    @Test
    void silentEndpointFailsWithinTheCallTimeout() {
        Duration callTimeout = Duration.ofMillis(500);
        // TEST-NET-1 (RFC 5737): never routed, so the connection attempt gets no answer or an immediate error.
        EtcdConfig silent = EtcdConfig.of("192.0.2.1:2379", "/nowhere").withCallTimeout(callTimeout);
        try (TopoConn unreachable = new EtcdTopoConn(silent)) {
            long start = System.nanoTime();
            TopoException e = assertThrows(TopoException.class, () -> unreachable.get("file"));
            long elapsed = millisSince(start);
            log.info("call to a silent endpoint failed with {} in {} ms", e.code(), elapsed);
            assertTrue(Set.of(TopoCode.TIMEOUT, TopoCode.UNREACHABLE).contains(e.code()), e::getMessage);
            assertTrue(elapsed < 4 * callTimeout.toMillis(), "took " + elapsed + " ms");
        }
    }

    private static <T> T awaitReachable(Supplier<T> call) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (TopoException e) {
                if (!e.is(TopoCode.UNREACHABLE) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static List<KeyValue> rawGet(String key, GetOption option) throws Exception {
        return etcd.adminClient().getKVClient().get(key(key), option).get(10, TimeUnit.SECONDS).getKvs();
    }

    private static ByteSequence key(String key) {
        return ByteSequence.from(key, UTF_8);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
