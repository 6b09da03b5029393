package io.tessel.vttablet.consolidate;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Vitess's query consolidator: identical reads in flight at the same time run once on MySQL, and every
 * caller gets that one execution's result or error. The first caller of a key runs the query; callers
 * arriving while it runs wait for its result, up to a per-query waiter cap beyond which they run the
 * query themselves. An entry lives only while its query runs, so a result is never served after it
 * completed. Thread-safe and lock-free on the query path; results are immutable protobuf messages and
 * are shared, not copied.
 *
 * <p>Callers decide what may be consolidated (non-transactional reads only, see {@link Consolidatable}).
 */
public final class Consolidator {
    private final ConcurrentHashMap<Key, Pending> inFlight = new ConcurrentHashMap<>();
    private final int waiterCap;
    private final ConsolidatedQueries queries;
    private final LongAdder consolidations = new LongAdder();
    private final LongAdder overCap = new LongAdder();
    private final AtomicInteger waiters = new AtomicInteger();

    /**
     * What makes two reads identical: the final SQL (bind variables substituted) and the request's options
     * (included fields, select limit, workload, found rows...), compared whole so that two reads whose
     * results could differ never share one.
     *
     * @param sql     the statement exactly as MySQL will receive it
     * @param options the request's execute options
     */
    public record Key(String sql, ExecuteOptions options) {}

    /** One query in flight: its eventual result and how many callers wait for it. */
    private static final class Pending {
        final CompletableFuture<QueryResult> result = new CompletableFuture<>();
        final AtomicInteger waiters = new AtomicInteger();
    }

    /**
     * @param waiterCap most callers that may wait for one query in flight; 0 for no cap
     * @param topSize   how many distinct queries {@link #topQueries} remembers
     */
    public Consolidator(int waiterCap, int topSize) {
        if (waiterCap < 0) {
            throw new IllegalArgumentException("waiterCap must not be negative");
        }
        this.waiterCap = waiterCap;
        this.queries = new ConsolidatedQueries(topSize);
    }

    /**
     * Returns the result of {@code query} for {@code key}: from an identical query already in flight when
     * there is one (and its waiter cap is not reached), else by running it.
     *
     * @throws VtException the query's error, shared by every caller that waited for it; CANCELED when
     *                     interrupted while waiting
     */
    public QueryResult run(Key key, Supplier<QueryResult> query) {
        Pending mine = new Pending();
        Pending running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            return lead(key, mine, query);
        }
        if (waiterCap > 0 && running.waiters.incrementAndGet() > waiterCap) {
            running.waiters.decrementAndGet();
            overCap.increment();
            return query.get();
        }
        consolidations.increment();
        queries.record(key.sql());
        waiters.incrementAndGet();
        try {
            return await(running);
        } finally {
            waiters.decrementAndGet();
        }
    }

    private QueryResult lead(Key key, Pending mine, Supplier<QueryResult> query) {
        try {
            QueryResult result = query.get();
            inFlight.remove(key, mine); // before completing: later arrivals start a fresh execution
            mine.result.complete(result);
            return result;
        } catch (Throwable e) {
            inFlight.remove(key, mine);
            mine.result.completeExceptionally(e);
            throw e;
        }
    }

    private static QueryResult await(Pending running) {
        try {
            return running.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VtException.of(ErrorCode.CANCELED, "interrupted while waiting for a consolidated query");
        } catch (ExecutionException e) {
            throw shared(e.getCause());
        }
    }

    /** A copy of the leader's error for one waiter, so callers never share a mutable exception object. */
    private static VtException shared(Throwable cause) {
        if (cause instanceof VtException v) {
            return v.hasErrno()
                    ? VtException.mysql(v.code(), v.errno(), v.sqlState(), v.getMessage(), v)
                    : VtException.of(v.code(), v.getMessage(), v);
        }
        return VtException.of(ErrorCode.INTERNAL, "consolidated query failed: " + cause, cause);
    }

    /** How many callers got another caller's result instead of running their query (counter). */
    public long consolidations() {
        return consolidations.sum();
    }

    /** How many callers are waiting for another caller's query right now (gauge). */
    public int waiters() {
        return waiters.get();
    }

    /** How many callers ran their own query because the waiter cap of an identical one was reached (counter). */
    public long waiterCapExceeded() {
        return overCap.sum();
    }

    /** How many distinct queries are in flight right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** The most consolidated queries since start, most first, for {@code /debug/consolidations}. */
    public List<ConsolidatedQueries.Count> topQueries() {
        return queries.top();
    }
}
