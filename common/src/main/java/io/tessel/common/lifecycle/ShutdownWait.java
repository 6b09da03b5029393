package io.tessel.common.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait of a graceful shutdown: polls a condition (no call running, no transaction open, no client left)
 * until it holds or a timeout passes. A poll, not a signal, because a drain happens once per process and
 * keeps the serving path free of wake-ups.
 */
public final class ShutdownWait {
    /** How often the condition is looked at. */
    static final long POLL_MILLIS = 10;

    private ShutdownWait() {
    }

    /**
     * Waits until {@code isDone} holds; true at once when it already does, false when {@code timeout}
     * passed first.
     */
    public static boolean until(BooleanSupplier isDone, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isDone.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
