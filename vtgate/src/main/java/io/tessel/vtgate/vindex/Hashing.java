package io.tessel.vtgate.vindex;

/**
 * Capability of a functional vindex to compute one value's keyspace id directly, as Vitess's {@code Hashing};
 * callers check for it with {@code instanceof}.
 */
public interface Hashing {
    /**
     * The keyspace id of {@code id}; the returned array is the caller's.
     *
     * @throws io.tessel.common.errors.VtException INVALID_ARGUMENT if the value cannot be converted
     */
    byte[] hash(Value id);
}
