package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcatenateTest {
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void unionAllKeepsEveryRowUnderTheFirstSourcesFields() {
        QueryResult first = result(fields("id:INT64", "name:VARCHAR"), row("1", "a"), row("1", "a"))
                .toBuilder().setRowsAffected(2).build();
        QueryResult second = result(fields("x:INT64", "y:VARCHAR"), row("2", null));
        QueryResult third = result(fields("x:INT64", "y:VARCHAR")).toBuilder().setRowsAffected(3).build();
        Concatenate union = new Concatenate(List.of(new FakePrimitive(first), new FakePrimitive(second),
                new FakePrimitive(third)));
        QueryResult out = union.execute(vcursor, Map.of());
        assertRows(out, "1|a", "1|a", "2|NULL");
        assertEquals(first.getFieldsList(), out.getFieldsList());
        assertEquals(5, out.getRowsAffected());
    }

    @Test
    void unionDistinctIsConcatenateUnderDistinct() {
        QueryResult first = result(fields("name:VARCHAR"), row("a"), row("b"));
        QueryResult second = result(fields("name:VARCHAR"), row("A"), row("c"), row("b"));
        Distinct union = new Distinct(new Concatenate(List.of(new FakePrimitive(first), new FakePrimitive(second))),
                List.of(), 0);
        assertRows(union.execute(vcursor, Map.of()), "a", "b", "c");
    }

    @Test
    void differentColumnCountsFailLikeMysql() {
        Concatenate union = new Concatenate(List.of(new FakePrimitive(result(fields("a:INT64"), row("1"))),
                new FakePrimitive(result(fields("a:INT64", "b:INT64"), row("1", "2")))));
        VtException e = assertThrows(VtException.class, () -> union.execute(vcursor, Map.of()));
        assertEquals(1222, e.errno());
        assertEquals("21000", e.sqlState());
        assertEquals("The used SELECT statements have a different number of columns", e.getMessage());
    }

    @Test
    void failsAboveTheMemoryLimit() {
        QueryResult two = result(fields("a:INT64"), row("1"), row("2"));
        Concatenate union = new Concatenate(List.of(new FakePrimitive(two), new FakePrimitive(two)));
        assertEquals(4, union.execute(new FakeVCursor(4), Map.of()).getRowsCount());
        VtException e = assertThrows(VtException.class, () -> union.execute(new FakeVCursor(3), Map.of()));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
    }

    @Test
    void passesBindVarsToEverySourceAndDescribes() {
        FakePrimitive a = new FakePrimitive(result(fields("a:INT64")));
        FakePrimitive b = new FakePrimitive(result(fields("a:INT64")));
        Concatenate union = new Concatenate(List.of(a, b));
        union.execute(vcursor, Map.of("v", TestResults.int64(1)));
        assertEquals(Map.of("v", TestResults.int64(1)), a.calls().getFirst());
        assertEquals(Map.of("v", TestResults.int64(1)), b.calls().getFirst());
        assertEquals("{\"OperatorType\":\"Concatenate\",\"Inputs\":[{\"OperatorType\":\"Fake\"},"
                + "{\"OperatorType\":\"Fake\"}]}", union.describeTree().toJson().toString());
        assertThrows(IllegalArgumentException.class, () -> new Concatenate(List.of()));
    }

    @Test
    void aColumnMixingDecimalAndIntegerSourcesBecomesDecimalOfTheWidestScale() {
        io.tessel.proto.Query.Field dec = io.tessel.proto.Query.Field.newBuilder().setName("amount")
                .setType(io.tessel.proto.Query.Type.DECIMAL).setDecimals(2).setColumnLength(12).build();
        QueryResult ints = result(fields("amount:INT32", "name:VARCHAR"), row("-96", "a"), row(null, "b"));
        QueryResult decimals = result(List.of(dec, fields("name:VARCHAR").getFirst()), row("1.50", "c"));
        QueryResult out = new Concatenate(List.of(new FakePrimitive(ints), new FakePrimitive(decimals)))
                .execute(vcursor, Map.of());
        assertRows(out, "-96.00|a", "NULL|b", "1.50|c"); // as MySQL's UNION of INT and DECIMAL(10,2)
        assertEquals(io.tessel.proto.Query.Type.DECIMAL, out.getFields(0).getType());
        assertEquals(2, out.getFields(0).getDecimals());
        assertEquals("amount", out.getFields(0).getName());
    }
}
