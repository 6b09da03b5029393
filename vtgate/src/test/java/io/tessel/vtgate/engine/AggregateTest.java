package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.names;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregateTest {
    private final FakeVCursor vcursor = new FakeVCursor();

    @Test
    void orderedMergesPartialAggregatesPerGroupAndCutsWeightStrings() {
        // shard rows of: select name, count(*), sum(price), min(price), max(price), weight_string(name) ... group by name
        QueryResult input = result(fields("name:VARCHAR", "count(*):INT64", "sum(price):DECIMAL:2",
                "min(price):DECIMAL:2", "max(price):DECIMAL:2", "ws:VARBINARY"),
                row("apple", "2", "3.50", "1.00", "2.50", "A"),
                row("Apple", "1", "-1.25", "-1.25", "-1.25", "A"),
                row("pear", "3", "30.00", "5.00", "15.00", "P"),
                row("Pear", "0", null, null, null, "P"),
                row("plum", "1", "0.01", "0.01", "0.01", "Q"));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED, List.of(
                new AggregateParam(AggregateOpcode.COUNT_STAR, 1, null),
                new AggregateParam(AggregateOpcode.SUM, 2, null),
                new AggregateParam(AggregateOpcode.MIN, 3, null),
                new AggregateParam(AggregateOpcode.MAX, 4, "biggest")),
                List.of(new GroupByParam(0, 5)), 5);
        QueryResult out = aggregate.execute(vcursor, Map.of());
        assertRows(out, "apple|3|2.25|-1.25|2.50", "pear|3|30.00|5.00|15.00", "plum|1|0.01|0.01|0.01");
        assertEquals(List.of("name", "count(*)", "sum(price)", "min(price)", "biggest"), names(out));
        assertEquals(Type.INT64, out.getFields(1).getType());
        assertEquals(Type.DECIMAL, out.getFields(2).getType());
        assertEquals(2, out.getFields(2).getDecimals());
        assertEquals(Type.DECIMAL, out.getFields(3).getType());
    }

    @Test
    void groupsEqualTextUnderTheCollationWithoutWeightStrings() {
        QueryResult input = result(fields("name:VARCHAR", "c:INT64"),
                row("a", "1"), row("A ", "2"), row("á", "4"), row("b", "8"), row(null, "16"), row(null, "32"));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED,
                List.of(new AggregateParam(AggregateOpcode.COUNT, 1, null)), List.of(GroupByParam.of(0)), 0);
        // NULL keys group together; rows come from the shards sorted, so a NULL run at the end is one group
        assertRows(aggregate.execute(vcursor, Map.of()), "a|7", "b|8", "NULL|48");
    }

    @Test
    void groupsByNumbersAcrossTypesAndByTwoKeys() {
        QueryResult input = result(fields("a:INT64", "b:DECIMAL:1", "c:INT64"),
                row("1", "1.0", "1"), row("1", "1.00", "2"), row("1", "2.0", "4"), row("2", "2.0", "8"));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED,
                List.of(new AggregateParam(AggregateOpcode.SUM, 2, null)),
                List.of(GroupByParam.of(0), GroupByParam.of(1)), 0);
        QueryResult out = aggregate.execute(vcursor, Map.of());
        assertRows(out, "1|1.0|3", "1|2.0|4", "2|2.0|8");
        assertEquals(Type.DECIMAL, out.getFields(2).getType());
        assertEquals(0, out.getFields(2).getDecimals());
    }

    @Test
    void scalarWithoutRowsGivesOneRowOfZeroCountsAndNulls() {
        QueryResult input = result(fields("count(*):INT64", "count(x):INT64", "sum(x):DECIMAL", "min(x):INT64",
                "max(x):INT64", "count(distinct y):INT64", "y:VARCHAR"));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.SCALAR, List.of(
                new AggregateParam(AggregateOpcode.COUNT_STAR, 0, null),
                new AggregateParam(AggregateOpcode.COUNT, 1, null),
                new AggregateParam(AggregateOpcode.SUM, 2, null),
                new AggregateParam(AggregateOpcode.MIN, 3, null),
                new AggregateParam(AggregateOpcode.MAX, 4, null),
                new AggregateParam(AggregateOpcode.COUNT_DISTINCT, 5, null)), List.of(), 6);
        QueryResult out = aggregate.execute(vcursor, Map.of());
        assertRows(out, "0|0|NULL|NULL|NULL|0");
        assertEquals(6, out.getFieldsCount());
    }

    @Test
    void scalarSumsIntegersAsExactDecimalsAndFloatsAsDoubles() {
        QueryResult input = result(fields("si:INT64", "su:UINT64", "sd:DECIMAL:3", "sf:FLOAT64", "sn:DECIMAL"),
                row("9223372036854775807", "18446744073709551615", "0.001", "0.1", null),
                row("9223372036854775807", "18446744073709551615", "-1.5", "0.2", null),
                row("-5", "1", "2", "1e300", null));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.SCALAR, List.of(
                new AggregateParam(AggregateOpcode.SUM, 0, null), new AggregateParam(AggregateOpcode.SUM, 1, null),
                new AggregateParam(AggregateOpcode.SUM, 2, null), new AggregateParam(AggregateOpcode.SUM, 3, null),
                new AggregateParam(AggregateOpcode.SUM, 4, null)), List.of(), 0);
        QueryResult out = aggregate.execute(vcursor, Map.of());
        assertRows(out, "18446744073709551609|36893488147419103231|0.501|1e300|NULL");
        assertEquals(List.of(Type.DECIMAL, Type.DECIMAL, Type.DECIMAL, Type.FLOAT64, Type.DECIMAL),
                out.getFieldsList().stream().map(Field::getType).toList());
        assertEquals(3, out.getFields(2).getDecimals());
    }

    @Test
    void minAndMaxAcrossSignsUnsignedAndTextWeights() {
        QueryResult input = result(fields("i:INT64", "u:UINT64", "t:VARCHAR", "ws:VARBINARY", "f:FLOAT64"),
                row("-1", "9223372036854775808", "b", "2", "1.5"),
                row(null, "18446744073709551615", "C", "3", "-2e10"),
                row("-10", "1", "a", "1", null),
                row("3", null, null, null, "0"));
        Aggregate min = new Aggregate(new FakePrimitive(input), AggregateVariant.SCALAR, List.of(
                new AggregateParam(AggregateOpcode.MIN, 0, null), new AggregateParam(AggregateOpcode.MIN, 1, null),
                new AggregateParam(AggregateOpcode.MIN, 2, 3, null), new AggregateParam(AggregateOpcode.MIN, 4, null)),
                List.of(), 0);
        assertRows(min.execute(vcursor, Map.of()), "-10|1|a|1|-2e10");
        Aggregate max = new Aggregate(new FakePrimitive(input), AggregateVariant.SCALAR, List.of(
                new AggregateParam(AggregateOpcode.MAX, 0, null), new AggregateParam(AggregateOpcode.MAX, 1, null),
                new AggregateParam(AggregateOpcode.MAX, 2, 3, null), new AggregateParam(AggregateOpcode.MAX, 4, null)),
                List.of(), 0);
        assertRows(max.execute(vcursor, Map.of()), "3|18446744073709551615|C|3|1.5");
    }

    @Test
    void countAndSumDistinctValuesOfSortedInput() {
        // select k, x, weight_string(x) ... group by k, x order by k, x: vtgate counts distinct x per k
        QueryResult input = result(fields("k:INT64", "x:VARCHAR", "ws:VARBINARY"),
                row("1", null, null), row("1", "a", "A"), row("1", "A", "A"), row("1", "b", "B"),
                row("2", "10", "10"), row("2", "10.0", "10"), row("2", "2.5", "2.5"));
        Aggregate count = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED,
                List.of(new AggregateParam(AggregateOpcode.COUNT_DISTINCT, 1, 2, "n")), List.of(GroupByParam.of(0)), 2);
        assertRows(count.execute(vcursor, Map.of()), "1|2", "2|2");
        QueryResult numbers = result(fields("x:DECIMAL:1"),
                row((String) null), row("1.0"), row("1.0"), row("2.5"), row("2.5"), row("-4.0"));
        Aggregate sum = new Aggregate(new FakePrimitive(numbers), AggregateVariant.SCALAR,
                List.of(new AggregateParam(AggregateOpcode.SUM_DISTINCT, 0, null)), List.of(), 0);
        QueryResult out = sum.execute(vcursor, Map.of());
        assertRows(out, "-0.5");
        assertEquals(Type.DECIMAL, out.getFields(0).getType());
    }

    @Test
    void anyValueAndGroupConcat() {
        QueryResult input = result(fields("k:INT64", "v:VARCHAR", "g:VARCHAR"),
                row("1", "first", "a,b"), row("1", "second", null), row("1", "third", "c"), row("2", null, null));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED, List.of(
                new AggregateParam(AggregateOpcode.ANY_VALUE, 1, null),
                new AggregateParam(AggregateOpcode.GROUP_CONCAT, 2, null)), List.of(GroupByParam.of(0)), 0);
        assertRows(aggregate.execute(vcursor, Map.of()), "1|first|a,b,c", "2|NULL|NULL");
    }

    @Test
    void orderedWithoutRowsGivesNoRows() {
        QueryResult input = result(fields("k:INT64", "c:INT64"));
        Aggregate aggregate = new Aggregate(new FakePrimitive(input), AggregateVariant.ORDERED,
                List.of(new AggregateParam(AggregateOpcode.COUNT, 1, null)), List.of(GroupByParam.of(0)), 0);
        QueryResult out = aggregate.execute(vcursor, Map.of());
        assertEquals(0, out.getRowsCount());
        assertEquals(List.of("k", "c"), names(out));
    }

    @Test
    void describesAndValidates() {
        Aggregate aggregate = new Aggregate(new FakePrimitive(), AggregateVariant.ORDERED, List.of(
                new AggregateParam(AggregateOpcode.COUNT_STAR, 1, "count(*)"),
                new AggregateParam(AggregateOpcode.MAX, 2, 4, null)), List.of(new GroupByParam(0, 3)), 3);
        assertEquals("{\"OperatorType\":\"Aggregate\",\"Variant\":\"Ordered\",\"Aggregates\":"
                + "\"count_star(1) AS count(*), max(2|4)\",\"GroupBy\":\"(0|3)\",\"ResultColumns\":3}",
                aggregate.describe().toJson().toString());
        assertThrows(IllegalArgumentException.class, () -> new Aggregate(new FakePrimitive(), AggregateVariant.SCALAR,
                List.of(), List.of(GroupByParam.of(0)), 0));
        assertThrows(IllegalArgumentException.class, () -> new AggregateParam(AggregateOpcode.SUM, -1, null));
        Aggregate outside = new Aggregate(new FakePrimitive(result(fields("a:INT64"))), AggregateVariant.SCALAR,
                List.of(new AggregateParam(AggregateOpcode.SUM, 3, null)), List.of(), 0);
        assertThrows(IllegalStateException.class, () -> outside.execute(vcursor, Map.of()));
    }
}
