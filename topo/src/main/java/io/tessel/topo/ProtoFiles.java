package io.tessel.topo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, writes and watches topology files holding one binary protobuf message each, on any
 * {@link TopoConn}. The typed half of {@link Topo}, kept separate so each typed method stays one call.
 * Stateless and thread-safe.
 */
final class ProtoFiles {
    /** Read-modify-write attempts before a persistent {@link TopoCode#BAD_VERSION} is given up on. */
    static final int MAX_UPDATE_ATTEMPTS = 32;

    private static final Logger log = LoggerFactory.getLogger(ProtoFiles.class);

    private ProtoFiles() {}

    static <T extends Message> Versioned<T> read(TopoConn conn, String path, Parser<T> parser) {
        Versioned<byte[]> raw = conn.get(path);
        return new Versioned<>(parse(path, raw.value(), parser), raw.version());
    }

    static <T> T parse(String path, byte[] data, Parser<T> parser) {
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new TopoException(TopoCode.INVALID_DATA, path, e);
        }
    }

    /**
     * Read-modify-write with the version as guard, retrying on {@link TopoCode#BAD_VERSION}. When
     * {@code update} returns a message equal to the current one nothing is written.
     */
    static <T extends Message> Versioned<T> update(TopoConn conn, String path, Parser<T> parser,
            UnaryOperator<T> update) {
        for (int attempt = 1; ; attempt++) {
            Versioned<T> current = read(conn, path, parser);
            T updated = update.apply(current.value());
            if (updated.equals(current.value())) {
                return current;
            }
            try {
                return new Versioned<>(updated, conn.update(path, updated.toByteArray(), current.version()));
            } catch (TopoException e) {
                if (!e.is(TopoCode.BAD_VERSION) || attempt >= MAX_UPDATE_ATTEMPTS) {
                    throw e;
                }
                log.debug("topo {}: concurrent update, retrying (attempt {})", path, attempt);
            }
        }
    }

    /** Deletes a file if it exists; true when it did. */
    static boolean deleteIfExists(TopoConn conn, String path) {
        try {
            conn.delete(path, null);
            return true;
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return false;
            }
            throw e;
        }
    }

    /** The names in a directory, or an empty list if it does not exist. */
    static List<String> listNames(TopoConn conn, String dir) {
        try {
            return conn.listDir(dir, false).stream().map(DirEntry::name).toList();
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * A typed watch: raw values are decoded with {@code parser}; a value that does not decode ends the
     * watch with an {@link TopoCode#INVALID_DATA} error event.
     */
    static <T> Watch watch(TopoConn conn, String path, Parser<T> parser, WatchListener<T> listener) {
        TypedListener<T> typed = new TypedListener<>(path, parser, listener);
        Watch watch = conn.watch(path, typed);
        typed.attach(watch);
        return watch;
    }

    /** Decodes raw events for one watch; after a decoding failure drops everything and closes the watch. */
    private static final class TypedListener<T> implements WatchListener<byte[]> {
        private final String path;
        private final Parser<T> parser;
        private final WatchListener<T> listener;
        private final AtomicReference<Watch> watch = new AtomicReference<>();
        private volatile boolean isEnded;

        TypedListener(String path, Parser<T> parser, WatchListener<T> listener) {
            this.path = path;
            this.parser = parser;
            this.listener = listener;
        }

        void attach(Watch raw) {
            watch.set(raw);
            if (isEnded) {
                raw.close();
            }
        }

        @Override
        public void onEvent(WatchEvent<byte[]> event) {
            if (isEnded) {
                return;
            }
            switch (event) {
                case WatchEvent.Changed<byte[]> c -> onChanged(c);
                case WatchEvent.Deleted<byte[]> d -> listener.onEvent(new WatchEvent.Deleted<>());
                case WatchEvent.Error<byte[]> e -> listener.onEvent(new WatchEvent.Error<>(e.cause()));
            }
        }

        private void onChanged(WatchEvent.Changed<byte[]> changed) {
            T value;
            try {
                value = parse(path, changed.value(), parser);
            } catch (TopoException e) {
                log.warn("topo {}: ending watch on undecodable value: {}", path, e.getMessage());
                isEnded = true;
                listener.onEvent(new WatchEvent.Error<>(e));
                Watch raw = watch.get();
                if (raw != null) {
                    raw.close();
                }
                return;
            }
            listener.onEvent(new WatchEvent.Changed<>(value, changed.version()));
        }
    }
}
