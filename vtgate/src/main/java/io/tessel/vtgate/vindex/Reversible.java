package io.tessel.vtgate.vindex;

import java.util.List;

/**
 * Capability of a vindex whose keyspace ids can be mapped back to the column value, as Vitess's
 * {@code Reversible}; callers check for it with {@code instanceof}.
 */
public interface Reversible {
    /**
     * The value each keyspace id came from, positionally.
     *
     * @throws io.tessel.common.errors.VtException INVALID_ARGUMENT if a keyspace id has the wrong form
     */
    List<Value> reverseMap(List<byte[]> ksids);
}
