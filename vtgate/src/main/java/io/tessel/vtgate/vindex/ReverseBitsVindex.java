package io.tessel.vtgate.vindex;

import io.tessel.common.errors.VtException;
import io.tessel.topo.KeyRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code reverse_bits} vindex: the keyspace id is the value as a uint64 with its 64 bits reversed,
 * big-endian, so sequential ids spread over shards. Negative, NULL and unparsable values map to
 * {@link Destination#NONE}. Unique, functional, reversible, cost 1.
 */
public record ReverseBitsVindex(String name) implements SingleColumnVindex, Hashing, Reversible {
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
            out.add(id.isNull() ? Destination.NONE : destination(id));
        }
        return out;
    }

    @Override
    public List<Boolean> verify(List<Value> ids, List<byte[]> ksids) {
        Ksids.requireSameSize("reverse_bits", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(Ksids.isEqual(hash(ids.get(i)), ksids.get(i)));
        }
        return out;
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

    private Destination destination(Value id) {
        try {
            return new Destination.KeyspaceId(hash(id));
        } catch (VtException e) {
            return Destination.NONE;
        }
    }
}
