package io.tessel.topo;

/**
 * A held topology lock on one directory, returned by {@link TopoConn#lock}; closing it releases the lock.
 * Thread-safe: any thread may close it, and closing more than once is harmless.
 */
public interface LockHandle extends AutoCloseable {
    /** The locked directory, as given to {@link TopoConn#lock}. */
    String dir();

    /** Who holds the lock, as given to {@link TopoConn#lock} (for diagnostics). */
    String holder();

    /**
     * Verifies the lock is still held.
     *
     * @throws TopoException {@link TopoCode#NO_NODE} if it was released or lost (for example an expired
     *     etcd lease); {@link TopoCode#UNREACHABLE} if the backend cannot tell
     */
    void check();

    /** Releases the lock; later calls do nothing. Never throws: a failed release is logged. */
    @Override
    void close();
}
