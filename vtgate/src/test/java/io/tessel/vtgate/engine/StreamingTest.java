package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.fields;
import static io.tessel.vtgate.engine.TestResults.int64;
import static io.tessel.vtgate.engine.TestResults.result;
import static io.tessel.vtgate.engine.TestResults.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.evalengine.ArithmeticOp;
import io.tessel.vtgate.evalengine.ComparisonOp;
import io.tessel.vtgate.evalengine.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Streaming execution ({@code workload = 'olap'}): routes, merge sorts, limits, projections and filters send
 * their results in parts from shards that stream, hold a bounded number of parts however many rows pass
 * (the cursor's memory row limit is 10, far below the results), and stop and cancel the shards when the
 * consumer wants no more.
 */
class StreamingTest {
    private static final List<Field> FIELDS = fields("n:INT64", "shard:VARCHAR");
    private static final int ROWS_PER_SHARD = 500;
    private static final int ROWS_PER_PART = 10;

    /**
     * Three shards of sorted numbers with ties across shards, each row with a 100-byte text so a merge sends
     * several parts (about 300 rows each); the 40-80 shard also has a NULL.
     */
    private static Map<String, QueryResult> shards() {
        Map<String, QueryResult> out = new LinkedHashMap<>();
        Random random = new Random(42);
        for (String shard : List.of("-40", "40-80", "80-")) {
            long[] values = random.longs(ROWS_PER_SHARD, -1000, 1000).sorted().toArray();
            List<String[]> rows = new ArrayList<>();
            String text = shard + "-".repeat(100 - shard.length());
            if (shard.equals("40-80")) {
                rows.add(new String[] {null, text});
            }
            Arrays.stream(values).forEach(v -> rows.add(new String[] {Long.toString(v), text}));
            out.put(shard, result(FIELDS, rows.toArray(String[][]::new)));
        }
        return out;
    }

    private static Route scatter(List<OrderBy> order) {
        return new Route(new RouteParams(RouteOpcode.SCATTER, "ks", "select n, shard from t", "", "t", null, null,
                List.of(), order, null, false));
    }

    /** Every part the stream sends, after checking that only the first carries fields. */
    private static List<QueryResult> stream(Primitive p, StreamingCursor cursor, Predicate<QueryResult> sink) {
        List<QueryResult> parts = new ArrayList<>();
        p.stream(cursor, Map.of(), part -> {
            assertEquals(parts.isEmpty(), part.getFieldsCount() > 0, "fields in the first part only");
            parts.add(part);
            return sink.test(part);
        });
        return parts;
    }

    private static List<String> allRows(List<QueryResult> parts) {
        return parts.stream().flatMap(part -> rows(part).stream()).toList();
    }

    @Test
    void aScatterOrderByMergeSortsTheShardsStreams() {
        Map<String, QueryResult> shards = shards();
        StreamingCursor cursor = new StreamingCursor(shards, ROWS_PER_PART, null);
        List<QueryResult> parts = stream(scatter(List.of(OrderBy.asc(0))), cursor, part -> true);
        QueryResult expected = MergeSort.merge(List.copyOf(shards.values()), List.of(OrderBy.asc(0)));
        assertEquals(FIELDS, parts.getFirst().getFieldsList());
        assertEquals(rows(expected), allRows(parts), "the merged order, ties in shard order");
        assertTrue(parts.size() > 2, "rows go out in parts: " + parts.size());
        assertEquals(3 * (ROWS_PER_SHARD / ROWS_PER_PART + 1) + 1, cursor.partsProduced.get());
    }

    @Test
    void aScatterWithoutOrderSendsEveryShardsRowsOnceWithOneSetOfFields() {
        Map<String, QueryResult> shards = shards();
        List<QueryResult> parts = stream(scatter(List.of()), new StreamingCursor(shards, ROWS_PER_PART, null), p -> true);
        List<String> expected = new ArrayList<>(shards.values().stream().flatMap(r -> rows(r).stream()).toList());
        List<String> got = new ArrayList<>(allRows(parts));
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got);
        assertEquals(FIELDS, parts.getFirst().getFieldsList());
    }

    @Test
    void aSlowReaderHoldsTheShardsBackToTheirQueues() throws Exception {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        int[] rowsSent = {0};
        int shards = 3;
        stream(scatter(List.of(OrderBy.asc(0))), cursor, part -> {
            if (part.getFieldsCount() > 0) { // the merge has taken each shard's first part and nothing more
                pause(); // the producers run ahead as far as their queues let them
                assertTrue(cursor.partsProduced.get() <= shards * (1 + ShardStreams.QUEUE_PARTS),
                        cursor.partsProduced.get() + " parts produced before any row was sent");
            }
            rowsSent[0] += part.getRowsCount();
            pause();
            // each shard: its fields part, the part its merge cursor reads, a full queue
            int bound = rowsSent[0] / ROWS_PER_PART + shards * (ShardStreams.QUEUE_PARTS + 2);
            assertTrue(cursor.partsProduced.get() <= bound, cursor.partsProduced.get() + " parts produced, "
                    + rowsSent[0] + " rows sent");
            return true;
        });
    }

    /** Gives the producer threads time to run ahead; the assertions hold however far they got. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLimitStopsTheShardsOnceItHasItsRows() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        Map<String, QueryResult> shards = shards();
        Limit limit = new Limit(scatter(List.of(OrderBy.asc(0))), lit(5), lit(2));
        List<QueryResult> parts = stream(limit, cursor, p -> true);
        List<String> merged = rows(MergeSort.merge(List.copyOf(shards.values()), List.of(OrderBy.asc(0))));
        assertEquals(merged.subList(2, 7), allRows(parts));
        assertTrue(cursor.isCancelled.get(), "the shards' calls are cancelled");
        // the first merged part (about 300 rows) ends it: about 30 parts and what the queues hold, not all 154
        assertTrue(cursor.partsProduced.get() < 60, "produced " + cursor.partsProduced.get() + " parts");
    }

    @Test
    void limitZeroSendsTheFieldsOnly() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        List<QueryResult> parts = stream(new Limit(scatter(List.of()), lit(0), null), cursor, p -> true);
        assertEquals(1, parts.size());
        assertEquals(FIELDS, parts.getFirst().getFieldsList());
        assertEquals(0, parts.getFirst().getRowsCount());
        assertTrue(cursor.isCancelled.get());
    }

    @Test
    void aSinkThatWantsNoMoreStopsTheStream() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        List<QueryResult> parts = stream(scatter(List.of()), cursor, part -> part.getRowsCount() == 0);
        assertEquals(2, parts.size(), "the fields, then one part of rows");
        assertTrue(cursor.isCancelled.get());
    }

    @Test
    void aFailingShardFailsTheStreamAndCancelsTheOthers() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, "40-80");
        VtException e = assertThrows(VtException.class, () -> scatter(List.of(OrderBy.asc(0))).stream(cursor, Map.of(),
                part -> true));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(cursor.isCancelled.get());
    }

    @Test
    void aSimpleProjectionCutsEveryPart() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        List<QueryResult> parts = stream(new SimpleProjection(scatter(List.of(OrderBy.asc(0))), 1, -1), cursor,
                p -> true);
        assertEquals(List.of("shard"), parts.getFirst().getFieldsList().stream().map(Field::getName).toList());
        assertEquals(3 * ROWS_PER_SHARD + 1, allRows(parts).size());
        assertFalse(allRows(parts).stream().anyMatch(r -> r.contains("|")), "one column in every row");
    }

    @Test
    void filtersAndProjectionsStreamWhatTheyExecute() {
        QueryResult one = shards().get("40-80");
        Map<String, QueryResult> single = Map.of("0", one);
        Route unsharded = new Route(RouteParams.of(RouteOpcode.UNSHARDED, "ks", "select n, shard from t", "", false));
        Primitive plan = new Projection(new Filter(unsharded, new Expr.Comparison(ComparisonOp.GREATER,
                new Expr.Column(0), new Expr.BindVar("v1"))),
                List.of(new Expr.Arithmetic(ArithmeticOp.ADD, new Expr.Column(0), new Expr.Column(0)), new Expr.Column(1)),
                java.util.Arrays.asList("twice", null));
        StreamingCursor cursor = new StreamingCursor(single, ROWS_PER_PART, null);
        List<QueryResult> parts = new ArrayList<>();
        plan.stream(cursor, Map.of("v1", int64(0)), part -> parts.add(part));
        QueryResult executed = plan.execute(cursor, Map.of("v1", int64(0)));
        assertEquals(rows(executed), allRows(parts));
        assertEquals(executed.getFieldsList(), parts.getFirst().getFieldsList());
        assertTrue(parts.size() > 2);
    }

    /** Stream and execute give the same rows and fields; the stream sends fields once, first. */
    private static List<QueryResult> assertStreamsAsItExecutes(Primitive plan, StreamingCursor cursor) {
        List<QueryResult> parts = stream(plan, cursor, p -> true);
        QueryResult executed = plan.execute(new StreamingCursor(shards(), ROWS_PER_PART, null) {
            @Override
            public long maxMemoryRows() {
                return Long.MAX_VALUE; // execute holds the whole input; the stream must not need to
            }
        }, Map.of());
        assertEquals(executed.getFieldsList(), parts.getFirst().getFieldsList());
        assertEquals(rows(executed), allRows(parts));
        return parts;
    }

    @Test
    void anOrderedAggregateSendsEachGroupOnceItIsComplete() {
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null);
        Aggregate maxByN = new Aggregate(scatter(List.of(OrderBy.asc(0))), AggregateVariant.ORDERED,
                List.of(new AggregateParam(AggregateOpcode.MAX, 1, null)), List.of(GroupByParam.of(0)), 0);
        List<QueryResult> parts = assertStreamsAsItExecutes(maxByN, cursor);
        assertTrue(parts.size() > 2, "groups go out as they complete: " + parts.size() + " parts");
        long groups = shards().values().stream().flatMap(r -> rows(r).stream())
                .map(r -> r.substring(0, r.indexOf('|'))).distinct().count();
        assertEquals(groups, allRows(parts).size(), "one row per value of n");
    }

    @Test
    void aScalarAggregateSendsOneRowAtTheEnd() {
        Aggregate max = new Aggregate(scatter(List.of(OrderBy.asc(0))), AggregateVariant.SCALAR,
                List.of(new AggregateParam(AggregateOpcode.MAX, 1, null)), List.of(), 0);
        List<String> rows = allRows(assertStreamsAsItExecutes(max, new StreamingCursor(shards(), ROWS_PER_PART, null)));
        assertEquals(List.of("NULL|80-" + "-".repeat(97)), rows, "the first row's n, the largest shard text");
    }

    @Test
    void distinctStreamsTheRowsNotSeenBefore() {
        Distinct distinct = new Distinct(new SimpleProjection(scatter(List.of(OrderBy.asc(0))), 1, -1), List.of(), 0);
        List<QueryResult> parts = assertStreamsAsItExecutes(distinct, new StreamingCursor(shards(), ROWS_PER_PART, null));
        assertEquals(3, allRows(parts).size(), "one row per shard name");
    }

    @Test
    void aMemorySortReadsItsInputAsAStreamWithinTheMemoryLimit() {
        Map<String, QueryResult> small = new LinkedHashMap<>();
        small.put("-40", result(FIELDS, new String[] {"3", "a"}, new String[] {"1", "a"}));
        small.put("80-", result(FIELDS, new String[] {"2", "b"}, new String[] {"0", "b"}));
        MemorySort sort = new MemorySort(scatter(List.of()), List.of(OrderBy.asc(0)), null);
        StreamingCursor cursor = new StreamingCursor(small, 1, null);
        List<String> sorted = allRows(stream(sort, cursor, p -> true));
        assertEquals(List.of("0|b", "1|a", "2|b", "3|a"), sorted);
        VtException e = assertThrows(VtException.class, () -> stream(sort, new StreamingCursor(shards(), ROWS_PER_PART,
                null), p -> true));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code(), "the memory row limit (10) still holds");
    }

    @Test
    void aJoinStreamsItsLeftSideAndRunsTheRightPerRow() {
        Join join = new Join(scatter(List.of(OrderBy.asc(0))), new FakeRight(), JoinOpcode.INNER, List.of(-1, 1),
                Map.of("n", 0));
        StreamingCursor cursor = new StreamingCursor(shards(), ROWS_PER_PART, null) {
            @Override
            public long maxMemoryRows() {
                return 400; // a merged part's joined rows (about 300), not the whole result
            }
        };
        List<QueryResult> parts = assertStreamsAsItExecutes(join, cursor);
        assertTrue(parts.size() > 2, parts.size() + " parts");
        assertEquals(List.of("n", "m"), parts.getFirst().getFieldsList().stream().map(Field::getName).toList());
        List<String> rows = allRows(parts);
        assertEquals(3 * ROWS_PER_SHARD + 1, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.equals("NULL|NULL") || Long.parseLong(r.substring(0, r.indexOf('|')))
                + 1 == Long.parseLong(r.substring(r.indexOf('|') + 1))), "m = n + 1 on every row");
    }

    /** A right side that returns one row, {@code m = :n + 1} (NULL for NULL), without reaching any shard. */
    private record FakeRight() implements Primitive {
        @Override
        public QueryResult execute(VCursor vcursor, Map<String, io.tessel.proto.Query.BindVariable> bindVars) {
            io.tessel.proto.Query.BindVariable n = bindVars.get("n");
            String m = n.getValue().isEmpty() ? null : Long.toString(Long.parseLong(n.getValue().toStringUtf8()) + 1);
            return result(fields("m:INT64"), new String[] {m});
        }

        @Override
        public List<Primitive> inputs() {
            return List.of();
        }

        @Override
        public PlanDescription describe() {
            return PlanDescription.of("FakeRight", "", "", Map.of());
        }
    }

    private static PlanValue lit(long v) {
        return new PlanValue.Literal(io.tessel.vtgate.vindex.Value.ofInt64(v));
    }
}
