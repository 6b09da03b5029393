package io.tessel.topo;

/**
 * The version of one topology file, opaque to callers: they only pass it back to a conditional
 * {@link TopoConn#update} or {@link TopoConn#delete} or compare two for equality. Backends choose the
 * meaning of {@code value} (etcd: the key's ModRevision; memory: a store-wide write counter).
 */
public record Version(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
