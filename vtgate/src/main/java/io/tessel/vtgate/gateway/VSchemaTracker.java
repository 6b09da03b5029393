package io.tessel.vtgate.gateway;

import io.tessel.proto.Vschema;
import io.tessel.proto.Vschema.SrvVSchema;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vtgate's current {@link VSchema}, built from the cell's SrvVSchema: rebuilt and swapped only when the
 * SrvVSchema differs from the last one seen, after which the listeners run. A keyspace whose VSchema does
 * not build is left out (logged once per change, naming the keyspace and the reason) and the others
 * serve. Thread-safe; {@link #current()} never blocks.
 */
final class VSchemaTracker {
    private static final Logger log = LoggerFactory.getLogger(VSchemaTracker.class);
    private static final SrvVSchema MISSING = SrvVSchema.getDefaultInstance();

    private final VSchemaLoader loader;
    private final BiConsumer<String, String> onRejected;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile VSchema current = VSchema.EMPTY;
    private SrvVSchema last = MISSING;

    VSchemaTracker(VSchemaLoader loader) {
        this(loader, (keyspace, reason) -> log.warn(
                "vtgate: the VSchema of keyspace {} does not build, serving the others without it: {}", keyspace, reason));
    }

    /** With {@code onRejected(keyspace, reason)} told of each keyspace left out, once per SrvVSchema change. */
    VSchemaTracker(VSchemaLoader loader, BiConsumer<String, String> onRejected) {
        this.loader = loader;
        this.onRejected = onRejected;
    }

    VSchema current() {
        return current;
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Takes the cell's SrvVSchema as just read ({@code null} when there is none, which means an empty
     * VSchema); returns true when the snapshot changed.
     */
    boolean update(SrvVSchema srv) {
        // Listeners run under the lock: a concurrent update that finds nothing new returns only after the
        // listeners of the change it saw have run, and changes reach listeners in the order they were made.
        synchronized (this) {
            SrvVSchema next = srv == null ? MISSING : srv;
            if (next.equals(last)) {
                return false;
            }
            last = next;
            current = build(next);
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.error("vtgate: VSchema change listener failed", e);
                }
            }
        }
        return true;
    }

    private VSchema build(SrvVSchema srv) {
        Map<String, KeyspaceSchema> keyspaces = new TreeMap<>();
        for (Map.Entry<String, Vschema.Keyspace> ks : new TreeMap<>(srv.getKeyspacesMap()).entrySet()) {
            try {
                keyspaces.put(ks.getKey(), loader.build(ks.getKey(), ks.getValue()));
            } catch (RuntimeException e) {
                onRejected.accept(ks.getKey(), e.getMessage());
            }
        }
        log.info("vtgate: VSchema updated: keyspaces {}", keyspaces.keySet());
        return new VSchema(keyspaces);
    }
}
