package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The vindex types a vtgate knows, by name, built explicitly ({@link #builtin()}) rather than discovered.
 * It holds Vitess's registered type names: the functional ones Tessel computes exactly, the lookup family
 * ({@link PlainLookupVindex}, {@link ConsistentLookupVindex}), and the others (lookup_unicodeloosemd5_hash*,
 * region_experimental and others) as known types whose construction throws {@code UNIMPLEMENTED}.
 * Immutable and thread-safe.
 */
public final class VindexRegistry {
    private static final String LOOKUP_REASON = "its from values are stored as unicode_loose_md5 hashes, which "
            + "Tessel does not compute for lookups yet";
    private static final String MULTI_COLUMN_REASON = "multi-column vindexes are not supported yet";

    private final Map<String, VindexType> types;

    /** A registry of exactly these types; duplicate names are a bug. */
    public VindexRegistry(Collection<VindexType> types) {
        Map<String, VindexType> byName = new LinkedHashMap<>();
        for (VindexType type : types) {
            if (byName.putIfAbsent(type.type(), type) != null) {
                throw new IllegalArgumentException("duplicate vindex type " + type.type());
            }
        }
        this.types = Map.copyOf(byName);
    }

    /** Vitess's vindex types (as of v19). */
    public static VindexRegistry builtin() {
        return new VindexRegistry(List.of(
                VindexType.functional("hash", HashVindex::new),
                VindexType.functional("xxhash", XxHashVindex::new),
                VindexType.functional("numeric", NumericVindex::new),
                VindexType.functional("binary", BinaryVindex::new),
                VindexType.functional("binary_md5", BinaryMd5Vindex::new),
                VindexType.functional("reverse_bits", ReverseBitsVindex::new),
                VindexType.functional("null", NullVindex::new),
                VindexType.functional("unicode_loose_md5", UnicodeLooseMd5Vindex::new),
                VindexType.functional("unicode_loose_xxhash", UnicodeLooseXxhashVindex::new),
                VindexType.unimplemented("numeric_static_map", true, false, "its JSON id map is not supported yet"),
                VindexType.unimplemented("keyspace_id", true, false, "its Vitess semantics are not confirmed yet"),
                VindexType.unimplemented("region_experimental", true, false, MULTI_COLUMN_REASON),
                new VindexType("region_json", true, false, RegionJsonVindex::create),
                VindexType.unimplemented("cfc", true, false, "prefix (key range) destinations are not supported yet"),
                VindexType.unimplemented("multicol", true, false, MULTI_COLUMN_REASON),
                plainLookup("lookup", false, false),
                plainLookup("lookup_hash", false, true),
                VindexType.unimplemented("lookup_unicodeloosemd5_hash", false, true, LOOKUP_REASON),
                consistentLookup("consistent_lookup", false),
                plainLookup("lookup_unique", true, false),
                plainLookup("lookup_hash_unique", true, true),
                VindexType.unimplemented("lookup_unicodeloosemd5_hash_unique", true, true, LOOKUP_REASON),
                consistentLookup("consistent_lookup_unique", true)));
    }

    private static VindexType plainLookup(String type, boolean isUnique, boolean isHashed) {
        return new VindexType(type, isUnique, true,
                (name, params) -> PlainLookupVindex.create(type, name, params, isUnique, isHashed));
    }

    private static VindexType consistentLookup(String type, boolean isUnique) {
        return new VindexType(type, isUnique, true,
                (name, params) -> ConsistentLookupVindex.create(type, name, params, isUnique));
    }

    public Optional<VindexType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The registered type names, sorted. */
    public SortedSet<String> typeNames() {
        return new TreeSet<>(types.keySet());
    }

    /**
     * Builds vindex {@code name} of type {@code type}.
     *
     * @throws VtException INVALID_ARGUMENT for an unknown type, UNIMPLEMENTED for a known type Tessel cannot run
     */
    public Vindex create(String type, String name, Map<String, String> params) {
        VindexType vindexType = types.get(type);
        if (vindexType == null) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "vindex '" + name + "' has unknown vindex type '" + type + "'; known types: " + typeNames());
        }
        return vindexType.create(name, params);
    }
}
