package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.int64;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.evalengine.ComparisonOp;
import io.tessel.vtgate.evalengine.Expr;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void keepsRowsWherePredicateIsTrueNotNullOrFalse() {
        // HAVING count(*) > :v1 over merged groups
        QueryResult input = result(fields("k:VARCHAR", "c:INT64"),
                row("a", "1"), row("b", "5"), row("c", null), row("d", "2"), row("e", "3"));
        Filter filter = new Filter(new FakePrimitive(input), new Expr.Comparison(ComparisonOp.GREATER,
                new Expr.Column(1), new Expr.BindVar("v1")));
        QueryResult out = filter.execute(vcursor, Map.of("v1", int64(2)));
        assertRows(out, "b|5", "e|3");
        assertEquals(input.getFieldsList(), out.getFieldsList());
    }

    @Test
    void aValueIsItsOwnTruth() {
        QueryResult input = result(fields("v:VARCHAR"), row("0"), row("1"), row("abc"), row("2x"), row((String) null), row("0.0"));
        assertRows(new Filter(new FakePrimitive(input), new Expr.Column(0)).execute(vcursor, Map.of()), "1", "2x");
    }

    @Test
    void describes() {
        Filter filter = new Filter(new FakePrimitive(), new Expr.Comparison(ComparisonOp.GREATER,
                new Expr.Column(1), new Expr.BindVar("v1")));
        assertEquals("{\"OperatorType\":\"Filter\",\"Predicate\":\"([COLUMN 1] > :v1)\"}",
                filter.describe().toJson().toString());
    }
}
