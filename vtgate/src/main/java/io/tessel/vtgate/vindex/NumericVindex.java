package io.tessel.vtgate.vindex;

import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code numeric} vindex: the keyspace id is the value as a big-endian uint64, so ids keep their
 * order across shards. Negative, NULL and unparsable values map to {@link Destination#NONE}. Unique,
 * functional, reversible, cost 0.
 */
public record NumericVindex(String name) implements FunctionalVindex, Reversible {
    @Override
    public String verifyLabel() {
        return "Numeric";
    }

    @Override
    public boolean isVerifyErrorPrefixed() {
        return true;
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public byte[] hash(Value id) {
        return Ksids.bigEndian(id.toUint64());
    }

    @Override
    public List<Value> reverseMap(List<byte[]> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (byte[] ksid : ksids) {
            int length = ksid == null ? 0 : ksid.length;
            if (length != 8) {
                throw Ksids.invalid("Numeric.ReverseMap: length of keyspaceId is not 8: " + length);
            }
            out.add(Value.ofUint64(Ksids.readBigEndian(ksid)));
        }
        return out;
    }
}
