package io.tessel.vtgate.vindex;

import io.tessel.common.errors.VtException;
import java.util.List;

/**
 * What Vitess's {@code unicode_loose_md5} and {@code unicode_loose_xxhash} share: the keyspace id is a hash of
 * the value's {@link UnicodeLooseKey} (NULL hashes the empty key), every value maps (invalid UTF-8 fails the
 * whole call), and Map and Verify errors carry Vitess's {@code "<Label>.Map: "} / {@code ".Verify: "} prefixes.
 * Unique, functional, not reversible, cost 1.
 */
interface UnicodeLooseHashing extends FunctionalVindex {
    /** The keyspace id of a normalized key. */
    byte[] hashKey(byte[] key);

    /**
     * {@inheritDoc}
     *
     * @throws VtException INVALID_ARGUMENT if the value is not valid UTF-8
     */
    @Override
    default byte[] hash(Value id) {
        return hashKey(UnicodeLooseKey.of(id.bytes()));
    }

    @Override
    default boolean isNullNone() {
        return false;
    }

    @Override
    default boolean isVerifyErrorPrefixed() {
        return true;
    }

    @Override
    default int cost() {
        return 1;
    }

    @Override
    default List<Destination> map(List<Value> ids) {
        try {
            return FunctionalVindex.super.map(ids);
        } catch (VtException e) {
            throw Ksids.wrap(verifyLabel() + ".Map", e);
        }
    }
}
