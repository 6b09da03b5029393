package io.tessel.vttablet.consolidate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How often each query was consolidated, for the {@code /debug/consolidations} page: like Vitess, an LRU
 * of a bounded number of queries, so a stream of distinct queries cannot grow it. Only consolidations
 * update it, never plain executions, so its lock is off the common query path. Thread-safe.
 */
public final class ConsolidatedQueries {
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, long[]> counts;

    /** One query and how many callers shared its executions. */
    public record Count(String sql, long consolidations) {}

    ConsolidatedQueries(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.counts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > capacity;
            }
        };
    }

    void record(String sql) {
        lock.lock();
        try {
            counts.computeIfAbsent(sql, k -> new long[1])[0]++;
        } finally {
            lock.unlock();
        }
    }

    /** Every remembered query with its count, most consolidated first. */
    List<Count> top() {
        List<Count> out = new ArrayList<>();
        lock.lock();
        try {
            counts.forEach((sql, n) -> out.add(new Count(sql, n[0])));
        } finally {
            lock.unlock();
        }
        out.sort(Comparator.comparingLong(Count::consolidations).reversed());
        return out;
    }
}
