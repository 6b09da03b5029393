package io.tessel.topo;

/**
 * A running watch on one topology file, returned by {@link TopoConn#watch}. Closing it stops delivery:
 * once {@link #close()} returns the listener is not called again (when called from inside the listener,
 * once that call returns). Thread-safe; closing more than once is harmless.
 */
public interface Watch extends AutoCloseable {
    /** The watched path, as given to {@link TopoConn#watch}. */
    String path();

    /** Stops the watch; no terminal event is delivered for a watch its owner closes. */
    @Override
    void close();
}
