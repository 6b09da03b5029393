package io.tessel.vtgate.vindex;

import java.util.List;

/**
 * A vindex over one column: maps each value to a {@link Destination} and verifies value/keyspace-id pairs,
 * as Vitess's {@code SingleColumn}. Results are positional: element i answers {@code ids.get(i)}.
 */
public interface SingleColumnVindex extends Vindex {
    /**
     * The destination of each value; a value the vindex cannot map (NULL, unparsable) gives
     * {@link Destination#NONE}.
     */
    List<Destination> map(List<Value> ids);

    /**
     * Whether each value maps to the keyspace id at the same position.
     *
     * @throws io.tessel.common.errors.VtException INVALID_ARGUMENT if the lists differ in length or a value
     *     cannot be converted
     */
    List<Boolean> verify(List<Value> ids, List<byte[]> ksids);
}
