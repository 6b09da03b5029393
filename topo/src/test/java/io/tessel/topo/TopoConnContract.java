package io.tessel.topo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance suite every {@link TopoConn} backend must pass, after Vitess's {@code go/vt/topo/test}:
 * file versions and conditional writes, directory listing, locks and watches. A backend's test extends it
 * and supplies connections; published in the test-jar. Test methods are public so subclasses in other
 * packages (io.tessel.topo.etcd) inherit them cleanly. Timing is only ever asserted as "within a generous
 * bound" or "not while still blocked", never by sleeping. Longer than the 400-line guideline on purpose:
 * one class per contract lets a backend run all of it with a one-line subclass.
 */
@SuppressWarnings("try") // try-with-resources closes watches and locks the body never names
public abstract class TopoConnContract {
    /** Bound for things that must happen; only reached when something is broken. */
    protected static final Duration LONG = RecordingListener.WAIT;
    /** A short wait for things that must not happen, and a lock timeout expected to expire. */
    protected static final Duration SHORT = Duration.ofMillis(100);

    protected TopoConn conn;
    private final List<TopoConn> peers = new ArrayList<>();

    /** A connection to an empty namespace: a fresh store, or a fresh root on a shared one. Called per test. */
    protected abstract TopoConn openConn();

    /** Another connection to the same store and root as {@code conn}, closed independently of it. */
    protected abstract TopoConn openPeer(TopoConn conn);

    @BeforeEach
    public void openConnection() {
        conn = openConn();
    }

    @AfterEach
    public void closeConnections() {
        peers.forEach(TopoConn::close);
        conn.close();
    }

    protected TopoConn peer() {
        TopoConn peer = openPeer(conn);
        peers.add(peer);
        return peer;
    }

