package io.tessel.topo.memory;

import io.tessel.topo.Watch;
import io.tessel.topo.WatchEvent;
import io.tessel.topo.WatchListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on a {@link MemoryStore} file. The store queues events while holding its lock; a virtual
 * thread per watch takes them off the queue and calls the listener without any store lock held, in order,
 * until a terminal event or {@link #close()}. The queue is unbounded: a listener that never returns keeps
 * the events queued behind it.
 */
final class MemoryWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(MemoryWatch.class);
    /** Queued by close() to stop the delivery thread; compared by identity, never delivered. */
    private static final WatchEvent<byte[]> STOP = new WatchEvent.Deleted<>();

    private final MemoryStore store;
    private final InMemoryTopoConn owner;
    private final String path;
    private final String fullPath;
    private final WatchListener<byte[]> listener;
    private final BlockingQueue<WatchEvent<byte[]>> queue = new LinkedBlockingQueue<>();
    /** Held while the listener runs, so close() can wait for an in-flight callback. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicBoolean isClosed = new AtomicBoolean();

    MemoryWatch(MemoryStore store, InMemoryTopoConn owner, String path, String fullPath,
            WatchListener<byte[]> listener) {
        this.store = store;
        this.owner = owner;
        this.path = path;
        this.fullPath = fullPath;
        this.listener = listener;
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
        Thread.ofVirtual().name("topo-watch " + fullPath).start(this::deliverAll);
    }

    /** Queues an event; never blocks, so the store may call it with its lock held. */
    void offer(WatchEvent<byte[]> event) {
        queue.add(event);
    }

    @Override
    public void close() {
        if (isClosed.compareAndSet(false, true)) {
            store.remove(this);
            queue.add(STOP);
        }
        if (!deliveryLock.isHeldByCurrentThread()) {
            deliveryLock.lock();
            deliveryLock.unlock();
        }
    }

    private void deliverAll() {
        while (true) {
            WatchEvent<byte[]> event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                log.warn("topo memory {}: watch delivery thread interrupted, ending", fullPath);
                return;
            }
            if (event == STOP) {
                return;
            }
            deliver(event);
            if (event.isTerminal()) {
                return;
            }
        }
    }

    private void deliver(WatchEvent<byte[]> event) {
        deliveryLock.lock();
        try {
            if (!isClosed.get()) {
                listener.onEvent(event);
            }
        } catch (RuntimeException e) {
            log.warn("topo memory {}: watch listener failed on {}", fullPath, event.getClass().getSimpleName(), e);
        } finally {
            deliveryLock.unlock();
        }
    }
}
