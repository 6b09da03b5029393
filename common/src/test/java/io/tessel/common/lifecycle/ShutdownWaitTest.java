package io.tessel.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownWaitTest {
    @Test
    void trueAtOnceWhenAlreadyDone() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        assertTrue(ShutdownWait.until(() -> looks.incrementAndGet() > 0, Duration.ZERO));
        assertEquals(1, looks.get());
    }

    @Test
    void falseWhenNeverDoneWithinTheTimeout() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        assertFalse(ShutdownWait.until(() -> {
            looks.incrementAndGet();
            return false;
        }, Duration.ZERO));
        assertEquals(1, looks.get(), "a zero timeout looks once and gives up");
    }

    @Test
    void waitsUntilTheConditionHolds() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        assertTrue(ShutdownWait.until(() -> looks.incrementAndGet() >= 3, Duration.ofMinutes(1)));
        assertEquals(3, looks.get(), "polled until the third look found it done");
    }

    @Test
    void interruptedWhileWaiting() {
        Thread.currentThread().interrupt();
        try {
            ShutdownWait.until(() -> false, Duration.ofMinutes(1));
            throw new AssertionError("not interrupted");
        } catch (InterruptedException expected) {
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
