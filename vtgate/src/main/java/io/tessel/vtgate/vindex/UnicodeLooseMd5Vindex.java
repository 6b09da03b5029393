package io.tessel.vtgate.vindex;

/**
 * Vitess's {@code unicode_loose_md5} vindex: the keyspace id is the 16-byte MD5 of the value's
 * {@link UnicodeLooseKey} (case-, accent- and width-insensitive, trailing spaces ignored).
 */
public record UnicodeLooseMd5Vindex(String name) implements UnicodeLooseHashing {
    @Override
    public String verifyLabel() {
        return "UnicodeLooseMD5";
    }

    @Override
    public byte[] hashKey(byte[] key) {
        return BinaryMd5Vindex.md5(key);
    }
}
