package io.tessel.vtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsertTest {
    private static final SingleColumnVindex HASH =
            (SingleColumnVindex) VindexRegistry.builtin().create("hash", "hash", Map.of());

    @Test
    void rowsGoToTheirShardsAndMissingIdsComeFromTheSequence() {
        long[] nextId = {1};
        ShardedVCursor vc = new ShardedVCursor(Map.of("ks", List.of("-40", "40-80", "80-c0", "c0-"), "uks", List.of("0")),
                q -> {
                    String sql = q.query().getSql();
                    if (sql.startsWith("select next_id")) {
                        return TestResults.result(List.of(Field.newBuilder().setName("next_id").setType(Type.INT64).build(),
                                Field.newBuilder().setName("cache").setType(Type.INT64).build()),
                                new String[] {Long.toString(nextId[0]), "1000"});
                    }
                    if (sql.startsWith("update")) {
                        nextId[0] = 1001;
                        return QueryResult.newBuilder().setRowsAffected(1).build();
                    }
                    return QueryResult.newBuilder().setRowsAffected(q.query().getSql().split("\\),").length).build();
                }, 300_000);
        List<String> rows = new ArrayList<>();
        List<PlanValue> given = new ArrayList<>();
        given.add(null); // id left out: generated
        given.add(new PlanValue.Literal(Value.ofInt64(4)));
        given.add(new PlanValue.Literal(Value.NULL)); // NULL: generated
        List<PlanValue> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add("(:" + Insert.sequenceVar(i) + ", 'x')");
            ids.add(new PlanValue.BindVar(Insert.sequenceVar(i)));
        }
        InsertParams params = new InsertParams("ks", "t", "insert into t (id, name) values ", rows, "", HASH, ids,
                new InsertParams.Generate("uks", "seq", given));
        QueryResult r = new Insert(params, new SequenceCache()).execute(vc, Map.of());
        // ids 1 and 2 are generated (hash: 1, 2 -> -40), 4 is given (-> c0-)
        assertEquals(List.of("ks/-40 {__seq0=1, __seq1=4, __seq2=2}", "ks/c0- {__seq0=1, __seq1=4, __seq2=2}"),
                vc.calls.stream().map(c -> c.target() + " " + c.vars()).toList());
        assertEquals(List.of("insert into t (id, name) values (:__seq0, 'x'), (:__seq2, 'x')",
                "insert into t (id, name) values (:__seq1, 'x')"), vc.calls.stream().map(ShardedVCursor.Call::sql).toList());
        assertEquals(1, r.getInsertId());
        assertEquals(1, vc.lastInsertId);
        assertEquals(3, r.getRowsAffected());
    }

    private static QueryResult insertWithInsertId(ShardedVCursor vc, InsertParams.Generate generate) {
        InsertParams params = new InsertParams("uks", "t", "insert into t (id, a) values ", List.of("(:__seq0, 1)"), "",
                null, null, generate);
        return new Insert(params, new SequenceCache()).execute(vc, Map.of());
    }

    @Test
    void anExplicitIdForASequenceColumnIsTheInsertIdButLeavesLastInsertIdAlone() {
        ShardedVCursor vc = new ShardedVCursor(Map.of("uks", List.of("0")),
                q -> QueryResult.newBuilder().setRowsAffected(1).setInsertId(5000).build(), 300_000);
        QueryResult r = insertWithInsertId(vc, new InsertParams.Generate("uks", "seq",
                List.of(new PlanValue.Literal(Value.ofInt64(5000)))));
        assertEquals(5000, r.getInsertId()); // MySQL's OK packet carries the explicit value too
        assertEquals(0, vc.lastInsertId, "LAST_INSERT_ID() changes only when a value is generated");
    }

    @Test
    void aTableWithoutSequenceTakesTheShardsInsertIdForLastInsertId() {
        ShardedVCursor vc = new ShardedVCursor(Map.of("uks", List.of("0")),
                q -> QueryResult.newBuilder().setRowsAffected(1).setInsertId(7).build(), 300_000);
        assertEquals(7, insertWithInsertId(vc, null).getInsertId());
        assertEquals(7, vc.lastInsertId, "the shard's own auto-increment generated it");
    }
}
