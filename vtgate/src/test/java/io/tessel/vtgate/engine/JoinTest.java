package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.bindVar;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.names;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinTest {
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();
    private static final List<Field> ORDER_FIELDS = fields("order_id:INT64", "customer_id:INT64");
    private static final List<Field> CUSTOMER_FIELDS = List.of(
            Field.newBuilder().setName("name").setType(Type.VARCHAR).setCharset(45).setFlags(1).build());
    private final FakeVCursor vcursor = new FakeVCursor();

    /** The right side: customer names by id, bound as :c_id; customer 3 has none. */
    private static FakePrimitive customers() {
        return new FakePrimitive(bindVars -> {
            BindVariable id = bindVars.get("c_id");
            String name = switch (id.getType() == Type.NULL_TYPE ? "" : id.getValue().toStringUtf8()) {
                case "1" -> "ann";
                case "2" -> "bob";
                default -> null;
            };
            return name == null ? result(CUSTOMER_FIELDS) : result(CUSTOMER_FIELDS, row(name), row(name + "2"));
        });
    }

    @Test
    void innerJoinRunsTheRightSidePerLeftRowWithItsValuesBound() {
        FakePrimitive orders = new FakePrimitive(result(ORDER_FIELDS,
                row("10", "1"), row("11", "3"), row("12", "2"), row("13", null)));
        FakePrimitive customers = customers();
        Join join = new Join(orders, customers, JoinOpcode.INNER, List.of(-1, 1, -2), Map.of("c_id", 1));
        QueryResult out = join.execute(vcursor, Map.of("x", TestResults.int64(5)));
        assertRows(out, "10|ann|1", "10|ann2|1", "12|bob|2", "12|bob2|2");
        assertEquals(List.of("order_id", "name", "customer_id"), names(out));
        assertEquals(1, out.getFields(1).getFlags());
        assertEquals(4, customers.calls().size());
        assertEquals(bindVar(Type.INT64, "1"), customers.calls().get(0).get("c_id"));
        assertEquals(TestResults.int64(5), customers.calls().get(0).get("x"));
        assertEquals(NULL, customers.calls().get(3).get("c_id"));
        assertEquals(Map.of("x", TestResults.int64(5)), orders.calls().getFirst());
    }

    @Test
    void leftJoinKeepsLeftRowsWithoutMatchesAndClearsNotNull() {
        FakePrimitive orders = new FakePrimitive(result(ORDER_FIELDS, row("10", "1"), row("11", "3"), row("13", null)));
        Join join = new Join(orders, customers(), JoinOpcode.LEFT, List.of(-1, 1), Map.of("c_id", 1));
        QueryResult out = join.execute(vcursor, Map.of());
        assertRows(out, "10|ann", "10|ann2", "11|NULL", "13|NULL");
        assertEquals(0, out.getFields(1).getFlags());
    }

    @Test
    void emptyLeftSideStillHasTheRightFields() {
        FakePrimitive customers = customers();
        Join join = new Join(new FakePrimitive(result(ORDER_FIELDS)), customers, JoinOpcode.INNER, List.of(-1, 1),
                Map.of("c_id", 1));
        QueryResult out = join.execute(vcursor, Map.of());
        assertEquals(0, out.getRowsCount());
        assertEquals(List.of("order_id", "name"), names(out));
        assertEquals(NULL, customers.calls().getFirst().get("c_id"));
    }

    @Test
    void failsAboveTheMemoryLimit() {
        FakePrimitive orders = new FakePrimitive(result(ORDER_FIELDS, row("10", "1"), row("12", "2")));
        Join join = new Join(orders, customers(), JoinOpcode.INNER, List.of(-1, 1), Map.of("c_id", 1));
        assertEquals(4, join.execute(new FakeVCursor(4), Map.of()).getRowsCount());
        VtException e = assertThrows(VtException.class, () -> join.execute(new FakeVCursor(3), Map.of()));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
    }

    @Test
    void rightSideErrorsPropagate() {
        VtException boom = VtException.of(ErrorCode.UNAVAILABLE, "shard down");
        Join join = new Join(new FakePrimitive(result(ORDER_FIELDS, row("10", "1"))), FakePrimitive.failing(boom),
                JoinOpcode.INNER, List.of(-1), Map.of());
        assertEquals(boom, assertThrows(VtException.class, () -> join.execute(vcursor, Map.of())));
    }

    @Test
    void describesAndValidates() {
        Join join = new Join(new FakePrimitive(), new FakePrimitive(), JoinOpcode.LEFT, List.of(-1, 2, 1),
                Map.of("u_id", 0, "a_id", 1));
        assertEquals("{\"OperatorType\":\"Join\",\"Variant\":\"LeftJoin\",\"JoinColumnIndexes\":\"-1,2,1\","
                + "\"JoinVars\":{\"a_id\":1,\"u_id\":0}}", join.describe().toJson().toString());
        assertThrows(IllegalArgumentException.class, () -> new Join(new FakePrimitive(), new FakePrimitive(),
                JoinOpcode.INNER, List.of(0), Map.of()));
    }
}
