package io.tessel.vtgate.vindex;

/**
 * Vitess's {@code unicode_loose_xxhash} vindex: the keyspace id is xxh64 (seed 0) of the value's
 * {@link UnicodeLooseKey}, written little-endian in 8 bytes.
 */
public record UnicodeLooseXxhashVindex(String name) implements UnicodeLooseHashing {
    @Override
    public String verifyLabel() {
        return "UnicodeLooseXXHash";
    }

    @Override
    public byte[] hashKey(byte[] key) {
        return Ksids.bigEndian(Long.reverseBytes(XxHash64.hash(key)));
    }
}
