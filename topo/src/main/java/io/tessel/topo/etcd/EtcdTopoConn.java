package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tessel.topo.ConnPaths;
import io.tessel.topo.DirEntry;
import io.tessel.topo.EphemeralFile;
import io.tessel.topo.LockHandle;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoConn;
import io.tessel.topo.TopoException;
import io.tessel.topo.Version;
import io.tessel.topo.Versioned;
import io.tessel.topo.Watch;
import io.tessel.topo.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd {@link TopoConn}, Vitess's etcd2topo over jetcd: file {@code p} is the key {@code root + "/" + p},
 * its version the key's ModRevision; conditional writes are transactions on the key's version or
 * ModRevision, locks are lease-bound keys under {@code <dir>/locks/} ({@link EtcdLock}; listed as an
 * ephemeral {@code locks} directory while held, as in Vitess) and watches are etcd watches started after a
 * read, ended by any stream failure ({@link EtcdWatch}). Every call waits at most the config's call timeout,
 * so an unreachable etcd fails with UNREACHABLE or TIMEOUT instead of hanging. Thread-safe and owns one
 * jetcd client; see docs/design/topo-etcd.md.
 */
public final class EtcdTopoConn implements TopoConn {
    /**
     * jetcd retries idempotent calls (reads, lease grant and revoke) that fail with UNAVAILABLE; its 500 ms
     * first delay made a refused connection take 1.5 s to report. Retries help across a leader election,
     * not against a dead server, whose channel fails fast until gRPC's own reconnect backoff elapses.
     */
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration RETRY_MAX_DELAY = Duration.ofSeconds(1);
    private static final int RETRY_MAX_ATTEMPTS = 2;

    private static final Logger log = LoggerFactory.getLogger(EtcdTopoConn.class);

    private final EtcdConfig config;
    private final Client client;
    private final String name;
    private final Set<EtcdLock> locks = ConcurrentHashMap.newKeySet();
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean isClosed;

    /** Opens a connection; jetcd connects lazily, so an unreachable server only fails the first call. */
    public EtcdTopoConn(EtcdConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Client.builder()
                .endpoints(config.endpoints())
                // Fail calls fast while the channel cannot connect, instead of queueing them until it can.
                .waitForReady(false)
                .connectTimeout(config.callTimeout())
                .retryDelay(RETRY_DELAY.toMillis())
                .retryMaxDelay(RETRY_MAX_DELAY.toMillis())
                .retryMaxAttempts(RETRY_MAX_ATTEMPTS)
                // Failsafe insists on a retry budget above the first delay.
                .retryMaxDuration(max(config.callTimeout(), RETRY_DELAY.multipliedBy(2)))
                .build();
        this.name = "topo etcd " + config.serverAddress() + " " + (config.root().isEmpty() ? "/" : config.root());
        log.debug("{}: opened", name);
    }

    /**
     * Opens cell connections for {@link Topo}: each at the cell's {@code CellInfo.server_address} (etcd
     * endpoints) and {@code root}, with {@code template}'s lease TTL and call timeout.
     */
    public static Topo.CellConnector cellConnector(EtcdConfig template) {
        return (cell, info) -> new EtcdTopoConn(
                template.withServerAddress(info.getServerAddress()).withRoot(info.getRoot()));
    }

    public EtcdConfig config() {
        return config;
    }

    @Override
    public List<DirEntry> listDir(String dir, boolean full) {
        String dirKey = dirKey(dir);
        String prefix = dirKey + "/";
        GetOption keysBelow = GetOption.builder().isPrefix(true).withKeysOnly(true).build();
        GetResponse below = call(kv().get(bytes(prefix), keysBelow), "listDir " + prefix);
        if (below.getKvs().isEmpty()) {
            throw new TopoException(TopoCode.NO_NODE, dirKey.isEmpty() ? "/" : dirKey);
        }
        TreeMap<String, DirEntry> entries = new TreeMap<>();
        for (KeyValue kv : below.getKvs()) {
            String rest = kv.getKey().toString(UTF_8).substring(prefix.length());
            int slash = rest.indexOf('/');
            String childName = slash < 0 ? rest : rest.substring(0, slash);
            DirEntry.Type type = slash < 0 ? DirEntry.Type.FILE : DirEntry.Type.DIRECTORY;
            entries.merge(childName, new DirEntry(childName, type, full && kv.getLease() != 0), EtcdTopoConn::merge);
        }
        return List.copyOf(entries.values());
    }

