package io.tessel.topo;

import java.util.Objects;

/**
 * A value read from the topology together with the version it was read at, for read-modify-write.
 * Immutable when {@code T} is (raw {@code byte[]} values are copies the caller owns).
 */
public record Versioned<T>(T value, Version version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
