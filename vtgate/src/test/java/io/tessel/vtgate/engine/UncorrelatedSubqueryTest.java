package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.int64;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UncorrelatedSubqueryTest {
    private static final BindVariable NULL = BindVariable.newBuilder().setType(Type.NULL_TYPE).build();
    private static final QueryResult OUTER_RESULT = result(fields("x:INT64"), row("42"));
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void valueBindsTheOneValueOrNull() {
        assertEquals(TestResults.bindVar(Type.VARCHAR, "abc"),
                run(SubqueryOpcode.VALUE, result(fields("v:VARCHAR"), row("abc"))).get("__sq1"));
        assertEquals(NULL, run(SubqueryOpcode.VALUE, result(fields("v:VARCHAR"))).get("__sq1"));
        assertEquals(NULL, run(SubqueryOpcode.VALUE, result(fields("v:VARCHAR"), row((String) null))).get("__sq1"));
    }

    @Test
    void valueWithMoreThanOneRowOrColumnFailsLikeMysql() {
        VtException rows = assertThrows(VtException.class,
                () -> run(SubqueryOpcode.VALUE, result(fields("v:INT64"), row("1"), row("2"))));
        assertEquals(1242, rows.errno());
        assertEquals("21000", rows.sqlState());
        assertEquals("Subquery returns more than 1 row", rows.getMessage());
        VtException columns = assertThrows(VtException.class,
                () -> run(SubqueryOpcode.VALUE, result(fields("a:INT64", "b:INT64"), row("1", "2"))));
        assertEquals(1241, columns.errno());
        assertEquals("Operand should contain 1 column(s)", columns.getMessage());
    }

    @Test
    void inBindsTheListAndHasValues() {
        Map<String, BindVariable> vars = run(SubqueryOpcode.IN, result(fields("id:INT64"), row("1"), row((String) null), row("3")));
        BindVariable list = vars.get("__sq1");
        assertEquals(Type.TUPLE, list.getType());
        assertEquals(List.of(Value.ofInt64(1).toProto(), Value.NULL.toProto(), Value.ofInt64(3).toProto()),
                list.getValuesList());
        assertEquals(int64(1), vars.get("__sq_has_values1"));
        assertEquals(int64(7), vars.get("outer_var"));
    }

    @Test
    void emptyInListIsOneNullAndNoValues() {
        Map<String, BindVariable> vars = run(SubqueryOpcode.NOT_IN, result(fields("id:INT64")));
        assertEquals(List.of(Value.NULL.toProto()), vars.get("__sq1").getValuesList());
        assertEquals(int64(0), vars.get("__sq_has_values1"));
        assertThrows(VtException.class, () -> run(SubqueryOpcode.IN, result(fields("a:INT64", "b:INT64"))));
    }

    @Test
    void existsBindsOneOrZero() {
        assertEquals(int64(1), run(SubqueryOpcode.EXISTS, result(fields("a:INT64", "b:INT64"), row("1", "2")))
                .get("__sq1"));
        assertEquals(int64(0), run(SubqueryOpcode.EXISTS, result(fields("a:INT64"))).get("__sq1"));
    }

    @Test
    void returnsTheOuterResultAndDescribes() {
        FakePrimitive outer = new FakePrimitive(OUTER_RESULT);
        FakePrimitive subquery = new FakePrimitive(result(fields("id:INT64"), row("1")));
        var primitive = new UncorrelatedSubquery(SubqueryOpcode.IN, "__sq1", "__sq_has_values1", subquery, outer);
        assertSame(OUTER_RESULT, primitive.execute(vcursor, Map.of()));
        assertEquals("{\"OperatorType\":\"UncorrelatedSubquery\",\"Variant\":\"PulloutIn\",\"PulloutVars\":"
                + "[\"__sq1\",\"__sq_has_values1\"],\"Inputs\":[{\"OperatorType\":\"Fake\"},{\"OperatorType\":\"Fake\"}]}",
                primitive.describeTree().toJson().toString());
        assertThrows(IllegalArgumentException.class,
                () -> new UncorrelatedSubquery(SubqueryOpcode.IN, "__sq1", null, subquery, outer));
    }

    /** Runs a subquery returning {@code subqueryResult} and returns the bind vars the outer query got. */
    private Map<String, BindVariable> run(SubqueryOpcode opcode, QueryResult subqueryResult) {
        FakePrimitive subquery = new FakePrimitive(subqueryResult);
        FakePrimitive outer = new FakePrimitive(OUTER_RESULT);
        new UncorrelatedSubquery(opcode, "__sq1", "__sq_has_values1", subquery, outer)
                .execute(vcursor, Map.of("outer_var", int64(7)));
        assertEquals(Map.of("outer_var", int64(7)), subquery.calls().getFirst());
        return outer.calls().getFirst();
    }
}
