package io.tessel.vtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceCacheTest {
    /** A sequence table row (id 0) kept in memory, answering the cache's select and compare-and-set update. */
    private static final class Table {
        long nextId;
        final long cache;

        Table(long nextId, long cache) {
            this.nextId = nextId;
            this.cache = cache;
        }

        QueryResult answer(ShardQuery q) {
            String sql = q.query().getSql();
            if (sql.startsWith("select")) {
                return TestResults.result(List.of(field("next_id"), field("cache")),
                        new String[] {Long.toString(nextId), Long.toString(cache)});
            }
            long old = Long.parseLong(q.query().getBindVariablesOrThrow("old").getValue().toStringUtf8());
            if (old != nextId) {
                return QueryResult.newBuilder().setRowsAffected(0).build();
            }
            nextId = Long.parseLong(q.query().getBindVariablesOrThrow("new").getValue().toStringUtf8());
            return QueryResult.newBuilder().setRowsAffected(1).build();
        }

        private static Field field(String name) {
            return Field.newBuilder().setName(name).setType(Type.INT64).build();
        }
    }

    @Test
    void reservesABlockOfCacheValuesAndServesFromIt() {
        // Vitess's e2e: seeded (0, 1, 10), 4 ids give 1..4 and next_id becomes 11; the next value is 5
        Table table = new Table(1, 10);
        ShardedVCursor vc = new ShardedVCursor(Map.of("uks", List.of("0")), table::answer, 300_000);
        SequenceCache sequences = new SequenceCache();
        assertEquals(1, sequences.next(vc, "uks", "seq", 4));
        assertEquals(11, table.nextId);
        assertEquals(5, sequences.next(vc, "uks", "seq", 1));
        assertEquals(2, vc.standalone.size(), "the second value came from the cached block");
        assertEquals(6, sequences.next(vc, "uks", "seq", 5)); // 6..10 still fit the block
        assertEquals(11, sequences.next(vc, "uks", "seq", 1)); // a new block starts at the table's next_id
        assertEquals(21, table.nextId);
    }

    @Test
    void anotherVtgateAdvancingTheTableIsRespected() {
        Table table = new Table(1, 10);
        ShardedVCursor vc = new ShardedVCursor(Map.of("uks", List.of("0")), table::answer, 300_000);
        SequenceCache sequences = new SequenceCache();
        assertEquals(1, sequences.next(vc, "uks", "seq", 10));
        table.nextId = 100; // someone else reserved 11..99
        assertEquals(100, sequences.next(vc, "uks", "seq", 1));
    }
}
