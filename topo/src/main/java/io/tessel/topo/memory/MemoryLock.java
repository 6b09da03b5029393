package io.tessel.topo.memory;

import io.tessel.topo.LockHandle;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held lock on one directory of a {@link MemoryStore}, owned by the connection that took it. Thread-safe;
 * released exactly once, by {@link #close()} or by its connection closing.
 */
final class MemoryLock implements LockHandle {
    private final MemoryStore store;
    private final InMemoryTopoConn owner;
    private final String dir;
    private final String fullDir;
    private final String holder;
    private final AtomicBoolean isReleased = new AtomicBoolean();

    MemoryLock(MemoryStore store, InMemoryTopoConn owner, String dir, String fullDir, String holder) {
        this.store = store;
        this.owner = owner;
        this.dir = dir;
        this.fullDir = fullDir;
        this.holder = holder;
    }

    @Override
    public String dir() {
        return dir;
    }

    @Override
    public String holder() {
        return holder;
    }

    String fullDir() {
        return fullDir;
    }

    InMemoryTopoConn owner() {
        return owner;
    }

    @Override
    public void check() {
        if (isReleased.get()) {
            throw new TopoException(TopoCode.NO_NODE, "lock on " + fullDir + " is no longer held by " + holder);
        }
    }

    @Override
    public void close() {
        if (markReleased()) {
            store.release(this);
        }
    }

    /** Marks the lock released; true for the one caller that did. */
    boolean markReleased() {
        return isReleased.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "lock " + fullDir + " held by " + holder;
    }
}
