package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.names;
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

class DistinctTest {
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void keepsTheFirstOfEachSetOfEqualRowsInInputOrder() {
        QueryResult input = result(fields("n:INT64", "d:DECIMAL:2"),
                row("3", "1.50"), row("1", null), row("3", "1.5"), row(null, null), row("1", null), row(null, null),
                row("-1", "1.50"));
        Distinct distinct = new Distinct(new FakePrimitive(input), List.of(), 0);
        assertRows(distinct.execute(vcursor, Map.of()), "3|1.50", "1|NULL", "NULL|NULL", "-1|1.50");
    }

    @Test
    void textIsEqualUnderItsCollationOrItsWeightString() {
        QueryResult input = result(fields("name:VARCHAR", "ws:VARBINARY"),
                row("abc", "x"), row("ABC ", "x"), row("Abç", "y"), row("abd", "z"));
        Distinct byCollation = new Distinct(new FakePrimitive(input), List.of(DistinctColumn.of(0)), 1);
        QueryResult out = byCollation.execute(vcursor, Map.of());
        assertRows(out, "abc", "abd");
        assertEquals(List.of("name"), names(out));
        Distinct byWeight = new Distinct(new FakePrimitive(input), List.of(new DistinctColumn(0, 1)), 1);
        assertRows(byWeight.execute(vcursor, Map.of()), "abc", "Abç", "abd");
    }

    @Test
    void unsignedAndSignedNumbersCompareByValue() {
        QueryResult input = result(fields("u:UINT64", "i:INT64"),
                row("18446744073709551615", "-1"), row("18446744073709551615", "-1"), row("1", "1"), row("01", "1"));
        assertRows(new Distinct(new FakePrimitive(input), List.of(), 0).execute(vcursor, Map.of()),
                "18446744073709551615|-1", "1|1");
    }

    @Test
    void emptyColumnListWithTruncateComparesOnlyTheKeptColumns() {
        QueryResult input = result(fields("a:INT64", "extra:INT64"), row("1", "1"), row("1", "2"), row("2", "3"));
        assertRows(new Distinct(new FakePrimitive(input), List.of(), 1).execute(vcursor, Map.of()), "1", "2");
    }

    @Test
    void failsWhenTheDistinctRowsExceedTheMemoryLimit() {
        QueryResult input = result(fields("a:INT64"), row("1"), row("1"), row("2"), row("2"), row("3"));
        Distinct distinct = new Distinct(new FakePrimitive(input), List.of(), 0);
        assertRows(distinct.execute(new FakeVCursor(3), Map.of()), "1", "2", "3");
        VtException e = assertThrows(VtException.class, () -> distinct.execute(new FakeVCursor(2), Map.of()));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("in-memory row count exceeded allowed limit of 2", e.getMessage());
    }

    @Test
    void describes() {
        Distinct distinct = new Distinct(new FakePrimitive(), List.of(new DistinctColumn(0, 2), DistinctColumn.of(1)), 2);
        assertEquals("{\"OperatorType\":\"Distinct\",\"Columns\":[\"(0|2)\",\"1\"],\"ResultColumns\":2}",
                distinct.describe().toJson().toString());
    }
}
