package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.bindVar;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.int64;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitTest {
    private static final QueryResult FIVE = result(fields("id:INT64"),
            row("1"), row("2"), row("3"), row("4"), row("5"));
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void keepsTheFirstCountRowsAndTellsTheInputTheUpperLimit() {
        FakePrimitive input = new FakePrimitive(FIVE);
        Limit limit = new Limit(input, new PlanValue.BindVar("n"), null);
        QueryResult out = limit.execute(vcursor, Map.of("n", int64(2)));
        assertRows(out, "1", "2");
        assertEquals(FIVE.getFieldsList(), out.getFieldsList());
        assertEquals(int64(2), input.calls().getFirst().get(Limit.UPPER_LIMIT_VAR));
        assertEquals(int64(2), input.calls().getFirst().get("n"));
    }

    @ParameterizedTest(name = "offset {0} count {1}")
    @CsvSource(delimiter = '|', value = {
        "1|2|2,3|3", "0|5|1,2,3,4,5|5", "4|10|5|14", "5|1||6", "9|1||10", "2|0||2", "0|0||0",
    })
    void keepsRowsFromOffset(long offset, long count, String expected, long upper) {
        FakePrimitive input = new FakePrimitive(FIVE);
        Limit limit = new Limit(input, new PlanValue.BindVar("n"), new PlanValue.BindVar("o"));
        QueryResult out = limit.execute(vcursor, Map.of("n", int64(count), "o", int64(offset)));
        assertRows(out, expected == null ? new String[0] : expected.split(","));
        assertEquals(1, out.getFieldsCount());
        assertEquals(int64(upper), input.calls().getFirst().get(Limit.UPPER_LIMIT_VAR));
    }

    @Test
    void allRowsWithinTheLimitPassUnchanged() {
        Limit limit = new Limit(new FakePrimitive(FIVE), new PlanValue.Literal(Value.ofInt64(10)), null);
        assertSame(FIVE, limit.execute(vcursor, Map.of()));
    }

    @Test
    void hugeUnsignedCountKeepsEverything() {
        Limit limit = new Limit(new FakePrimitive(FIVE), new PlanValue.BindVar("n"), new PlanValue.BindVar("o"));
        QueryResult out = limit.execute(vcursor, Map.of("n", bindVar(Type.UINT64, "18446744073709551615"),
                "o", int64(3)));
        assertRows(out, "4", "5");
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource(delimiter = '|', value = {
        "INT64|-1", "DECIMAL|1.5", "VARCHAR|abc", "FLOAT64|2.5", "NULL_TYPE|''",
    })
    void rejectsWhatIsNotANonNegativeInteger(Type type, String text) {
        Limit limit = new Limit(new FakePrimitive(FIVE), new PlanValue.BindVar("n"), null);
        Map<String, BindVariable> bindVars = Map.of("n", bindVar(type, text));
        VtException e = assertThrows(VtException.class, () -> limit.execute(vcursor, bindVars));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(true, e.getMessage().startsWith("LIMIT count must be a non-negative integer"), e.getMessage());
    }

    @Test
    void rejectsANegativeOffsetAndAMissingVar() {
        Limit limit = new Limit(new FakePrimitive(FIVE), new PlanValue.BindVar("n"), new PlanValue.BindVar("o"));
        VtException e = assertThrows(VtException.class,
                () -> limit.execute(vcursor, Map.of("n", int64(1), "o", int64(-3))));
        assertEquals(true, e.getMessage().startsWith("LIMIT offset"), e.getMessage());
        assertThrows(VtException.class, () -> limit.execute(vcursor, Map.of("n", int64(1))));
    }

    @Test
    void describes() {
        Limit limit = new Limit(new FakePrimitive(FIVE), new PlanValue.BindVar("vtg1"), new PlanValue.BindVar("vtg2"));
        assertEquals("{\"OperatorType\":\"Limit\",\"Count\":\":vtg1\",\"Offset\":\":vtg2\","
                + "\"Inputs\":[{\"OperatorType\":\"Fake\"}]}", limit.describeTree().toJson().toString());
        assertEquals("{\"OperatorType\":\"Limit\",\"Count\":\"INT64(3)\"}",
                new Limit(new FakePrimitive(FIVE), new PlanValue.Literal(Value.of(Type.INT64, "3")), null)
                        .describe().toJson().toString());
    }
}
