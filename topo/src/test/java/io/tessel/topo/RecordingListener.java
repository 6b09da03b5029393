package io.tessel.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link WatchListener} for tests: records every event and lets the test wait for the next one, or for a
 * value, with a generous timeout (watches may skip or repeat versions, so tests wait for values, never
 * count events). Thread-safe.
 */
public final class RecordingListener<T> implements WatchListener<T> {
    /** How long a test waits for an event before failing; long, as it only matters when something is broken. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<WatchEvent<T>> pending = new LinkedBlockingQueue<>();
    private final List<WatchEvent<T>> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WatchEvent<T> event) {
        all.add(event);
        pending.add(event);
    }

    /** Every event received so far, in order. */
    public List<WatchEvent<T>> events() {
        return List.copyOf(all);
    }

    /** The next event not yet taken; fails the test after {@link #WAIT}. */
    public WatchEvent<T> next() {
        try {
            WatchEvent<T> event = pending.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "no watch event within " + WAIT);
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a watch event", e);
        }
    }

    /** The next event, which must be a change; returns it. */
    @SuppressWarnings("unchecked")
    public WatchEvent.Changed<T> nextChanged() {
        WatchEvent<T> event = next();
        return assertInstanceOf(WatchEvent.Changed.class, event, "expected a change, got " + event);
    }

    /** Takes events until a change whose value matches; fails on a terminal event or after {@link #WAIT}. */
    public WatchEvent.Changed<T> awaitValue(Predicate<T> matches) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            WatchEvent<T> event = next();
            if (event.isTerminal()) {
                fail("watch ended with " + event + " before the expected value arrived");
            }
            WatchEvent.Changed<T> changed = (WatchEvent.Changed<T>) event;
            if (matches.test(changed.value())) {
                return changed;
            }
        }
        throw new AssertionError("expected value not seen within " + WAIT);
    }

    /** Takes events until a terminal one, skipping changes; returns it. */
    public WatchEvent<T> awaitTerminal() {
        while (true) {
            WatchEvent<T> event = next();
            if (event.isTerminal()) {
                return event;
            }
        }
    }

    /** Asserts the watch ended with an error of the given code. */
    public void awaitError(TopoCode code) {
        WatchEvent<T> event = awaitTerminal();
        WatchEvent.Error<?> error = assertInstanceOf(WatchEvent.Error.class, event, "expected an error, got " + event);
        assertEquals(code, error.cause().code(), () -> "error event: " + error.cause().getMessage());
    }
}
