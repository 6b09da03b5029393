package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import io.tessel.topo.LockHandle;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory lock held in etcd with Vitess's etcd2 algorithm: a lease with the configured TTL, kept alive
 * while held; the key {@code <dir>/locks/<leaseID>} (value: the holder) created under that lease by a
 * transaction requiring it to be new; then a wait until every key under {@code locks/} with a lower create
 * revision is gone, watching the newest such key each time. Releasing revokes the lease, which deletes the
 * key; a holder that dies stops the keep-alives and etcd deletes the key when the lease expires.
 * Thread-safe; released once.
 */
final class EtcdLock implements LockHandle {
    private static final Logger log = LoggerFactory.getLogger(EtcdLock.class);

    private final EtcdTopoConn conn;
    private final String dir;
    private final String holder;
    private final ByteSequence key;
    private final long leaseId;
    private final CloseableClient keepAlive;
    private final AtomicBoolean isReleased = new AtomicBoolean();

    private EtcdLock(EtcdTopoConn conn, String dir, String holder, String key, long leaseId) {
        this.conn = conn;
        this.dir = dir;
        this.holder = holder;
        this.key = EtcdTopoConn.bytes(key);
        this.leaseId = leaseId;
        this.keepAlive = conn.start(() -> conn.client().getLeaseClient().keepAlive(leaseId, new KeepAliveObserver()),
                "keep-alive of lease " + leaseId);
    }

