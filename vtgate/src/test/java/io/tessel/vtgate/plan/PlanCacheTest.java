package io.tessel.vtgate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlanCacheTest {
    private static final PlanKey KEY = new PlanKey("customer@primary", "select * from t where id = :vtg1", 0);

    /** A planner that counts its calls and returns a fresh plan object each time. */
    static final class CountingPlanner implements Function<PlanKey, Object> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Object apply(PlanKey key) {
            calls.incrementAndGet();
            return new Object();
        }
    }

    @Test
    void secondLookupIsAHit() {
        PlanCache<Object> cache = new PlanCache<>();
        CountingPlanner planner = new CountingPlanner();
        Object first = cache.get(KEY, planner);
        Object second = cache.get(new PlanKey("customer@primary", "select * from t where id = :vtg1", 0), planner);
        assertSame(first, second);
        assertEquals(1, planner.calls.get());
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.size());
    }

    @Test
    void targetAndSettingsArePartOfTheKey() {
        PlanCache<Object> cache = new PlanCache<>();
        CountingPlanner planner = new CountingPlanner();
        Object base = cache.get(KEY, planner);
        Object replica = cache.get(new PlanKey("customer@replica", KEY.normalizedSql(), 0), planner);
        Object ansi = cache.get(new PlanKey(KEY.keyspaceTarget(), KEY.normalizedSql(), PlanKey.ANSI_QUOTES), planner);
        assertNotSame(base, replica);
        assertNotSame(base, ansi);
        assertEquals(3, planner.calls.get());
        assertEquals(3, cache.size());
    }

    @Test
    void sizeIsBoundedByEntryCount() {
        PlanCache<Object> cache = new PlanCache<>(10);
        CountingPlanner planner = new CountingPlanner();
        for (int k = 0; k < 100; k++) {
            cache.get(new PlanKey("ks", "select " + k, 0), planner);
        }
        assertEquals(10, cache.size());
        assertEquals(100, cache.misses());
    }

    @Test
    void zeroEntriesKeepsNothing() {
        PlanCache<Object> cache = new PlanCache<>(0);
        CountingPlanner planner = new CountingPlanner();
        cache.get(KEY, planner);
        assertEquals(0, cache.size());
        cache.get(KEY, planner);
        assertEquals(2, planner.calls.get());
    }

    @Test
    void negativeSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PlanCache<>(-1));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void plannerFailureIsNotCached(boolean returnsNull) {
        PlanCache<Object> cache = new PlanCache<>();
        RuntimeException boom = new IllegalStateException("no plan");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> cache.get(KEY, k -> {
            if (returnsNull) {
                return null;
            }
            throw boom;
        }));
        if (!returnsNull) {
            assertSame(boom, thrown);
        }
        assertEquals(0, cache.size());
        CountingPlanner planner = new CountingPlanner();
        Object plan = cache.get(KEY, planner);
        assertSame(plan, cache.get(KEY, planner));
        assertEquals(1, planner.calls.get());
        assertEquals(2, cache.misses());
        assertEquals(1, cache.hits());
    }

    @Test
    void clearDropsEveryPlan() {
        PlanCache<Object> cache = new PlanCache<>();
        CountingPlanner planner = new CountingPlanner();
        Object before = cache.get(KEY, planner);
        cache.get(new PlanKey("ks", "select 1", 0), planner);
        cache.clear();
        assertEquals(0, cache.size());
        assertNotSame(before, cache.get(KEY, planner));
        assertEquals(3, planner.calls.get());
    }

    @Test
    void concurrentCallersShareOnePlanning() throws Exception {
        PlanCache<Object> cache = new PlanCache<>();
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Object plan = new Object();
        Function<PlanKey, Object> planner = k -> {
            calls.incrementAndGet();
            planning.countDown();
            await(release);
            return plan;
        };
        List<AtomicReference<Object>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            AtomicReference<Object> result = new AtomicReference<>();
            results.add(result);
            threads.add(Thread.ofPlatform().start(() -> result.set(cache.get(KEY, planner))));
            if (t == 0) {
                planning.await(); // the first caller is now planning; the others must wait for it
            }
        }
        waitUntilAllWaiting(threads.subList(1, threads.size()));
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, calls.get());
        results.forEach(r -> assertSame(plan, r.get()));
        assertEquals(1, cache.misses());
        assertEquals(8, cache.hits());
    }

    @Test
    void waitersPlanAgainWhenThePlanningTheyWaitedForFails() throws Exception {
        PlanCache<Object> cache = new PlanCache<>();
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("bad query");
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                cache.get(KEY, k -> {
                    planning.countDown();
                    await(release);
                    throw boom;
                });
            } catch (RuntimeException e) {
                firstError.set(e);
            }
        });
        planning.await();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> second.set(cache.get(KEY, k -> "second plan")));
        waitUntilAllWaiting(List.of(waiter));
        release.countDown();
        first.join();
        waiter.join();
        assertSame(boom, firstError.get());
        assertEquals("second plan", second.get());
        assertEquals(1, cache.size());
        assertEquals(2, cache.misses());
        assertEquals(0, cache.hits());
    }

    @Test
    void planFinishedAfterClearIsNotCached() throws Exception {
        PlanCache<Object> cache = new PlanCache<>();
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object stale = new Object();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> result.set(cache.get(KEY, k -> {
            planning.countDown();
            await(release);
            return stale;
        })));
        planning.await();
        cache.clear(); // the VSchema changed while the old one was being used
        release.countDown();
        thread.join();
        assertSame(stale, result.get());
        assertEquals(0, cache.size());
        assertNotSame(stale, cache.get(KEY, new CountingPlanner()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Spins until every thread is parked (waiting for the in-flight plan). */
    private static void waitUntilAllWaiting(List<Thread> threads) {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void snapshotHoldsFinishedPlansUpToTheLimit() {
        PlanCache<Object> cache = new PlanCache<>();
        Object a = cache.get(KEY, k -> "a");
        cache.get(new PlanKey("", "select 1", 0), k -> "b");
        assertEquals(java.util.Map.of(KEY, a, new PlanKey("", "select 1", 0), "b"), cache.snapshot(10));
        assertEquals(1, cache.snapshot(1).size());
        cache.clear();
        assertEquals(java.util.Map.of(), cache.snapshot(10));
    }
}
