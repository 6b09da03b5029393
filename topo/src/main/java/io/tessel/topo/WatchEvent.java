package io.tessel.topo;

import java.util.Objects;

/**
 * One event of a topology watch: a value ({@link Changed}), or one of the two terminal events that end the
 * watch ({@link Deleted}, {@link Error}). After a terminal event no further event is delivered.
 */
public sealed interface WatchEvent<T> {
    /** True for {@link Deleted} and {@link Error}, which end the watch. */
    default boolean isTerminal() {
        return !(this instanceof Changed);
    }

    /** The file's current value and version: first the value at watch start, then each (or a later) change. */
    record Changed<T>(T value, Version version) implements WatchEvent<T> {
        public Changed {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(version, "version");
        }
    }

    /** The file was deleted (Vitess's NoNode on a watch); the watch has ended. */
    record Deleted<T>() implements WatchEvent<T> {}

    /** The watch failed and has ended, for example because the backend became unreachable. */
    record Error<T>(TopoException cause) implements WatchEvent<T> {
        public Error {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
