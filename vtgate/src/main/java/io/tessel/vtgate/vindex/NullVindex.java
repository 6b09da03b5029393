package io.tessel.vtgate.vindex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Vitess's {@code null} vindex: every value, NULL included, maps to keyspace id {@code 00}, so all rows live
 * in the first shard; useful while moving an unsharded keyspace to sharded. Unique, functional, cost 0.
 */
public record NullVindex(String name) implements SingleColumnVindex {
    private static final byte[] KSID = {0};

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
        return Collections.nCopies(ids.size(), new Destination.KeyspaceId(KSID));
    }

    @Override
    public List<Boolean> verify(List<Value> ids, List<byte[]> ksids) {
        Ksids.requireSameSize("null", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (byte[] ksid : ksids) {
            out.add(Ksids.isEqual(KSID, ksid));
        }
        return out;
    }
}
