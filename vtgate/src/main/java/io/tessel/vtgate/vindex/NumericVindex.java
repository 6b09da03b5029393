package io.tessel.vtgate.vindex;

import io.tessel.common.errors.VtException;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code numeric} vindex: the keyspace id is the value as a big-endian uint64, so ids keep their
 * order across shards. Negative, NULL and unparsable values map to {@link Destination#NONE}. Unique,
 * functional, reversible, cost 0.
 */
public record NumericVindex(String name) implements SingleColumnVindex, Hashing, Reversible {
    @Override
    public int cost() {
        return 0;
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
        Ksids.requireSameSize("Numeric", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            try {
                out.add(Ksids.isEqual(hash(ids.get(i)), ksids.get(i)));
            } catch (VtException e) {
                throw Ksids.wrap("Numeric.Verify", e);
            }
        }
        return out;
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

    private Destination destination(Value id) {
        try {
            return new Destination.KeyspaceId(hash(id));
        } catch (VtException e) {
            return Destination.NONE;
        }
    }
}
