package io.tessel.vtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static final List<String> FOUR = List.of("-40", "40-80", "80-c0", "c0-");
    private static final SingleColumnVindex HASH =
            (SingleColumnVindex) VindexRegistry.builtin().create("hash", "hash", Map.of());
    private static final QueryResult ONE_ROW = TestResults.result(List.of(Field.newBuilder().setName("id")
            .setType(Type.INT64).build()), new String[] {"1"});

    private static ShardedVCursor cursor(long maxMemoryRows) {
        return new ShardedVCursor(Map.of("ks", FOUR), q -> ONE_ROW, maxMemoryRows);
    }

    private static RouteParams params(RouteOpcode opcode, PlanValue values) {
        return new RouteParams(opcode, "ks", "select id from t where id = :v", "select id from t where 1 != 1", "t",
                values == null ? null : HASH, values, List.of(), List.of(), null, false);
    }

    @Test
    void equalUniqueGoesToTheShardOfTheHash() {
        ShardedVCursor vc = cursor(300_000);
        PlanValue v = new PlanValue.BindVar("v");
        for (long id = 1; id <= 6; id++) { // the reference's 4-shard placement: 1,2 -> -40; 3,5 -> 40-80; 4,6 -> c0-
            new Route(params(RouteOpcode.EQUAL_UNIQUE, v)).execute(vc, Map.of("v", PlanValue.toBindVariable(Value.ofInt64(id))));
        }
        assertEquals(List.of("ks/-40", "ks/-40", "ks/40-80", "ks/c0-", "ks/40-80", "ks/c0-"),
                vc.calls.stream().map(ShardedVCursor.Call::target).toList());
    }

    @Test
    void inSendsEachShardOnlyItsOwnValues() {
        ShardedVCursor vc = cursor(300_000);
        PlanValue values = new PlanValue.Tuple(List.of(lit(1), lit(3), lit(4), lit(2)));
        new Route(params(RouteOpcode.IN, values)).execute(vc, Map.of());
        assertEquals(List.of("ks/-40=[1, 2]", "ks/40-80=[3]", "ks/c0-=[4]"), vc.calls.stream()
                .map(c -> c.target() + "=" + c.vars().get(RouteParams.LIST_VAR)).toList());
    }

    @Test
    void noneAsksNoShardForRowsButReturnsTheFields() {
        ShardedVCursor vc = cursor(300_000);
        QueryResult r = new Route(params(RouteOpcode.NONE, null)).execute(vc, Map.of());
        assertEquals(0, r.getRowsCount());
        assertEquals(1, r.getFieldsCount());
        assertEquals(List.of("select id from t where 1 != 1"), vc.calls.stream().map(ShardedVCursor.Call::sql).toList());
    }

    @Test
    void scatterOverTheMemoryLimitFailsClearly() {
        ShardedVCursor vc = cursor(3);
        VtException e = assertThrows(VtException.class,
                () -> new Route(params(RouteOpcode.SCATTER, null)).execute(vc, Map.<String, BindVariable>of()));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("in-memory row count exceeded allowed limit of 3", e.getMessage());
    }

    private static PlanValue lit(long v) {
        return new PlanValue.Literal(Value.ofInt64(v));
    }
}
