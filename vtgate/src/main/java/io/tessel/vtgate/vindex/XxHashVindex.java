package io.tessel.vtgate.vindex;

import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code xxhash} vindex: the keyspace id is xxh64 (seed 0) of the value's text bytes, written
 * little-endian in 8 bytes. Any value maps, NULL as empty bytes. Unique, functional, not reversible, cost 1.
 */
public record XxHashVindex(String name) implements SingleColumnVindex, Hashing {
    @Override
    public int cost() {
        return 1;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsVCursor() {
        return false;
    }

    @Override
    public List<Destination> map(List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (Value id : ids) {
            out.add(new Destination.KeyspaceId(hash(id)));
        }
        return out;
    }

    @Override
    public List<Boolean> verify(List<Value> ids, List<byte[]> ksids) {
        Ksids.requireSameSize("xxhash", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(Ksids.isEqual(hash(ids.get(i)), ksids.get(i)));
        }
        return out;
    }

    @Override
    public byte[] hash(Value id) {
        return Ksids.bigEndian(Long.reverseBytes(XxHash64.hash(id.bytes())));
    }
}
