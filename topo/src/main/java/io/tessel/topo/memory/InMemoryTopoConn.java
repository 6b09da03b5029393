package io.tessel.topo.memory;

import io.tessel.proto.Topodata.CellInfo;
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
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory {@link TopoConn}, Vitess's memorytopo: a connection at one root of a store that lives as long
 * as any connection references it. {@link #withRoot} opens more connections on the same store (as several
 * etcd clients on one cluster), {@link #newTopo} wires a whole single-process topology, and the fault
 * injection methods make operations fail with a chosen {@link TopoCode} for every connection on the store.
 * Thread-safe; watch listeners run on one virtual thread per watch.
 */
public final class InMemoryTopoConn implements TopoConn {
    /** The operations fault injection can target. */
    public enum Operation {
        LIST_DIR,
        CREATE,
        UPDATE,
        GET,
        DELETE,
        LOCK,
        WATCH
    }

    /** The server address {@link #newTopo} writes into each CellInfo. */
    public static final String SERVER_ADDRESS = "memory";
    /** Cell {@code c}'s root in {@link #newTopo}'s layout is this plus {@code c}, e.g. {@code /vitess/zone1}. */
    public static final String CELL_ROOT_PREFIX = "/vitess/";

    private static final Logger log = LoggerFactory.getLogger(InMemoryTopoConn.class);

    private final MemoryStore store;
    /** Normalized absolute root: "" for the store's top, else "/a/b". */
    private final String root;
    private volatile boolean isClosed;
    private final java.util.Set<EphemeralFile> ephemerals = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A connection at the top of a new, empty store. */
    public InMemoryTopoConn() {
        this(new MemoryStore(), "");
    }

    private InMemoryTopoConn(MemoryStore store, String root) {
        this.store = store;
        this.root = root;
    }

    /** A new connection on the same store, rooted at the absolute path {@code root} (e.g. /vitess/global). */
    public InMemoryTopoConn withRoot(String root) {
        return new InMemoryTopoConn(store, ConnPaths.root(root));
    }

    /** This connection's absolute root, {@code /} for the store's top. */
    public String root() {
        return root.isEmpty() ? "/" : root;
    }

    /**
     * A {@link Topo} on this store in Vitess's layout: global root {@value Topo#DEFAULT_GLOBAL_ROOT}, and for
     * each given cell a CellInfo with root {@value #CELL_ROOT_PREFIX}{@code <cell>}; cell connections open
     * on this store at the CellInfo's root.
     */
    public Topo newTopo(String... cells) {
        Topo topo = new Topo(withRoot(Topo.DEFAULT_GLOBAL_ROOT), (cell, info) -> withRoot(info.getRoot()));
        for (String cell : cells) {
            topo.createCellInfo(cell, CellInfo.newBuilder()
                    .setServerAddress(SERVER_ADDRESS).setRoot(CELL_ROOT_PREFIX + cell).build());
        }
        return topo;
    }

    /**
     * Makes every operation on every connection of this store fail with {@code code} (null clears it).
     * Setting an error also ends all current watches with an error event of that code.
     */
    public void setError(@Nullable TopoCode code) {
        log.info("topo memory: store error {}", code == null ? "cleared" : "set to " + code);
        store.setStoreError(code);
    }

    /**
     * Makes {@code operation} (every operation when null) fail with {@code code} on absolute paths in which
     * {@code pathRegex} finds a match, e.g. {@code "^/vitess/zone1/"} for one cell's topology. Rules add up
     * until {@link #clearOperationErrors()}; they apply when an operation starts (a running watch is not ended).
     */
    public void addOperationError(@Nullable Operation operation, String pathRegex, TopoCode code) {
        store.faults().add(new Faults.Rule(operation, Pattern.compile(pathRegex), Objects.requireNonNull(code)));
    }

    /** Removes all rules added by {@link #addOperationError}. */
    public void clearOperationErrors() {
        store.faults().clearRules();
    }

    @Override
    public List<DirEntry> listDir(String dir, boolean full) {
        String fullDir = fullDir(dir);
        start(Operation.LIST_DIR, fullDir);
        return store.listDir(fullDir);
    }

    @Override
    public Version create(String path, byte[] data) {
        String fullPath = fullFile(path);
        start(Operation.CREATE, fullPath);
        return store.create(fullPath, data);
    }

    @Override
    public Version update(String path, byte[] data, @Nullable Version expected) {
        String fullPath = fullFile(path);
        start(Operation.UPDATE, fullPath);
        return store.update(fullPath, data, expected);
    }

    @Override
    public Versioned<byte[]> get(String path) {
        String fullPath = fullFile(path);
        start(Operation.GET, fullPath);
        return store.get(fullPath);
    }

    @Override
    public void delete(String path, @Nullable Version expected) {
        String fullPath = fullFile(path);
        start(Operation.DELETE, fullPath);
        store.delete(fullPath, expected);
    }

    @Override
    public LockHandle lock(String dir, String holder, Duration timeout) {
        String fullDir = fullDir(dir);
        start(Operation.LOCK, fullDir);
        return store.lock(this, dir, fullDir, holder, timeout);
    }

    /** In memory the holder is the connection: closing it deletes its ephemeral files, as a lost session would. */
    @Override
    public EphemeralFile putEphemeral(String path, byte[] data, Duration ttl) {
        update(path, data, null);
        EphemeralFile file = new EphemeralFile() {
            private final java.util.concurrent.atomic.AtomicBoolean isClosed = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void update(byte[] next) {
                InMemoryTopoConn.this.update(path, next, null);
            }

            @Override
            public void close() {
                if (isClosed.compareAndSet(false, true)) {
                    ephemerals.remove(this);
                    try {
                        InMemoryTopoConn.this.delete(path, null);
                    } catch (TopoException e) {
                        if (!e.is(TopoCode.NO_NODE) && !e.is(TopoCode.UNREACHABLE)) {
                            throw e;
                        }
                    }
                }
            }
        };
        ephemerals.add(file);
        return file;
    }

    @Override
    public Watch watch(String path, WatchListener<byte[]> listener) {
        String fullPath = fullFile(path);
        start(Operation.WATCH, fullPath);
        return store.watch(this, path, fullPath, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (!isClosed) {
            for (EphemeralFile file : List.copyOf(ephemerals)) {
                file.close();
            }
            isClosed = true;
            store.closeConn(this);
            log.debug("topo memory {}: connection closed", root());
        }
    }

    /** Throws UNREACHABLE once this connection is closed. */
    void checkOpen() {
        if (isClosed) {
            throw new TopoException(TopoCode.UNREACHABLE, "topo connection at " + root() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "InMemoryTopoConn[" + root() + "]";
    }

    private void start(Operation operation, String fullPath) {
        checkOpen();
        store.faults().check(operation, fullPath);
    }

    private String fullFile(String path) {
        return root + "/" + ConnPaths.file(path);
    }

    private String fullDir(String dir) {
        String relative = ConnPaths.normalize(dir);
        return relative.isEmpty() ? root : root + "/" + relative;
    }
}
