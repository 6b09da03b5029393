package io.tessel.topo.memory;

import io.tessel.topo.DirEntry;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import io.tessel.topo.Version;
import io.tessel.topo.Versioned;
import io.tessel.topo.WatchEvent;
import io.tessel.topo.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * One in-memory topology store shared by all {@link InMemoryTopoConn} views on it: files keyed by absolute
 * path (like etcd keys, so directories are just common prefixes), a store-wide write counter as version,
 * directory locks and watch registrations. Every method takes the one store lock briefly; listeners are
 * never called under it.
 */
final class MemoryStore {
    private record Node(byte[] data, long version) {}

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a directory lock is released or a connection closes. */
    private final Condition lockReleased = lock.newCondition();
    private final TreeMap<String, Node> files = new TreeMap<>();
    private final Map<String, Set<MemoryWatch>> watches = new HashMap<>();
    private final Map<String, MemoryLock> locks = new HashMap<>();
    private final Faults faults = new Faults();
    private long revision;

    Faults faults() {
        return faults;
    }

    List<DirEntry> listDir(String fullDir) {
        String prefix = fullDir + "/";
        Map<String, DirEntry> entries = new TreeMap<>();
        lock.lock();
        try {
            for (String key : files.tailMap(prefix, true).keySet()) {
                if (!key.startsWith(prefix)) {
                    break;
                }
                String rest = key.substring(prefix.length());
                int slash = rest.indexOf('/');
                String name = slash < 0 ? rest : rest.substring(0, slash);
                DirEntry.Type type = slash < 0 ? DirEntry.Type.FILE : DirEntry.Type.DIRECTORY;
                entries.merge(name, new DirEntry(name, type, false),
                        (a, b) -> a.type() == DirEntry.Type.DIRECTORY ? a : b);
            }
        } finally {
            lock.unlock();
        }
        if (entries.isEmpty()) {
            throw new TopoException(TopoCode.NO_NODE, fullDir.isEmpty() ? "/" : fullDir);
        }
        return List.copyOf(entries.values());
    }

    Version create(String fullPath, byte[] data) {
        lock.lock();
        try {
            if (files.containsKey(fullPath)) {
                throw new TopoException(TopoCode.NODE_EXISTS, fullPath);
            }
            return writeLocked(fullPath, data);
        } finally {
            lock.unlock();
        }
    }

    Version update(String fullPath, byte[] data, @Nullable Version expected) {
        lock.lock();
        try {
            if (expected != null) {
                checkVersionLocked(fullPath, expected);
            }
            return writeLocked(fullPath, data);
        } finally {
            lock.unlock();
        }
    }

    Versioned<byte[]> get(String fullPath) {
        lock.lock();
        try {
            Node node = files.get(fullPath);
            if (node == null) {
                throw new TopoException(TopoCode.NO_NODE, fullPath);
            }
            return new Versioned<>(node.data().clone(), new Version(node.version()));
        } finally {
            lock.unlock();
        }
    }

