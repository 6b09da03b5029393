package io.tessel.vtgate.vindex;

import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code binary} vindex: the keyspace id is the value's bytes themselves, for columns that already
 * hold keyspace ids. Unique, functional, reversible (to VARBINARY), cost 0.
 */
public record BinaryVindex(String name) implements SingleColumnVindex, Hashing, Reversible {
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
            out.add(new Destination.KeyspaceId(hash(id)));
        }
        return out;
    }

    @Override
    public List<Boolean> verify(List<Value> ids, List<byte[]> ksids) {
        Ksids.requireSameSize("Binary", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(Ksids.isEqual(ids.get(i).bytes(), ksids.get(i)));
        }
        return out;
    }

    @Override
    public byte[] hash(Value id) {
        return id.bytes().clone();
    }

    @Override
    public List<Value> reverseMap(List<byte[]> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (byte[] ksid : ksids) {
            if (ksid == null) {
                throw Ksids.invalid("Binary.ReverseMap: keyspaceId is nil");
            }
            out.add(Value.ofVarbinary(ksid));
        }
        return out;
    }
}
