package io.tessel.vtgate.vindex;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code binary_md5} vindex: the keyspace id is the 16-byte MD5 of the value's bytes (NULL hashes
 * as empty bytes). Unique, functional, not reversible, cost 1.
 */
public record BinaryMd5Vindex(String name) implements SingleColumnVindex, Hashing {
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
        Ksids.requireSameSize("binary_md5", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(Ksids.isEqual(hash(ids.get(i)), ksids.get(i)));
        }
        return out;
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
