package io.tessel.vtgate.vindex;


/**
 * Vitess's {@code xxhash} vindex: the keyspace id is xxh64 (seed 0) of the value's text bytes, written
 * little-endian in 8 bytes. Any value maps, NULL as empty bytes. Unique, functional, not reversible, cost 1.
 */
public record XxHashVindex(String name) implements FunctionalVindex {
    @Override
    public String verifyLabel() {
        return "xxhash";
    }

    @Override
    public boolean isNullNone() {
        return false;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public byte[] hash(Value id) {
        return Ksids.bigEndian(Long.reverseBytes(XxHash64.hash(id.bytes())));
    }
}
