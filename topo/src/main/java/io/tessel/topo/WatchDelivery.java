package io.tessel.topo;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery half of a watch, shared by every backend: events are queued without blocking (a backend
 * may hold its own locks, or run on its client's threads), and one virtual thread calls the listener with
 * no backend lock held, in order, until a terminal event or {@link #close()}. Closing waits for a delivery
 * in progress, unless called from the listener itself, so no event arrives after {@code close} returns.
 * Thread-safe.
 */
public final class WatchDelivery {
    private static final Logger log = LoggerFactory.getLogger(WatchDelivery.class);
    private static final WatchEvent<byte[]> STOP = new WatchEvent.Deleted<>();

    private final String name;
    private final WatchListener<byte[]> listener;
    private final BlockingQueue<WatchEvent<byte[]>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicBoolean isClosed = new AtomicBoolean();

    /** @param name for the thread and log lines, e.g. {@code topo memory /vitess/zone1/SrvVSchema} */
    public WatchDelivery(String name, WatchListener<byte[]> listener) {
        this.name = name;
        this.listener = listener;
    }

    /** Starts the delivery thread; call once. */
    public void start() {
        Thread.ofVirtual().name("topo-watch " + name).start(this::deliverAll);
    }

    /** Queues an event; never blocks. */
    public void offer(WatchEvent<byte[]> event) {
        queue.add(event);
    }

    public boolean isClosed() {
        return isClosed.get();
    }

    /** Stops delivery; returns true the first time, when the caller should release its backend resources. */
    public boolean close() {
        boolean first = isClosed.compareAndSet(false, true);
        if (first) {
            queue.add(STOP);
        }
        if (!deliveryLock.isHeldByCurrentThread()) {
            deliveryLock.lock();
            deliveryLock.unlock();
        }
        return first;
    }

    private void deliverAll() {
        while (true) {
            WatchEvent<byte[]> event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                log.warn("{}: watch delivery thread interrupted, ending", name);
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
            log.warn("{}: watch listener failed on {}", name, event.getClass().getSimpleName(), e);
        } finally {
            deliveryLock.unlock();
        }
    }
}
