package io.tessel.vtgate.vindex;

import io.tessel.common.errors.VtException;
import java.util.ArrayList;
import java.util.List;

/**
 * A unique vindex whose keyspace id is computed from the value alone ({@link Hashing}); map and verify
 * are written once here in terms of {@link #hash}. Implementations only say how they treat NULL and
 * how Vitess words their Verify errors.
 */
interface FunctionalVindex extends SingleColumnVindex, Hashing {
    /** The vindex name Vitess's Verify errors start with, e.g. {@code hash} in "hash.Verify: ...". */
    String verifyLabel();

    /** Whether NULL and values {@link #hash} rejects map to {@link Destination#NONE}; otherwise every value is hashed. */
    default boolean isNullNone() {
        return true;
    }

    /** Whether Verify prefixes a conversion error with "{label}.Verify: " (Vitess does for some vindexes). */
    default boolean isVerifyErrorPrefixed() {
        return false;
    }

    @Override
    default boolean isUnique() {
        return true;
    }

    @Override
    default boolean needsVCursor() {
        return false;
    }

    @Override
    default List<Destination> map(List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (Value id : ids) {
            out.add(isNullNone() ? destinationOrNone(id) : new Destination.KeyspaceId(hash(id)));
        }
        return out;
    }

    private Destination destinationOrNone(Value id) {
        if (id.isNull()) {
            return Destination.NONE;
        }
        try {
            return new Destination.KeyspaceId(hash(id));
        } catch (VtException e) {
            return Destination.NONE;
        }
    }

    @Override
    default List<Boolean> verify(List<Value> ids, List<byte[]> ksids) {
        Ksids.requireSameSize(verifyLabel(), ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            try {
                out.add(Ksids.isEqual(hash(ids.get(i)), ksids.get(i)));
            } catch (VtException e) {
                throw isVerifyErrorPrefixed() ? Ksids.wrap(verifyLabel() + ".Verify", e) : e;
            }
        }
        return out;
    }
}
