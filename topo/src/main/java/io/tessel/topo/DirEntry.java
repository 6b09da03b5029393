package io.tessel.topo;

import java.util.Objects;

/**
 * One child of a topology directory, as returned by {@link TopoConn#listDir}: its name (one path
 * segment), whether it is a file or a directory, and whether it is ephemeral (tied to a session or lease,
 * such as an etcd lock entry).
 */
public record DirEntry(String name, Type type, boolean isEphemeral) {
    /** The kind of a directory entry. */
    public enum Type {
        FILE,
        DIRECTORY
    }

    public DirEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