    /**
     * Takes the lock on {@code dirKey} (an existing directory), waiting for earlier holders at most
     * {@code timeout}; each call to etcd on the way is bounded by the call timeout.
     *
     * @throws TopoException TIMEOUT, INTERRUPTED, or a backend failure; the lease is revoked on any failure
     */
    static EtcdLock acquire(EtcdTopoConn conn, String dir, String dirKey, String holder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String locksDir = dirKey + "/locks/";
        Lease lease = conn.client().getLeaseClient();
        long ttlSeconds = conn.config().leaseTtl().toSeconds();
        long leaseId = conn.call(lease.grant(ttlSeconds), "lock " + dirKey + ": lease grant").getID();
        EtcdLock lock;
        try {
            lock = new EtcdLock(conn, dir, holder, locksDir + leaseId, leaseId);
        } catch (TopoException e) {
            lease.revoke(leaseId); // not awaited: unrenewed, the lease expires anyway
            throw e;
        }
        try {
            long revision = lock.createKey();
            lock.awaitEarlierHolders(locksDir, revision, deadline, timeout);
            log.debug("{}: locked {} for {} (lease {})", conn.name(), dirKey, holder, leaseId);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public String dir() {
        return dir;
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public void check() {
        if (isReleased.get()) {
            throw new TopoException(TopoCode.NO_NODE, "lock on " + dir + " is no longer held by " + holder);
        }
        GetOption countOnly = GetOption.builder().withCountOnly(true).build();
        if (conn.call(conn.client().getKVClient().get(key, countOnly), "check " + this).getCount() == 0) {
            throw new TopoException(TopoCode.NO_NODE, this + " was lost: its lease expired or its key was deleted");
        }
    }

    /** Revokes the lease, which deletes the lock key; waits for that at most the call timeout. */
    @Override
    public void close() {
        CompletableFuture<?> revoke = release();
        if (Thread.currentThread().isInterrupted()) {
            log.debug("{}: releasing {} without waiting: the thread is interrupted", conn.name(), this);
            return;
        }
        try {
            revoke.get(conn.config().callTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // logged by release()
        } catch (TimeoutException e) {
            log.warn("{}: {} not released within {} ms; it is released when its lease expires", conn.name(), this,
                    conn.config().callTimeout().toMillis());
        }
    }

    @Override
    public String toString() {
        return "lock " + key.toString(UTF_8) + " held by " + holder;
    }

    /**
     * Starts releasing: stops the keep-alives and revokes the lease, logging the outcome. Only the first call
     * revokes; later ones get a completed future.
     */
    CompletableFuture<?> release() {
        if (!isReleased.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        keepAlive.close();
        conn.forget(this);
        try {
            return conn.client().getLeaseClient().revoke(leaseId).whenComplete((ok, failure) -> logRelease(failure));
        } catch (RuntimeException e) {
            logRelease(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private void logRelease(Throwable failure) {
        if (failure == null) {
            log.debug("{}: released {}", conn.name(), this);
            return;
        }
        TopoException cause = EtcdErrors.toTopo(failure, "revoke lease " + leaseId);
        if (cause.is(TopoCode.NO_NODE)) {
            log.info("{}: {} was already released: its lease had expired", conn.name(), this);
        } else {
            log.warn("{}: releasing {} failed, it is released when its lease expires: {}", conn.name(), this,
                    cause.getMessage());
        }
    }

    /** Creates this lock's key under the lease; returns the revision that created it. */
    private long createKey() {
        PutOption withLease = PutOption.builder().withLeaseId(leaseId).build();
        TxnResponse txn = conn.call(conn.client().getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, ByteSequence.from(holder, UTF_8), withLease))
                .commit(), "create " + this);
        if (!txn.isSucceeded()) {
            throw new IllegalStateException("BUG: " + this + " already exists, but lease IDs are unique");
        }
        return txn.getHeader().getRevision();
    }

    /** Waits until no key under {@code locksDir} created before {@code revision} is left. */
    private void awaitEarlierHolders(String locksDir, long revision, long deadline, Duration timeout) {
        GetOption newestEarlier = GetOption.builder().isPrefix(true).withMaxCreateRevision(revision - 1)
                .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.DESCEND)
                .withLimit(1).build();
        ByteSequence prefix = EtcdTopoConn.bytes(locksDir);
        while (true) {
            GetResponse earlier = conn.call(conn.client().getKVClient().get(prefix, newestEarlier),
                    "list holders of " + locksDir);
            if (earlier.getKvs().isEmpty()) {
                return;
            }
            // The key existed at the read's revision, so its deletion comes later. Watching from the next
            // revision rather than from our own key's (as Vitess does) starts a watch etcd serves at once;
            // one starting in the past waits for etcd's 100 ms resync of lagging watchers.
            awaitDeleted(earlier.getKvs().getFirst(), earlier.getHeader().getRevision() + 1, deadline, timeout);
        }
    }

    /** Watches an earlier holder's key from {@code fromRevision} until it is deleted or the deadline passes. */
    private void awaitDeleted(KeyValue earlier, long fromRevision, long deadline, Duration timeout) {
        String detail = "lock on " + dir + " for " + holder + ", held by " + earlier.getValue().toString(UTF_8)
                + " (" + earlier.getKey().toString(UTF_8) + ")";
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new TopoException(TopoCode.TIMEOUT, detail + ": not released within " + timeout.toMillis() + " ms");
        }
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        WatchOption deletes = WatchOption.builder().withRevision(fromRevision).withNoPut(true).build();
        Watch.Listener untilDeleted = Watch.listener(
                response -> {
                    if (response.getEvents().stream().anyMatch(e -> e.getEventType() == WatchEvent.EventType.DELETE)) {
                        deleted.complete(null);
                    }
                },
                deleted::completeExceptionally,
                () -> deleted.completeExceptionally(new TopoException(TopoCode.UNREACHABLE, "watch closed")));
        try (Watch.Watcher watcher = conn.start(
                () -> conn.client().getWatchClient().watch(earlier.getKey(), deletes, untilDeleted), detail)) {
            conn.call(deleted, Duration.ofNanos(remaining), detail);
        }
    }

    /** Logs a lease that can no longer be kept alive: the lock is lost once the lease expires. */
    private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {
        @Override
        public void onNext(LeaseKeepAliveResponse response) {}

        @Override
        public void onError(Throwable t) {
            if (!isReleased.get()) {
                log.warn("{}: keep-alive of {} failed ({}); it is lost if its lease expires", conn.name(), EtcdLock.this,
                        t.getMessage());
            }
        }

        @Override
        public void onCompleted() {
            if (!isReleased.get()) {
                log.warn("{}: {} could not be kept alive within its TTL; it is lost", conn.name(), EtcdLock.this);
            }
        }
    }
}