    @Test
    void ephemeralFileIsReadableUpdatableAndGoneWhenClosed() {
        EphemeralFile file = conn.putEphemeral("tablets/t1/Health", bytes("serving"), java.time.Duration.ofSeconds(10));
        TopoConn reader = peer();
        org.junit.jupiter.api.Assertions.assertArrayEquals(bytes("serving"), reader.get("tablets/t1/Health").value());
        file.update(bytes("not serving"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(bytes("not serving"), reader.get("tablets/t1/Health").value());
        file.close();
        file.close(); // idempotent
        TopoException e = org.junit.jupiter.api.Assertions.assertThrows(TopoException.class,
                () -> reader.get("tablets/t1/Health"));
        org.junit.jupiter.api.Assertions.assertTrue(e.is(TopoCode.NO_NODE));
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    /** Runs {@code call}, asserts it throws a TopoException of {@code code}, and returns it. */
    protected static TopoException assertTopo(TopoCode code, Executable call) {
        TopoException e = assertThrows(TopoException.class, call);
        assertEquals(code, e.code(), () -> "unexpected error: " + e.getMessage());
        return e;
    }

    // Files and versions.

    @Test
    public void createThenGetReturnsDataAndVersion() {
        Version v = conn.create("a/b/file", bytes("one"));
        Versioned<byte[]> got = conn.get("a/b/file");
        assertEquals("one", text(got.value()));
        assertEquals(v, got.version());
    }

    @Test
    public void createExistingFileFailsWithNodeExists() {
        conn.create("file", bytes("one"));
        assertTopo(TopoCode.NODE_EXISTS, () -> conn.create("file", bytes("two")));
        assertEquals("one", text(conn.get("file").value()));
    }

    @Test
    public void getMissingFileFailsWithNoNode() {
        assertTopo(TopoCode.NO_NODE, () -> conn.get("missing"));
        conn.create("dir/file", bytes("x"));
        assertTopo(TopoCode.NO_NODE, () -> conn.get("dir/other"));
    }

    @Test
    public void updateWithCurrentVersionWritesAndGivesNewVersion() {
        Version v1 = conn.create("file", bytes("one"));
        Version v2 = conn.update("file", bytes("two"), v1);
        assertNotEquals(v1, v2);
        Versioned<byte[]> got = conn.get("file");
        assertEquals("two", text(got.value()));
        assertEquals(v2, got.version());
    }

    @Test
    public void updateWithStaleVersionFailsWithBadVersion() {
        Version v1 = conn.create("file", bytes("one"));
        conn.update("file", bytes("two"), v1);
        assertTopo(TopoCode.BAD_VERSION, () -> conn.update("file", bytes("three"), v1));
        assertEquals("two", text(conn.get("file").value()));
    }

    @Test
    public void updateMissingFileWithVersionFailsWithNoNode() {
        Version v = conn.create("file", bytes("one"));
        conn.delete("file", null);
        assertTopo(TopoCode.NO_NODE, () -> conn.update("file", bytes("two"), v));
    }

    @Test
    public void unconditionalUpdateCreatesThenOverwrites() {
        Version v1 = conn.update("a/file", bytes("one"), null);
        assertEquals(v1, conn.get("a/file").version());
        Version v2 = conn.update("a/file", bytes("two"), null);
        assertNotEquals(v1, v2);
        assertEquals("two", text(conn.get("a/file").value()));
    }

    @Test
    public void everyWriteGivesANewVersionEvenWithSameBytes() {
        Version v1 = conn.create("file", bytes("same"));
        Version v2 = conn.update("file", bytes("same"), v1);
        Version v3 = conn.update("file", bytes("same"), null);
        assertEquals(3, List.of(v1, v2, v3).stream().distinct().count());
        assertTopo(TopoCode.BAD_VERSION, () -> conn.update("file", bytes("x"), v2));
    }

    @Test
    public void valuesAreCopiedInAndOut() {
        byte[] data = bytes("one");
        conn.create("file", data);
        data[0] = 'X';
        conn.get("file").value()[0] = 'Y';
        assertEquals("one", text(conn.get("file").value()));
    }

    @Test
    public void emptyValueIsAValue() {
        conn.create("file", new byte[0]);
        assertArrayEquals(new byte[0], conn.get("file").value());
    }

    @Test
    public void leadingAndTrailingSlashesAreIgnored() {
        conn.create("/a/file/", bytes("one"));
        assertEquals("one", text(conn.get("a/file").value()));
    }

    @Test
    public void malformedPathsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> conn.create("a//b", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> conn.get("a/../b"));
        assertThrows(IllegalArgumentException.class, () -> conn.update("./a", bytes("x"), null));
        assertThrows(IllegalArgumentException.class, () -> conn.get("/"));
    }

    // Delete.

    @Test
    public void unconditionalDeleteRemovesTheFile() {
        conn.create("file", bytes("one"));
        conn.delete("file", null);
        assertTopo(TopoCode.NO_NODE, () -> conn.get("file"));
        conn.create("file", bytes("again"));
        assertEquals("again", text(conn.get("file").value()));
    }

    @Test
    public void conditionalDeleteChecksTheVersion() {
        Version v1 = conn.create("file", bytes("one"));
        Version v2 = conn.update("file", bytes("two"), v1);
        assertTopo(TopoCode.BAD_VERSION, () -> conn.delete("file", v1));
        assertEquals("two", text(conn.get("file").value()));
        conn.delete("file", v2);
        assertTopo(TopoCode.NO_NODE, () -> conn.get("file"));
    }

    @Test
    public void deleteMissingFileFailsWithNoNode() {
        assertTopo(TopoCode.NO_NODE, () -> conn.delete("missing", null));
        Version v = conn.create("file", bytes("one"));
        conn.delete("file", null);
        assertTopo(TopoCode.NO_NODE, () -> conn.delete("file", v));
    }

    @Test
    public void deleteDirectoryFailsWithNodeNotEmpty() {
        conn.create("dir/file", bytes("one"));
        assertTopo(TopoCode.NODE_NOT_EMPTY, () -> conn.delete("dir", null));
        assertEquals("one", text(conn.get("dir/file").value()));
    }

    // Directories.

    @Test
    public void listDirGivesSortedNamesAndTypes() {
        conn.create("keyspaces/b/Keyspace", bytes("b"));
        conn.create("keyspaces/a/Keyspace", bytes("a"));
        conn.create("keyspaces/a/shards/0/Shard", bytes("s"));
        conn.create("SrvVSchema", bytes("v"));

        assertEquals(List.of(dir("SrvVSchema", DirEntry.Type.FILE), dir("keyspaces", DirEntry.Type.DIRECTORY)),
                conn.listDir("/", true));
        assertEquals(List.of("a", "b"), names(conn.listDir("keyspaces", false)));
        assertEquals(List.of(dir("Keyspace", DirEntry.Type.FILE), dir("shards", DirEntry.Type.DIRECTORY)),
                conn.listDir("keyspaces/a", true));
        assertEquals(List.of("Shard"), names(conn.listDir("/keyspaces/a/shards/0/", false)));
    }

    @Test
    public void listDirOfMissingDirectoryOrFileFailsWithNoNode() {
        assertTopo(TopoCode.NO_NODE, () -> conn.listDir("/", false));
        conn.create("dir/file", bytes("x"));
        assertTopo(TopoCode.NO_NODE, () -> conn.listDir("other", false));
        assertTopo(TopoCode.NO_NODE, () -> conn.listDir("dir/file", true));
        assertTopo(TopoCode.NO_NODE, () -> conn.listDir("di", true));
    }

    @Test
    public void directoryVanishesWithItsLastFile() {
        conn.create("keyspaces/a/Keyspace", bytes("a"));
        conn.create("keyspaces/b/Keyspace", bytes("b"));
        conn.delete("keyspaces/b/Keyspace", null);
        assertEquals(List.of("a"), names(conn.listDir("keyspaces", false)));
        assertTopo(TopoCode.NO_NODE, () -> conn.listDir("keyspaces/b", false));
    }

    @Test
    public void similarPrefixesAreNotChildren() {
        conn.create("ab/file", bytes("x"));
        conn.create("a.b", bytes("x"));
        conn.create("a/file", bytes("x"));
        assertEquals(List.of("file"), names(conn.listDir("a", false)));
    }

    // Locks.

    @Test
    public void lockIsHeldUntilClosed() {
        conn.create("ks/Keyspace", bytes("x"));
        LockHandle lock = conn.lock("ks", "test", LONG);
        assertEquals("ks", lock.dir());
        assertEquals("test", lock.holder());
        lock.check();
        lock.close();
        assertTopo(TopoCode.NO_NODE, lock::check);
        lock.close();
        try (LockHandle again = conn.lock("ks", "test again", LONG)) {
            again.check();
        }
    }

    @Test
    public void lockHeldElsewhereTimesOut() {
        conn.create("ks/Keyspace", bytes("x"));
        try (LockHandle held = conn.lock("ks", "first", LONG)) {
            assertTopo(TopoCode.TIMEOUT, () -> conn.lock("ks", "second", SHORT));
            assertTopo(TopoCode.TIMEOUT, () -> peer().lock("ks", "peer", SHORT));
            held.check();
        }
    }

    @Test
    public void lockExcludesOtherHoldersUntilReleased() throws Exception {
        conn.create("ks/Keyspace", bytes("x"));
        TopoConn peer = peer();
        LockHandle first = conn.lock("ks", "first", LONG);
        CountDownLatch acquired = new CountDownLatch(1);
        CompletableFuture<LockHandle> second = CompletableFuture.supplyAsync(() -> {
            LockHandle lock = peer.lock("ks", "second", LONG);
            acquired.countDown();
            return lock;
        });
        assertFalse(acquired.await(SHORT.toMillis(), TimeUnit.MILLISECONDS), "second holder got a held lock");
        first.close();
        assertTrue(acquired.await(LONG.toMillis(), TimeUnit.MILLISECONDS), "second holder never got the lock");
        LockHandle secondLock = second.get();
        assertTopo(TopoCode.TIMEOUT, () -> conn.lock("ks", "third", SHORT));
        secondLock.close();
    }

    @Test
    public void lockOnMissingDirectoryFailsWithNoNode() {
        assertTopo(TopoCode.NO_NODE, () -> conn.lock("ks", "test", SHORT));
    }

    @Test
    public void locksOnDifferentDirectoriesAreIndependent() {
        conn.create("keyspaces/ks/Keyspace", bytes("x"));
        conn.create("keyspaces/ks/shards/-80/Shard", bytes("x"));
        conn.create("keyspaces/other/Keyspace", bytes("x"));
        try (LockHandle keyspace = conn.lock("keyspaces/ks", "ks", SHORT);
                LockHandle shard = conn.lock("keyspaces/ks/shards/-80", "shard", SHORT);
                LockHandle other = conn.lock("keyspaces/other", "other", SHORT)) {
            keyspace.check();
            shard.check();
            other.check();
        }
    }

    @Test
    public void interruptedLockWaitFailsWithInterrupted() throws Exception {
        conn.create("ks/Keyspace", bytes("x"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> isFlagSet = new AtomicReference<>();
        try (LockHandle held = conn.lock("ks", "first", LONG)) {
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    conn.lock("ks", "waiter", LONG).close();
                } catch (Throwable t) {
                    failure.set(t);
                    isFlagSet.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.interrupt();
            waiter.join(LONG.toMillis());
            assertFalse(waiter.isAlive(), "waiter still blocked after interrupt");
        }
        TopoException e = assertInstanceOf(TopoException.class, failure.get());
        assertEquals(TopoCode.INTERRUPTED, e.code());
        assertTrue(isFlagSet.get(), "interrupt flag must be set again");
    }

    @Test
    public void closingAConnectionReleasesItsLocks() {
        conn.create("ks/Keyspace", bytes("x"));
        TopoConn peer = peer();
        LockHandle peerLock = peer.lock("ks", "peer", LONG);
        peer.close();
        try (LockHandle lock = conn.lock("ks", "after peer closed", LONG)) {
            lock.check();
        }
        peerLock.close();
    }

    @Test
    public void conditionalUpdatesAreAtomicUnderContention() throws Exception {
        conn.create("counter", bytes("0"));
        int writers = 4;
        int increments = 25;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            TopoConn peer = peer();
            futures.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < increments; n++) {
                    incrementWithRetry(peer, "counter");
                }
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(LONG.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(String.valueOf(writers * increments), text(conn.get("counter").value()));
    }

    // Watches.

    @Test
    public void watchOnMissingFileFailsWithNoNode() {
        assertTopo(TopoCode.NO_NODE, () -> conn.watch("missing", new RecordingListener<>()));
    }

    @Test
    public void watchDeliversCurrentValueThenChanges() {
        Version v1 = conn.create("file", bytes("one"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        try (Watch watch = conn.watch("file", listener)) {
            assertEquals("file", watch.path());
            WatchEvent.Changed<byte[]> first = listener.nextChanged();
            assertEquals("one", text(first.value()));
            assertEquals(v1, first.version());

            conn.update("file", bytes("two"), null);
            Version v3 = conn.update("file", bytes("three"), null);
            WatchEvent.Changed<byte[]> last = listener.awaitValue(b -> text(b).equals("three"));
            assertEquals(v3, last.version());
        }
    }

    @Test
    public void watchSeesWritesFromOtherConnections() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        try (Watch watch = peer().watch("file", listener)) {
            listener.nextChanged();
            conn.update("file", bytes("two"), null);
            listener.awaitValue(b -> text(b).equals("two"));
        }
    }

    @Test
    public void deletingTheFileEndsTheWatch() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        try (Watch watch = conn.watch("file", listener)) {
            listener.nextChanged();
            conn.delete("file", null);
            assertInstanceOf(WatchEvent.Deleted.class, listener.awaitTerminal());
            int seen = listener.events().size();

            conn.create("file", bytes("reborn"));
            awaitValueOnNewWatch("file", "reborn");
            assertEquals(seen, listener.events().size(), "an ended watch got more events");
        }
    }

    @Test
    public void closedWatchGetsNoMoreEvents() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        Watch watch = conn.watch("file", listener);
        listener.nextChanged();
        watch.close();
        int seen = listener.events().size();

        conn.update("file", bytes("two"), null);
        conn.update("file", bytes("three"), null);
        awaitValueOnNewWatch("file", "three");
        assertEquals(seen, listener.events().size(), "a closed watch got more events");
        watch.close();
    }

    @Test
    public void listenerMayCloseItsOwnWatch() {
        conn.create("file", bytes("one"));
        AtomicReference<Watch> self = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        RecordingListener<byte[]> recorder = new RecordingListener<>();
        Watch watch = conn.watch("file", event -> {
            recorder.onEvent(event);
            if (event instanceof WatchEvent.Changed<byte[]> c && text(c.value()).equals("two")) {
                self.get().close();
                closed.countDown();
            }
        });
        self.set(watch);
        recorder.nextChanged();
        conn.update("file", bytes("two"), null);
        assertDoesNotTimeOut(closed);
        int seen = recorder.events().size();
        conn.update("file", bytes("three"), null);
        awaitValueOnNewWatch("file", "three");
        assertEquals(seen, recorder.events().size());
    }

    @Test
    public void listenerMayCallBackIntoTheConnection() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> reads = new RecordingListener<>();
        try (Watch watch = conn.watch("file", event -> {
            if (event instanceof WatchEvent.Changed<byte[]>) {
                Versioned<byte[]> current = conn.get("file");
                reads.onEvent(new WatchEvent.Changed<>(current.value(), current.version()));
            }
        })) {
            reads.awaitValue(b -> text(b).equals("one"));
            conn.update("file", bytes("two"), null);
            reads.awaitValue(b -> text(b).equals("two"));
        }
    }

    @Test
    public void failingListenerKeepsReceivingEvents() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> recorder = new RecordingListener<>();
        try (Watch watch = conn.watch("file", event -> {
            recorder.onEvent(event);
            throw new IllegalStateException("listener failure (expected by the test)");
        })) {
            recorder.nextChanged();
            conn.update("file", bytes("two"), null);
            recorder.awaitValue(b -> text(b).equals("two"));
        }
    }

    @Test
    public void everyWatcherSeesTheChanges() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> a = new RecordingListener<>();
        RecordingListener<byte[]> b = new RecordingListener<>();
        try (Watch wa = conn.watch("file", a); Watch wb = conn.watch("file", b)) {
            conn.update("file", bytes("two"), null);
            a.awaitValue(v -> text(v).equals("two"));
            b.awaitValue(v -> text(v).equals("two"));
            conn.delete("file", null);
            assertInstanceOf(WatchEvent.Deleted.class, a.awaitTerminal());
            assertInstanceOf(WatchEvent.Deleted.class, b.awaitTerminal());
        }
    }

