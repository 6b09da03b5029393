package io.tessel.topo;

/**
 * A file that lives only while its holder does: closing it deletes the file, and if the holder dies
 * (process killed, connection to the topology lost) the backend deletes it within the TTL it was made
 * with. Used for liveness records such as a tablet's health. Thread-safe.
 */
public interface EphemeralFile extends AutoCloseable {
    /** Replaces the content, keeping the file's lifetime. */
    void update(byte[] data);

    /** Deletes the file; idempotent. */
    @Override
    void close();
}
