package io.tessel.vtgate.plan;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The bounded cache of query plans, keyed by {@link PlanKey}, so a known query shape is planned once.
 * Bounded by entry count (Caffeine's W-TinyLFU: frequently used shapes survive a burst of one-off ones).
 *
 * <p>{@link #get} plans a key at most once at a time: the first caller runs the planner, on its own thread
 * and outside any lock, while concurrent callers for the same key wait for its plan. A failed planning is
 * not cached: its exception goes to the caller that planned, and the waiters (and later callers) plan
 * again. In-flight plans are futures in the cache; a failed one is completed with {@code null} rather
 * than exceptionally, which Caffeine drops without logging a warning. {@link #clear} (on a VSchema change)
 * also drops plans still being computed, so a plan built from the old VSchema never enters the cache.
 * The planner must not call {@code get} for the key it is planning. Thread-safe.
 *
 * @param <P> the plan type
 */
public final class PlanCache<P> {
    /** Default bound, as Vitess's former {@code --gate_query_cache_size} (entries). */
    public static final int DEFAULT_MAX_ENTRIES = 5000;

    private final AsyncCache<PlanKey, P> cache;
    private final ConcurrentMap<PlanKey, CompletableFuture<P>> map;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public PlanCache() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /** @param maxEntries the most plans kept; 0 keeps none (every query is planned) */
    public PlanCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("plan cache size must be >= 0, not " + maxEntries);
        }
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).buildAsync();
        this.map = cache.asMap();
    }

    /** The plan for {@code key}, from the cache or made by {@code planner} (whose exception propagates). */
    public P get(PlanKey key, Function<? super PlanKey, ? extends P> planner) {
        while (true) {
            CompletableFuture<P> found = map.get(key);
            if (found == null) {
                CompletableFuture<P> mine = new CompletableFuture<>();
                found = map.putIfAbsent(key, mine);
                if (found == null) {
                    misses.increment();
                    return plan(key, mine, planner);
                }
            }
            P plan = found.join();
            if (plan != null) {
                hits.increment();
                return plan;
            }
            map.remove(key, found); // that planning failed: plan again
        }
    }

    private P plan(PlanKey key, CompletableFuture<P> mine, Function<? super PlanKey, ? extends P> planner) {
        try {
            P plan = planner.apply(key);
            if (plan == null) {
                throw new NullPointerException("the planner returned no plan for " + key);
            }
            mine.complete(plan);
            return plan;
        } catch (RuntimeException | Error e) {
            map.remove(key, mine);
            mine.complete(null); // wakes the waiters, who plan again
            throw e;
        }
    }

    /** Drops every plan (a VSchema change makes them stale). */
    public void clear() {
        map.clear();
    }

    /**
     * The plans held now, at most {@code limit} of them in no particular order (plans still being made are
     * left out), for {@code /debug/plans}; weakly consistent with concurrent changes.
     */
    public Map<PlanKey, P> snapshot(int limit) {
        Map<PlanKey, P> out = new LinkedHashMap<>();
        for (Map.Entry<PlanKey, CompletableFuture<P>> e : map.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            P plan = e.getValue().getNow(null);
            if (plan != null) {
                out.put(e.getKey(), plan);
            }
        }
        return out;
    }

    /** The number of plans held, after pending evictions are done. */
    public long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    /** Lookups answered by an existing (or in-flight) plan. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that ran the planner, whether it succeeded or not. */
    public long misses() {
        return misses.sum();
    }
}
