package io.tessel.topo;

/**
 * Receives the events of one watch, in order, on a thread owned by the backend, never while the backend
 * holds an internal lock: the listener may call back into the topology. A listener that throws has the
 * exception logged and keeps receiving events.
 */
@FunctionalInterface
public interface WatchListener<T> {
    void onEvent(WatchEvent<T> event);
}
