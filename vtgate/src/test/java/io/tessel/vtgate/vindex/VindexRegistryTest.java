package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VindexRegistryTest {
    private final VindexRegistry registry = VindexRegistry.builtin();

    /** Each implemented type: class, cost, uniqueness and capabilities, checked with instanceof. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hash, HashVindex, 1, true, true",
        "xxhash, XxHashVindex, 1, false, true",
        "numeric, NumericVindex, 0, true, true",
        "binary, BinaryVindex, 0, true, true",
        "binary_md5, BinaryMd5Vindex, 1, false, true",
        "reverse_bits, ReverseBitsVindex, 1, true, true",
        "null, NullVindex, 0, false, false",
        "unicode_loose_md5, UnicodeLooseMd5Vindex, 1, false, true",
        "unicode_loose_xxhash, UnicodeLooseXxhashVindex, 1, false, true",
    })
    void buildsFunctionalVindexes(String type, String className, int cost, boolean isReversible, boolean isHashing) {
        Vindex vindex = registry.create(type, "v_" + type, Map.of("ignored", "param"));
        assertEquals(className, vindex.getClass().getSimpleName());
        assertEquals("v_" + type, vindex.name());
        assertEquals(cost, vindex.cost());
        assertEquals(isReversible, vindex instanceof Reversible);
        assertEquals(isHashing, vindex instanceof Hashing);
        assertTrue(vindex instanceof SingleColumnVindex);
        assertTrue(vindex.isUnique());
        assertEquals(false, vindex.needsVCursor());
        assertEquals(vindex.isUnique(), registry.type(type).orElseThrow().isUnique());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"numeric_static_map", "keyspace_id",
        "region_experimental", "cfc", "multicol", "lookup_unicodeloosemd5_hash",
        "lookup_unicodeloosemd5_hash_unique"})
    void knowsButCannotBuildTheRest(String type) {
        VtException e = assertThrows(VtException.class, () -> registry.create(type, "v", Map.of()));
        assertEquals(ErrorCode.UNIMPLEMENTED, e.code());
        assertTrue(e.getMessage().startsWith("vindex 'v': type " + type + " is not implemented in Tessel yet: "),
                e.getMessage());
    }

    @Test
    void lookupTraitsAreKnownWithoutBuilding() {
        assertEquals(false, registry.type("consistent_lookup").orElseThrow().isUnique());
        assertEquals(true, registry.type("consistent_lookup").orElseThrow().isLookup());
        assertEquals(true, registry.type("lookup_hash_unique").orElseThrow().isUnique());
        assertEquals(23, registry.typeNames().size());
    }

    @Test
    void unknownTypeIsInvalid() {
        VtException e = assertThrows(VtException.class, () -> registry.create("hashh", "v", Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("vindex 'v' has unknown vindex type 'hashh'; known types: [binary, "),
                e.getMessage());
    }

    @Test
    void duplicateTypesAreABug() {
        VindexType hash = VindexType.functional("hash", HashVindex::new);
        assertThrows(IllegalArgumentException.class, () -> new VindexRegistry(List.of(hash, hash)));
    }
}
