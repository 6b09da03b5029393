package io.tessel.vtgate.vindex;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Vitess's {@code binary_md5} vindex: the keyspace id is the 16-byte MD5 of the value's bytes (NULL hashes
 * as empty bytes). Unique, functional, not reversible, cost 1.
 */
public record BinaryMd5Vindex(String name) implements FunctionalVindex {
    @Override
    public String verifyLabel() {
        return "binary_md5";
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
        return md5(id.bytes());
    }

    static byte[] md5(byte[] input) {
        try {
            return MessageDigest.getInstance("MD5").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("BUG: every JDK provides MD5", e);
        }
    }
}