    /** One entry per name: a directory wins over a file; a directory is ephemeral if all keys below are. */
    private static DirEntry merge(DirEntry a, DirEntry b) {
        DirEntry.Type type = a.type() == DirEntry.Type.DIRECTORY || b.type() == DirEntry.Type.DIRECTORY
                ? DirEntry.Type.DIRECTORY : DirEntry.Type.FILE;
        return new DirEntry(a.name(), type, a.isEphemeral() && b.isEphemeral());
    }

    @Override
    public Version create(String path, byte[] data) {
        ByteSequence key = fileKey(path);
        TxnResponse txn = call(kv().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, ByteSequence.from(data), PutOption.DEFAULT))
                .commit(), "create " + key);
        if (!txn.isSucceeded()) {
            throw new TopoException(TopoCode.NODE_EXISTS, key.toString(UTF_8));
        }
        return new Version(txn.getHeader().getRevision());
    }

    @Override
    public Version update(String path, byte[] data, @Nullable Version expected) {
        ByteSequence key = fileKey(path);
        if (expected == null) {
            return new Version(call(kv().put(key, ByteSequence.from(data)), "update " + key).getHeader().getRevision());
        }
        TxnResponse txn = call(kv().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected.value())))
                .Then(Op.put(key, ByteSequence.from(data), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit(), "update " + key);
        if (!txn.isSucceeded()) {
            throw versionMismatch(key, expected, txn, false);
        }
        return new Version(txn.getHeader().getRevision());
    }

    @Override
    public Versioned<byte[]> get(String path) {
        ByteSequence key = fileKey(path);
        GetResponse response = call(kv().get(key), "get " + key);
        if (response.getKvs().isEmpty()) {
            throw new TopoException(TopoCode.NO_NODE, key.toString(UTF_8));
        }
        KeyValue kv = response.getKvs().getFirst();
        return new Versioned<>(kv.getValue().getBytes(), new Version(kv.getModRevision()));
    }

    @Override
    public void delete(String path, @Nullable Version expected) {
        ByteSequence key = fileKey(path);
        if (expected == null) {
            if (call(kv().delete(key), "delete " + key).getDeleted() == 0) {
                throw missingFile(key);
            }
            return;
        }
        TxnResponse txn = call(kv().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected.value())))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit(), "delete " + key);
        if (!txn.isSucceeded()) {
            throw versionMismatch(key, expected, txn, true);
        }
    }

    @Override
    public LockHandle lock(String dir, String holder, Duration timeout) {
        String dirKey = dirKey(dir);
        GetOption anyBelow = GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(1).build();
        if (call(kv().get(bytes(dirKey + "/"), anyBelow), "lock " + dirKey).getKvs().isEmpty()) {
            throw new TopoException(TopoCode.NO_NODE, dirKey);
        }
        EtcdLock lock = EtcdLock.acquire(this, dir, dirKey, Objects.requireNonNull(holder, "holder"), timeout);
        locks.add(lock);
        if (isClosed) {
            lock.close();
            checkOpen();
        }
        return lock;
    }

    @Override
    public EphemeralFile putEphemeral(String path, byte[] data, Duration ttl) {
        return EtcdEphemeral.put(this, fileKey(path), data, ttl);
    }

    @Override
    public Watch watch(String path, WatchListener<byte[]> listener) {
        ByteSequence key = fileKey(path);
        GetResponse initial = call(kv().get(key), "watch " + key);
        if (initial.getKvs().isEmpty()) {
            throw new TopoException(TopoCode.NO_NODE, key.toString(UTF_8));
        }
        EtcdWatch watch = new EtcdWatch(this, path, key, Objects.requireNonNull(listener, "listener"));
        watches.add(watch);
        try {
            watch.start(initial.getKvs().getFirst(), initial.getHeader().getRevision());
        } catch (TopoException e) {
            watches.remove(watch);
            throw e;
        }
        if (isClosed) {
            watch.end(new TopoException(TopoCode.INTERRUPTED, "topo connection closed"));
        }
        return watch;
    }

    /** Releases this connection's locks (revoking their leases), ends its watches and closes the client. */
    @Override
    public void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        TopoException closed = new TopoException(TopoCode.INTERRUPTED, "topo connection " + name + " closed");
        watches.forEach(w -> w.end(closed));
        List<CompletableFuture<?>> releases = locks.stream().<CompletableFuture<?>>map(EtcdLock::release).toList();
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
                    .get(config.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: closing with locks not released; they are released when their leases expire", name);
        }
        client.close();
        log.debug("{}: closed", name);
    }

    @Override
    public String toString() {
        return "EtcdTopoConn[" + config.serverAddress() + " " + config.root() + "]";
    }

    // Package-private: shared with EtcdLock and EtcdWatch.

    /** The log prefix: {@code topo etcd <endpoints> <root>}. */
    String name() {
        return name;
    }

    Client client() {
        return client;
    }

    /** Waits for a call with the configured deadline; a call failing because this closed is UNREACHABLE. */
    <T> T call(CompletableFuture<T> call, String detail) {
        return call(call, config.callTimeout(), detail);
    }

    /** Waits for a call at most {@code timeout}, as {@link #call(CompletableFuture, String)}. */
    <T> T call(CompletableFuture<T> call, Duration timeout, String detail) {
        checkOpen();
        try {
            return EtcdErrors.await(call, timeout, detail);
        } catch (TopoException e) {
            checkOpen();
            throw e;
        }
    }

    /** Runs a jetcd call that acts at once (opening a watch or keep-alive stream), mapping its failures. */
    <T> T start(Supplier<T> call, String detail) {
        checkOpen();
        try {
            return call.get();
        } catch (EtcdException e) {
            checkOpen();
            throw EtcdErrors.toTopo(e, detail);
        }
    }

    void checkOpen() {
        if (isClosed) {
            throw new TopoException(TopoCode.UNREACHABLE, name + " is closed");
        }
    }

    void forget(EtcdLock lock) {
        locks.remove(lock);
    }

    void forget(EtcdWatch watch) {
        watches.remove(watch);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static ByteSequence bytes(String key) {
        return ByteSequence.from(key, UTF_8);
    }

    private KV kv() {
        checkOpen();
        return client.getKVClient();
    }

    private ByteSequence fileKey(String path) {
        return bytes(config.root() + "/" + ConnPaths.file(path));
    }

    private String dirKey(String dir) {
        String relative = ConnPaths.normalize(dir);
        return relative.isEmpty() ? config.root() : config.root() + "/" + relative;
    }

    /** NODE_NOT_EMPTY when a missing file's path is a directory, else NO_NODE, as the contract's delete. */
    private TopoException missingFile(ByteSequence key) {
        String path = key.toString(UTF_8);
        GetOption anyBelow = GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(1).build();
        boolean isDirectory = !call(kv().get(bytes(path + "/"), anyBelow), "delete " + path).getKvs().isEmpty();
        return new TopoException(isDirectory ? TopoCode.NODE_NOT_EMPTY : TopoCode.NO_NODE, path);
    }

    /** The failure of a conditional write whose Else branch read the key: missing, or at another version. */
    private TopoException versionMismatch(ByteSequence key, Version expected, TxnResponse txn, boolean isDelete) {
        List<KeyValue> current = txn.getGetResponses().getFirst().getKvs();
        if (current.isEmpty()) {
            return isDelete ? missingFile(key) : new TopoException(TopoCode.NO_NODE, key.toString(UTF_8));
        }
        return new TopoException(TopoCode.BAD_VERSION, key.toString(UTF_8) + " (expected " + expected
                + ", current " + current.getFirst().getModRevision() + ")");
    }
}
