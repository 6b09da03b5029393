package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.topo.KeyRanges;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardResolverTest {
    private static final HashVindex HASH = new HashVindex("hash");
    private static final ShardResolver TWO = ShardResolver.of(List.of("80-", "-80"));
    private static final ShardResolver FOUR = ShardResolver.of(List.of("-40", "40-80", "80-c0", "c0-"));

    /** The reference's worked routing: hash(1)=166b.. and hash(4)=d2fd.. over 2 and 4 shards. */
    @ParameterizedTest(name = "id {0}: 2 shards {1}, 4 shards {2}")
    @CsvSource({"1, -80, -40", "2, -80, -40", "3, -80, 40-80", "4, 80-, c0-", "5, -80, 40-80", "6, 80-, c0-"})
    void routesHashedIds(long id, String ofTwo, String ofFour) {
        Destination destination = HASH.map(List.of(Value.ofInt64(id))).getFirst();
        assertEquals(List.of(ofTwo), TWO.shards(destination));
        assertEquals(List.of(ofFour), FOUR.shards(destination));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'', -40", "00, -40", "3fffffffffffffff, -40", "40, 40-80", "4000000000000000, 40-80",
        "7f, 40-80", "80, 80-c0", "c0, c0-", "ffffffffffffffff, c0-"})
    void boundariesAreStartInclusiveEndExclusive(String ksid, String shard) {
        assertEquals(shard, FOUR.shardFor(bytes(ksid)));
    }

    @Test
    void severalKeyspaceIdsReachTheirDistinctShardsInKeyOrderAndAllShardsReachesEvery() {
        Destination ids = new Destination.KeyspaceIds(List.of(bytes("c1"), bytes("01"), bytes("c2"), bytes("41")));
        assertEquals(List.of("-40", "40-80", "c0-"), FOUR.shards(ids));
        assertEquals(List.of("-80", "80-"), TWO.shards(Destination.ALL_SHARDS));
        assertEquals(ids, new Destination.KeyspaceIds(List.of(bytes("c1"), bytes("01"), bytes("c2"), bytes("41"))));
        assertThrows(IllegalArgumentException.class, () -> new Destination.KeyspaceIds(List.of()));
    }

    @Test
    void noneReachesNoShardAndShardsAreInKeyOrder() {
        assertEquals(List.of(), TWO.shards(Destination.NONE));
        assertEquals(List.of("-80", "80-"), TWO.shardNames());
    }

    @Test
    void singleShardTakesEverything() {
        ShardResolver unsharded = ShardResolver.of(List.of("0"));
        assertEquals("0", unsharded.shardFor(bytes("166b40b44aba4bd6")));
        assertEquals("-", ShardResolver.of(List.of("-")).shardFor(bytes("ff")));
    }

    @Test
    void generatedShardsCoverEveryHash() {
        ShardResolver sixteen = ShardResolver.of(KeyRanges.generateShardRanges(16));
        for (long id = 0; id < 200; id++) {
            byte[] ksid = HASH.hash(Value.ofInt64(id));
            String shard = sixteen.shardFor(ksid);
            assertEquals(true, KeyRanges.contains(KeyRanges.parseShardName(shard), ksid), shard);
        }
    }

    @Test
    void gapsAndOverlapsAreErrors() {
        ShardResolver gap = ShardResolver.of(List.of("-40", "80-"));
        VtException e = assertThrows(VtException.class, () -> gap.shardFor(bytes("50")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("keyspace id 50 didn't match any shard of [-40, 80-]", e.getMessage());
        VtException overlap = assertThrows(VtException.class, () -> ShardResolver.of(List.of("-80", "40-")));
        assertEquals("shards -80 and 40- overlap", overlap.getMessage());
        assertThrows(VtException.class, () -> ShardResolver.of(List.of("-8")));
    }
}
