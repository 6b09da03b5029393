package io.tessel.topo.memory;

import io.tessel.topo.Watch;
import io.tessel.topo.WatchDelivery;
import io.tessel.topo.WatchEvent;
import io.tessel.topo.WatchListener;

/**
 * One watch on a {@link MemoryStore} file. The store queues events while holding its lock; a virtual
 * thread per watch takes them off the queue and calls the listener without any store lock held, in order,
 * until a terminal event or {@link #close()}. The queue is unbounded: a listener that never returns keeps
 * the events queued behind it.
 */
final class MemoryWatch implements Watch {

    private final MemoryStore store;
    private final InMemoryTopoConn owner;
    private final String path;
    private final String fullPath;
    private final WatchDelivery delivery;

    MemoryWatch(MemoryStore store, InMemoryTopoConn owner, String path, String fullPath,
            WatchListener<byte[]> listener) {
        this.store = store;
        this.owner = owner;
        this.path = path;
        this.fullPath = fullPath;
        this.delivery = new WatchDelivery("topo memory " + fullPath, listener);
    }

    @Override
    public String path() {
        return path;
    }

    String fullPath() {
        return fullPath;
    }

    InMemoryTopoConn owner() {
        return owner;
    }

    /** Starts the delivery thread; call once, after the first event is queued. */
    void start() {
        delivery.start();
    }

    /** Queues an event; never blocks, so the store may call it with its lock held. */
    void offer(WatchEvent<byte[]> event) {
        delivery.offer(event);
    }

    @Override
    public void close() {
        if (delivery.close()) {
            store.remove(this);
        }
    }
}
