package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeSortTest {
    private static final List<Field> FIELDS = fields("n:INT64", "shard:VARCHAR");

    @Test
    void mergesSortedShardsKeepingShardOrderForTies() {
        QueryResult first = result(FIELDS, row(null, "s0"), row("1", "s0"), row("3", "s0"), row("3", "s0"));
        QueryResult second = result(FIELDS, row(null, "s1"), row("-5", "s1"), row("3", "s1"), row("7", "s1"));
        QueryResult third = result(FIELDS, row("1", "s2"), row("3", "s2"));
        QueryResult out = MergeSort.merge(List.of(first, second, third), List.of(OrderBy.asc(0)));
        assertRows(out, "NULL|s0", "NULL|s1", "-5|s1", "1|s0", "1|s2", "3|s0", "3|s0", "3|s1", "3|s2", "7|s1");
        assertEquals(FIELDS, out.getFieldsList());
    }

    @Test
    void mergesDescendingAndByMoreKeys() {
        QueryResult first = result(FIELDS, row("9", "b"), row("9", "a"), row("1", "z"));
        QueryResult second = result(FIELDS, row("9", "c"), row("2", "a"));
        QueryResult out = MergeSort.merge(List.of(first, second), List.of(OrderBy.desc(0), OrderBy.desc(1)));
        assertRows(out, "9|c", "9|b", "9|a", "2|a", "1|z");
    }

    @Test
    void mergesTextByWeightStrings() {
        List<Field> fields = fields("name:VARCHAR", "ws:VARBINARY");
        QueryResult first = result(fields, row("B", "1"), row("c", "3"));
        QueryResult second = result(fields, row("a", "0"), row("b", "1"), row("C", "3"));
        QueryResult out = MergeSort.merge(List.of(first, second), List.of(new OrderBy(0, 1, false)));
        assertRows(out, "a|0", "B|1", "b|1", "c|3", "C|3");
    }

    @Test
    void emptyShardsAndFieldsFromTheFirstShardThatHasThem() {
        QueryResult none = QueryResult.getDefaultInstance();
        QueryResult empty = result(FIELDS);
        QueryResult some = result(FIELDS, row("2", "x")).toBuilder().setRowsAffected(0).build();
        QueryResult out = MergeSort.merge(List.of(none, empty, some, empty), List.of(OrderBy.asc(0)));
        assertRows(out, "2|x");
        assertEquals(FIELDS, out.getFieldsList());
        QueryResult nothing = MergeSort.merge(List.of(empty, empty), List.of(OrderBy.asc(0)));
        assertEquals(FIELDS, nothing.getFieldsList());
        assertEquals(0, nothing.getRowsCount());
        assertEquals(0, MergeSort.merge(List.of(), List.of(OrderBy.asc(0))).getFieldsCount());
    }

    @Test
    void sumsRowsAffected() {
        QueryResult a = result(FIELDS, row("1", "a")).toBuilder().setRowsAffected(2).build();
        QueryResult b = result(FIELDS).toBuilder().setRowsAffected(3).build();
        assertEquals(5, MergeSort.merge(List.of(a, b), List.of(OrderBy.asc(0))).getRowsAffected());
    }
}
