package io.tessel.vtgate.vindex;

import io.tessel.topo.KeyRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code hash} vindex: the keyspace id is DES under the all-zero key of the value as a big-endian
 * uint64. Signed values keep their int64 bit pattern, others parse as unsigned decimal; NULL and unparsable
 * values map to {@link Destination#NONE}. Unique, functional, reversible, cost 1.
 */
public record HashVindex(String name) implements FunctionalVindex, Reversible {
    @Override
    public String verifyLabel() {
        return "hash";
    }

    @Override
    public boolean isVerifyErrorPrefixed() {
        return true;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public byte[] hash(Value id) {
        return Ksids.bigEndian(ZeroKeyDes.apply(id.toCastUint64()));
    }

    @Override
    public List<Value> reverseMap(List<byte[]> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (byte[] ksid : ksids) {
            if (ksid == null || ksid.length != 8) {
                throw Ksids.invalid("invalid keyspace id: " + (ksid == null ? "" : KeyRanges.toHex(ksid)));
            }
            out.add(Value.ofUint64(ZeroKeyDes.apply(Ksids.readBigEndian(ksid))));
        }
        return out;
    }
}
