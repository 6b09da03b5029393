package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.int64;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemorySortTest {
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void sortsNumbersNullFirstAscendingAndLastDescending() {
        QueryResult input = result(fields("n:INT64", "tag:VARCHAR"),
                row("10", "a"), row(null, "b"), row("-3", "c"), row("2", "d"), row("-20", "e"));
        assertRows(sort(input, OrderBy.asc(0)), "NULL|b", "-20|e", "-3|c", "2|d", "10|a");
        assertRows(sort(input, OrderBy.desc(0)), "10|a", "2|d", "-3|c", "-20|e", "NULL|b");
    }

    @Test
    void isStableForEqualKeys() {
        QueryResult input = result(fields("k:INT64", "seq:INT64"),
                row("2", "1"), row("1", "2"), row("2", "3"), row("1", "4"), row("2", "5"), row("1", "6"));
        assertRows(sort(input, OrderBy.asc(0)), "1|2", "1|4", "1|6", "2|1", "2|3", "2|5");
        assertRows(sort(input, OrderBy.desc(0)), "2|1", "2|3", "2|5", "1|2", "1|4", "1|6");
    }

    @Test
    void sortsUnsignedAboveTwoToTheSixtyThreeAndDecimalsExactly() {
        QueryResult unsigned = result(fields("u:UINT64"),
                row("18446744073709551615"), row("1"), row("9223372036854775808"), row("9223372036854775807"));
        assertRows(sort(unsigned, OrderBy.asc(0)),
                "1", "9223372036854775807", "9223372036854775808", "18446744073709551615");
        QueryResult decimals = result(fields("d:DECIMAL:20"), row("0.10000000000000000001"),
                row("0.1"), row("-0.5"), row("0.09999999999999999999"));
        assertRows(sort(decimals, OrderBy.asc(0)),
                "-0.5", "0.09999999999999999999", "0.1", "0.10000000000000000001");
    }

    @Test
    void sortsTextCaseInsensitivelyThenByASecondKey() {
        QueryResult input = result(fields("name:VARCHAR", "id:INT64"),
                row("b", "1"), row("A", "2"), row("a", "3"), row("B", "4"), row("é", "5"), row("d", "6"));
        assertRows(sort(input, OrderBy.asc(0), OrderBy.desc(1)), "a|3", "A|2", "B|4", "b|1", "d|6", "é|5");
    }

    @Test
    void sortsTextByWeightStringWhenGiven() {
        // the weight strings (a collation where 'z' sorts first) decide, not the fallback
        QueryResult input = result(fields("name:VARCHAR", "ws:VARBINARY"),
                row("a", "2"), row("z", "1"), row("m", "3"));
        assertRows(sort(input, new OrderBy(0, 1, false)), "z|1", "a|2", "m|3");
    }

    @Test
    void keepsOnlyTheUpperLimit() {
        QueryResult input = result(fields("n:INT64"), row("3"), row("1"), row("2"));
        MemorySort sort = new MemorySort(new FakePrimitive(input), List.of(OrderBy.asc(0)),
                new PlanValue.BindVar(Limit.UPPER_LIMIT_VAR));
        assertRows(sort.execute(vcursor, Map.of(Limit.UPPER_LIMIT_VAR, int64(2))), "1", "2");
        assertRows(sort.execute(vcursor, Map.of(Limit.UPPER_LIMIT_VAR, int64(10))), "1", "2", "3");
    }

    @Test
    void underALimitSortsThenCuts() {
        QueryResult input = result(fields("n:INT64"), row("5"), row("4"), row("3"), row("2"), row("1"));
        Limit limit = new Limit(new MemorySort(new FakePrimitive(input), List.of(OrderBy.asc(0)),
                new PlanValue.BindVar(Limit.UPPER_LIMIT_VAR)), new PlanValue.BindVar("n"), new PlanValue.BindVar("o"));
        assertRows(limit.execute(vcursor, Map.of("n", int64(2), "o", int64(1))), "2", "3");
    }

    @Test
    void emptyInputKeepsItsFields() {
        List<Field> fields = fields("n:INT64");
        QueryResult out = sort(result(fields), OrderBy.asc(0));
        assertEquals(fields, out.getFieldsList());
        assertEquals(0, out.getRowsCount());
    }

    @Test
    void failsAboveTheMemoryLimit() {
        QueryResult input = result(fields("n:INT64"), row("3"), row("1"), row("2"));
        MemorySort sort = new MemorySort(new FakePrimitive(input), List.of(OrderBy.asc(0)), null);
        assertRows(sort.execute(new FakeVCursor(3), Map.of()), "1", "2", "3");
        VtException e = assertThrows(VtException.class, () -> sort.execute(new FakeVCursor(2), Map.of()));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("in-memory row count exceeded allowed limit of 2", e.getMessage());
    }

    @Test
    void describes() {
        MemorySort sort = new MemorySort(new FakePrimitive(), List.of(new OrderBy(0, 2, false), OrderBy.desc(1)),
                new PlanValue.BindVar(Limit.UPPER_LIMIT_VAR));
        assertEquals("{\"OperatorType\":\"Sort\",\"Variant\":\"Memory\",\"OrderBy\":\"(0|2) ASC, 1 DESC\","
                + "\"UpperLimit\":\":__upper_limit\"}", sort.describe().toJson().toString());
        assertThrows(IllegalArgumentException.class, () -> new MemorySort(new FakePrimitive(), List.of(), null));
    }

    private QueryResult sort(QueryResult input, OrderBy... order) {
        return new MemorySort(new FakePrimitive(input), List.of(order), null).execute(vcursor, Map.of());
    }
}
