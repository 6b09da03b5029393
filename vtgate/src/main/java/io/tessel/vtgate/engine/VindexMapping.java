package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.vindex.Destination;
import io.tessel.vtgate.vindex.LookupVindex;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.Vindex;
import java.util.List;

/** Maps values through a routing vindex: a functional one directly, a lookup one through the cursor. Stateless. */
final class VindexMapping {
    private VindexMapping() {}

    /** The destination of each value. */
    static List<Destination> map(Vindex vindex, VCursor vcursor, List<Value> values) {
        return switch (vindex) {
            case LookupVindex lookup -> lookup.map(vcursor.vindexCursor(), values);
            case SingleColumnVindex single -> single.map(values);
            default -> throw VtException.of(ErrorCode.INTERNAL, "BUG: vindex " + vindex.name() + " cannot route");
        };
    }

    /**
     * The keyspace id of a row's primary vindex value.
     *
     * @throws VtException INVALID_ARGUMENT if the value maps to no single keyspace id
     */
    static byte[] ksid(Vindex vindex, VCursor vcursor, Value value, String table) {
        if (map(vindex, vcursor, List.of(value)).getFirst() instanceof Destination.KeyspaceId id) {
            return id.ksid();
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, "could not map " + value + " to a keyspace id for table "
                + table);
    }
}