    void delete(String fullPath, @Nullable Version expected) {
        lock.lock();
        try {
            if (!files.containsKey(fullPath)) {
                String prefix = fullPath + "/";
                String next = files.ceilingKey(prefix);
                boolean isDirectory = next != null && next.startsWith(prefix);
                throw new TopoException(isDirectory ? TopoCode.NODE_NOT_EMPTY : TopoCode.NO_NODE, fullPath);
            }
            if (expected != null) {
                checkVersionLocked(fullPath, expected);
            }
            files.remove(fullPath);
            revision++;
            Set<MemoryWatch> ended = watches.remove(fullPath);
            if (ended != null) {
                ended.forEach(w -> w.offer(new WatchEvent.Deleted<>()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Registers a watch and queues the file's current value as its first event, atomically. */
    MemoryWatch watch(InMemoryTopoConn owner, String path, String fullPath, WatchListener<byte[]> listener) {
        MemoryWatch watch = new MemoryWatch(this, owner, path, fullPath, listener);
        lock.lock();
        try {
            Node node = files.get(fullPath);
            if (node == null) {
                throw new TopoException(TopoCode.NO_NODE, fullPath);
            }
            watch.offer(new WatchEvent.Changed<>(node.data().clone(), new Version(node.version())));
            watches.computeIfAbsent(fullPath, p -> new LinkedHashSet<>()).add(watch);
        } finally {
            lock.unlock();
        }
        watch.start();
        return watch;
    }

    /** Unregisters a watch; harmless if it already ended. */
    void remove(MemoryWatch watch) {
        lock.lock();
        try {
            Set<MemoryWatch> set = watches.get(watch.fullPath());
            if (set != null && set.remove(watch) && set.isEmpty()) {
                watches.remove(watch.fullPath());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lock on a directory, waiting up to {@code timeout}.
     *
     * @throws TopoException NO_NODE, TIMEOUT, INTERRUPTED, or UNREACHABLE if {@code owner} closes meanwhile
     */
    MemoryLock lock(InMemoryTopoConn owner, String dir, String fullDir, String holder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (!hasChildrenLocked(fullDir)) {
                throw new TopoException(TopoCode.NO_NODE, fullDir.isEmpty() ? "/" : fullDir);
            }
            while (locks.containsKey(fullDir)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TopoException(TopoCode.TIMEOUT,
                            "lock on " + fullDir + " for " + holder + " (held: " + locks.get(fullDir) + ")");
                }
                lockReleased.awaitNanos(remaining);
                owner.checkOpen();
            }
            MemoryLock held = new MemoryLock(this, owner, dir, fullDir, holder);
            locks.put(fullDir, held);
            return held;
        } catch (InterruptedException e) {
            throw TopoException.interrupted("waiting for lock on " + fullDir, e);
        } finally {
            lock.unlock();
        }
    }

    /** Releases a lock its handle has marked released. */
    void release(MemoryLock held) {
        lock.lock();
        try {
            locks.remove(held.fullDir(), held);
            lockReleased.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sets or clears the store-wide error; setting one also ends every watch with it, as memorytopo does. */
    void setStoreError(@Nullable TopoCode code) {
        faults.setStoreError(code);
        if (code != null) {
            endWatches(w -> true, new TopoException(code, "injected store error"));
        }
    }

    /** Ends a closing connection's watches with INTERRUPTED and releases its locks. */
    void closeConn(InMemoryTopoConn owner) {
        endWatches(w -> w.owner() == owner, new TopoException(TopoCode.INTERRUPTED, "topo connection closed"));
        lock.lock();
        try {
            locks.values().removeIf(held -> held.owner() == owner && held.markReleased());
            lockReleased.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void endWatches(Predicate<MemoryWatch> which, TopoException cause) {
        lock.lock();
        try {
            List<MemoryWatch> ended = new ArrayList<>();
            watches.values().forEach(set -> set.stream().filter(which).forEach(ended::add));
            for (MemoryWatch watch : ended) {
                Set<MemoryWatch> set = watches.get(watch.fullPath());
                set.remove(watch);
                if (set.isEmpty()) {
                    watches.remove(watch.fullPath());
                }
                watch.offer(new WatchEvent.Error<>(cause));
            }
        } finally {
            lock.unlock();
        }
    }

    private Version writeLocked(String fullPath, byte[] data) {
        long version = ++revision;
        byte[] copy = data.clone();
        files.put(fullPath, new Node(copy, version));
        Set<MemoryWatch> set = watches.get(fullPath);
        if (set != null) {
            set.forEach(w -> w.offer(new WatchEvent.Changed<>(copy.clone(), new Version(version))));
        }
        return new Version(version);
    }

    private void checkVersionLocked(String fullPath, Version expected) {
        Node node = files.get(fullPath);
        if (node == null) {
            throw new TopoException(TopoCode.NO_NODE, fullPath);
        }
        if (node.version() != expected.value()) {
            throw new TopoException(TopoCode.BAD_VERSION,
                    fullPath + " (expected " + expected + ", current " + node.version() + ")");
        }
    }

    private boolean hasChildrenLocked(String fullDir) {
        String prefix = fullDir + "/";
        String next = files.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }
}
