package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.names;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.evalengine.ArithmeticOp;
import io.tessel.vtgate.evalengine.Expr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionTest {
    private static final Expr AVG = new Expr.Arithmetic(ArithmeticOp.DIVIDE, new Expr.Column(1), new Expr.Column(2));
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void computesAvgFromMergedSumAndCount() {
        QueryResult input = result(fields("k:VARCHAR", "sum(x):DECIMAL:2", "count(x):INT64"),
                row("a", "10.00", "3"), row("b", null, "0"), row("c", "-1.50", "2"));
        Projection projection = new Projection(new FakePrimitive(input), List.of(new Expr.Column(0), AVG),
                List.of("key", "avg(x)"));
        QueryResult out = projection.execute(vcursor, Map.of());
        assertRows(out, "a|3.333333", "b|NULL", "c|-0.750000");
        assertEquals(List.of("key", "avg(x)"), names(out));
        assertEquals(Type.VARCHAR, out.getFields(0).getType());
        assertEquals(45, out.getFields(0).getCharset());
        assertEquals(Type.DECIMAL, out.getFields(1).getType());
        assertEquals(6, out.getFields(1).getDecimals());
    }

    @Test
    void avgOfIntegersHasFourDecimals() {
        QueryResult input = result(fields("sum(x):DECIMAL", "count(x):INT64"), row("7", "2"));
        Projection projection = new Projection(new FakePrimitive(input), List.of(new Expr.Arithmetic(
                ArithmeticOp.DIVIDE, new Expr.Column(0), new Expr.Column(1))), List.of("avg(x)"));
        QueryResult out = projection.execute(vcursor, Map.of());
        assertRows(out, "3.5000");
        assertEquals(4, out.getFields(0).getDecimals());
    }

    @Test
    void emptyInputStillHasFields() {
        QueryResult input = result(fields("k:VARCHAR", "sum(x):DECIMAL:2", "count(x):INT64"));
        QueryResult out = new Projection(new FakePrimitive(input), List.of(AVG), List.of("avg(x)"))
                .execute(vcursor, Map.of());
        assertEquals(0, out.getRowsCount());
        assertEquals(Type.DECIMAL, out.getFields(0).getType());
    }

    @Test
    void evaluationErrorsFail() {
        QueryResult input = result(fields("a:INT64"), row("9223372036854775807"));
        Projection projection = new Projection(new FakePrimitive(input), List.of(new Expr.Arithmetic(ArithmeticOp.ADD,
                new Expr.Column(0), new Expr.Column(0))), List.of("twice"));
        VtException e = assertThrows(VtException.class, () -> projection.execute(vcursor, Map.of()));
        assertEquals("BIGINT value is out of range in '(`a` + `a`)'", e.getMessage());
    }

    @Test
    void describesAndValidates() {
        Projection projection = new Projection(new FakePrimitive(), List.of(new Expr.Column(0), AVG),
                List.of("k", "avg(x)"));
        assertEquals("{\"OperatorType\":\"Projection\",\"Expressions\":[\"[COLUMN 0] as k\","
                + "\"([COLUMN 1] / [COLUMN 2]) as avg(x)\"]}", projection.describe().toJson().toString());
        assertThrows(IllegalArgumentException.class,
                () -> new Projection(new FakePrimitive(), List.of(AVG), List.of("a", "b")));
    }
}
