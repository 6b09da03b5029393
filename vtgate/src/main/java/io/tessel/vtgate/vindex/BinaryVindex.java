package io.tessel.vtgate.vindex;

import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code binary} vindex: the keyspace id is the value's bytes themselves, for columns that already
 * hold keyspace ids. Unique, functional, reversible (to VARBINARY), cost 0.
 */
public record BinaryVindex(String name) implements FunctionalVindex, Reversible {
    @Override
    public String verifyLabel() {
        return "Binary";
    }

    @Override
    public boolean isNullNone() {
        return false;
    }

    @Override
    public int cost() {
        return 0;
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
