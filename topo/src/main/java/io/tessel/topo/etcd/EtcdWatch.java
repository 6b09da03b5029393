package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import io.tessel.topo.Version;
import io.tessel.topo.Watch;
import io.tessel.topo.WatchDelivery;
import io.tessel.topo.WatchEvent;
import io.tessel.topo.WatchListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on an etcd key: the value read when it starts, then an etcd watch from the next revision. A put
 * is a change, a delete ends the watch with {@link WatchEvent.Deleted}, and any stream failure (server gone,
 * history compacted) ends it with {@link WatchEvent.Error} instead of jetcd's silent resume, so the owner
 * learns its view may be stale and re-watches. jetcd's callbacks only queue events; a virtual thread per
 * watch calls the listener in order, so the listener may block or call back into the connection. Thread-safe.
 */
final class EtcdWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

    private final EtcdTopoConn conn;
    private final String path;
    private final ByteSequence key;
    private final WatchDelivery delivery;
    /** Set once a terminal event is queued or the owner closed the watch: nothing more is queued. */
    private final AtomicBoolean isEnded = new AtomicBoolean();
    private volatile io.etcd.jetcd.Watch.Watcher watcher;

    EtcdWatch(EtcdTopoConn conn, String path, ByteSequence key, WatchListener<byte[]> listener) {
        this.conn = conn;
        this.path = path;
        this.key = key;
        this.delivery = new WatchDelivery(conn.name() + " " + key.toString(UTF_8), listener);
    }

    @Override
    public String path() {
        return path;
    }

    /**
     * Queues the initial value, starts the etcd watch after {@code revision} and the delivery thread.
     *
     * @throws TopoException if the etcd watch cannot be opened (then nothing is delivered)
     */
    void start(KeyValue initial, long revision) {
        delivery.offer(new WatchEvent.Changed<>(initial.getValue().getBytes(), new Version(initial.getModRevision())));
        WatchOption afterRead = WatchOption.builder().withRevision(revision + 1).build();
        watcher = conn.start(() -> conn.client().getWatchClient().watch(key, afterRead,
                io.etcd.jetcd.Watch.listener(this::onResponse, this::onError, this::onCompleted)), "watch " + keyText());
        if (isEnded.get()) {
            watcher.close();
        }
        delivery.start();
    }

    /** Ends the watch with a terminal event (delivered unless the owner closes first); later calls do nothing. */
    void end(WatchEvent<byte[]> terminal) {
        if (isEnded.compareAndSet(false, true)) {
            delivery.offer(terminal);
            stopWatcher();
        }
    }

    /** Ends the watch with an error event of {@code cause}. */
    void end(TopoException cause) {
        end(new WatchEvent.Error<>(cause));
    }

    @Override
    public void close() {
        if (delivery.close() && isEnded.compareAndSet(false, true)) {
            stopWatcher();
        }
    }

    private void onResponse(WatchResponse response) {
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            if (isEnded.get()) {
                return;
            }
            KeyValue kv = event.getKeyValue();
            switch (event.getEventType()) {
                case PUT -> delivery.offer(new WatchEvent.Changed<>(kv.getValue().getBytes(), new Version(kv.getModRevision())));
                case DELETE -> end(new WatchEvent.Deleted<>());
                case UNRECOGNIZED -> end(new TopoException(TopoCode.INVALID_DATA, "watch " + keyText() + ": unknown event"));
            }
        }
    }

    private void onError(Throwable failure) {
        TopoException cause = EtcdErrors.toTopo(failure, "watch " + keyText());
        if (!isEnded.get()) {
            log.warn("{}: watch on {} ended: {}", conn.name(), keyText(), cause.getMessage());
        }
        end(cause);
    }

    private void onCompleted() {
        end(new TopoException(TopoCode.INTERRUPTED, "watch " + keyText() + ": stream closed by the client"));
    }

    private void stopWatcher() {
        conn.forget(this);
        io.etcd.jetcd.Watch.Watcher current = watcher;
        if (current != null) {
            current.close();
        }
    }

    private String keyText() {
        return key.toString(UTF_8);
    }
}
