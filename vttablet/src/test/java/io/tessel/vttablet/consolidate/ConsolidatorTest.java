package io.tessel.vttablet.consolidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.IncludedFields;
import io.tessel.proto.Query.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConsolidatorTest {
    static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();
    static final QueryResult RESULT = QueryResult.newBuilder().setRowsAffected(7).build();

    /** A query that counts its executions and blocks until released. */
    static final class GatedQuery {
        final AtomicInteger executions = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        volatile RuntimeException failure;

        QueryResult run() {
            executions.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw failure;
            }
            return RESULT;
        }
    }

    static void awaitTrue(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    static List<CompletableFuture<QueryResult>> callers(int n, Consolidator c, Consolidator.Key key, GatedQuery q) {
        List<CompletableFuture<QueryResult>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<QueryResult> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(c.run(key, q::run));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            out.add(f);
        }
        return out;
    }

    @Test
    void identicalQueriesInFlightRunOnceAndShareTheResult() {
        Consolidator c = new Consolidator(0, 10);
        GatedQuery q = new GatedQuery();
        Consolidator.Key key = new Consolidator.Key("select 1", OPTIONS);
        List<CompletableFuture<QueryResult>> results = callers(20, c, key, q);
        awaitTrue(() -> c.waiters() == 19);
        assertEquals(1, q.executions.get());
        q.gate.countDown();
        results.forEach(f -> assertSame(RESULT, f.join()));
        assertEquals(19, c.consolidations());
        assertEquals(0, c.waiters());
        assertEquals(0, c.inFlight(), "the entry is gone once the query completed");
        assertEquals(List.of(new ConsolidatedQueries.Count("select 1", 19)), c.topQueries());
    }

    @Test
    void aQueryArrivingAfterCompletionRunsAgain() {
        Consolidator c = new Consolidator(0, 10);
        AtomicInteger executions = new AtomicInteger();
        Consolidator.Key key = new Consolidator.Key("select 1", OPTIONS);
        c.run(key, () -> RESULT.toBuilder().setRowsAffected(executions.incrementAndGet()).build());
        QueryResult second = c.run(key, () -> RESULT.toBuilder().setRowsAffected(executions.incrementAndGet()).build());
        assertEquals(2, second.getRowsAffected());
        assertEquals(0, c.consolidations());
    }

    @Test
    void differentSqlOrOptionsAreNotConsolidated() {
        Consolidator c = new Consolidator(0, 10);
        GatedQuery q = new GatedQuery();
        ExecuteOptions all = ExecuteOptions.newBuilder().setIncludedFields(IncludedFields.ALL).build();
        List<CompletableFuture<QueryResult>> results = new ArrayList<>();
        results.addAll(callers(1, c, new Consolidator.Key("select 1", OPTIONS), q));
        results.addAll(callers(1, c, new Consolidator.Key("select 2", OPTIONS), q));
        results.addAll(callers(1, c, new Consolidator.Key("select 1", all), q));
        awaitTrue(() -> q.executions.get() == 3);
        q.gate.countDown();
        results.forEach(CompletableFuture::join);
        assertEquals(0, c.consolidations());
    }

    @Test
    void everyWaiterGetsTheErrorAsItsOwnCopy() {
        Consolidator c = new Consolidator(0, 10);
        GatedQuery q = new GatedQuery();
        VtException original = VtException.mysql(ErrorCode.NOT_FOUND, 1146, "42S02", "Table 'x' doesn't exist", null);
        q.failure = original;
        List<CompletableFuture<QueryResult>> results = callers(5, c, new Consolidator.Key("select * from x", OPTIONS), q);
        awaitTrue(() -> c.waiters() == 4);
        q.gate.countDown();
        int copies = 0;
        for (CompletableFuture<QueryResult> f : results) {
            VtException e = assertThrows(VtException.class, () -> {
                try {
                    f.join();
                } catch (java.util.concurrent.CompletionException ce) {
                    throw ce.getCause();
                }
            });
            assertEquals(1146, e.errno());
            assertEquals("42S02", e.sqlState());
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertEquals("Table 'x' doesn't exist", e.getMessage());
            if (e != original) {
                assertNotSame(original, e);
                copies++;
            }
        }
        assertEquals(4, copies, "the leader throws the original, each waiter a copy");
        assertEquals(1, q.executions.get());
    }

    @Test
    void callersBeyondTheWaiterCapRunTheirOwnQuery() {
        Consolidator c = new Consolidator(2, 10);
        GatedQuery q = new GatedQuery();
        Consolidator.Key key = new Consolidator.Key("select sleep(1)", OPTIONS);
        List<CompletableFuture<QueryResult>> results = callers(5, c, key, q);
        awaitTrue(() -> c.waiters() == 2 && c.waiterCapExceeded() == 2);
        assertEquals(3, q.executions.get(), "the leader and the two callers over the cap");
        q.gate.countDown();
        results.forEach(f -> assertSame(RESULT, f.join()));
        assertEquals(2, c.consolidations());
    }

    @Test
    void topQueriesAreBoundedAndSortedByCount() {
        ConsolidatedQueries top = new ConsolidatedQueries(2);
        top.record("a");
        top.record("b");
        top.record("b");
        top.record("c"); // evicts a, the least recently consolidated
        assertEquals(List.of(new ConsolidatedQueries.Count("b", 2), new ConsolidatedQueries.Count("c", 1)), top.top());
    }
}