    @Test
    public void closingAConnectionEndsItsWatchesAndRejectsCalls() {
        conn.create("file", bytes("one"));
        TopoConn peer = peer();
        RecordingListener<byte[]> onPeer = new RecordingListener<>();
        RecordingListener<byte[]> onConn = new RecordingListener<>();
        try (Watch w1 = peer.watch("file", onPeer); Watch w2 = conn.watch("file", onConn)) {
            onPeer.nextChanged();
            peer.close();
            onPeer.awaitError(TopoCode.INTERRUPTED);
            assertTopo(TopoCode.UNREACHABLE, () -> peer.get("file"));
            assertTopo(TopoCode.UNREACHABLE, () -> peer.create("other", bytes("x")));
            conn.update("file", bytes("two"), null);
            onConn.awaitValue(v -> text(v).equals("two"));
        }
        peer.close();
    }

    private void awaitValueOnNewWatch(String path, String value) {
        RecordingListener<byte[]> probe = new RecordingListener<>();
        try (Watch watch = conn.watch(path, probe)) {
            probe.awaitValue(b -> text(b).equals(value));
        }
    }

    private static void assertDoesNotTimeOut(CountDownLatch latch) {
        try {
            assertTrue(latch.await(LONG.toMillis(), TimeUnit.MILLISECONDS), "timed out after " + LONG);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void incrementWithRetry(TopoConn conn, String path) {
        while (true) {
            Versioned<byte[]> current = conn.get(path);
            String next = String.valueOf(Integer.parseInt(text(current.value())) + 1);
            try {
                conn.update(path, bytes(next), current.version());
                return;
            } catch (TopoException e) {
                if (!e.is(TopoCode.BAD_VERSION)) {
                    throw e;
                }
            }
        }
    }

    private static DirEntry dir(String name, DirEntry.Type type) {
        return new DirEntry(name, type, false);
    }

    private static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).toList();
    }
}
