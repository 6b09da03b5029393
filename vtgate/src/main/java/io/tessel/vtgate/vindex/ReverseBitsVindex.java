package io.tessel.vtgate.vindex;

import io.tessel.topo.KeyRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code reverse_bits} vindex: the keyspace id is the value as a uint64 with its 64 bits reversed,
 * big-endian, so sequential ids spread over shards. Negative, NULL and unparsable values map to
 * {@link Destination#NONE}. Unique, functional, reversible, cost 1.
 */
public record ReverseBitsVindex(String name) implements FunctionalVindex, Reversible {
    @Override
    public String verifyLabel() {
        return "reverse_bits";
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public byte[] hash(Value id) {
        return Ksids.bigEndian(Long.reverse(id.toUint64()));
    }

    @Override
    public List<Value> reverseMap(List<byte[]> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (byte[] ksid : ksids) {
            if (ksid == null || ksid.length != 8) {
                throw Ksids.invalid("invalid keyspace id: " + (ksid == null ? "" : KeyRanges.toHex(ksid)));
            }
            out.add(Value.ofUint64(Long.reverse(Ksids.readBigEndian(ksid))));
        }
        return out;
    }
}
