package io.tessel.vttablet.txserializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TxSerializerTest {
    static final Duration NO_LIMIT = Duration.ZERO;

    static TxSerializer serializer(boolean isDryRun, int queue, int global, int concurrent) {
        return new TxSerializer(new HotRowConfig(!isDryRun, isDryRun, queue, global, concurrent), "vttablet test");
    }

    static CompletableFuture<TxSerializer.Slot> acquireAsync(TxSerializer s, String key) {
        CompletableFuture<TxSerializer.Slot> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(s.acquire(key, NO_LIMIT));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static void awaitTrue(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    static int queueLength(TxSerializer s, String key) {
        return s.queueLengths().stream().filter(q -> q.key().equals(key)).mapToInt(TxSerializer.QueueLength::transactions)
                .sum();
    }

    @Test
    void sameRowTransactionsRunOneAtATimeInArrivalOrder() {
        TxSerializer s = serializer(false, 5, 100, 1);
        TxSerializer.Slot first = s.acquire("t where id=1", NO_LIMIT);
        CompletableFuture<TxSerializer.Slot> second = acquireAsync(s, "t where id=1");
        awaitTrue(() -> queueLength(s, "t where id=1") == 2);
        CompletableFuture<TxSerializer.Slot> third = acquireAsync(s, "t where id=1");
        awaitTrue(() -> queueLength(s, "t where id=1") == 3);
        assertFalse(second.isDone());
        TxSerializer.Slot other = s.acquire("t where id=2", NO_LIMIT); // another row does not wait
        assertEquals(2, s.stats().waits());

        first.release();
        TxSerializer.Slot secondSlot = second.join();
        assertFalse(third.isDone(), "one at a time");
        secondSlot.release();
        third.join().release();
        other.release();
        assertEquals(List.of(), s.queueLengths(), "empty queues are dropped");
    }

    @Test
    void aFullRowQueueRejectsAtOnce() {
        TxSerializer s = serializer(false, 2, 100, 1);
        TxSerializer.Slot first = s.acquire("t where id=1", NO_LIMIT);
        CompletableFuture<TxSerializer.Slot> second = acquireAsync(s, "t where id=1");
        awaitTrue(() -> queueLength(s, "t where id=1") == 2);
        VtException e = assertThrows(VtException.class, () -> s.acquire("t where id=1", NO_LIMIT));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("hot row protection: too many queued transactions (2 >= 2) for the same row "
                + "(table + WHERE clause: 't where id=1')", e.getMessage());
        assertEquals(1, s.stats().queueExceeded());
        first.release();
        second.join().release();
    }

    @Test
    void theGlobalQueueIsBoundedToo() {
        TxSerializer s = serializer(false, 5, 2, 1);
        TxSerializer.Slot a = s.acquire("t where id=1", NO_LIMIT);
        TxSerializer.Slot b = s.acquire("t where id=2", NO_LIMIT);
        VtException e = assertThrows(VtException.class, () -> s.acquire("t where id=3", NO_LIMIT));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals(1, s.stats().globalQueueExceeded());
        a.release();
        b.release();
        s.acquire("t where id=3", NO_LIMIT).release();
    }

    @Test
    void severalMayRunWhenConcurrencyAllows() {
        TxSerializer s = serializer(false, 5, 100, 2);
        TxSerializer.Slot a = s.acquire("t where id=1", NO_LIMIT);
        TxSerializer.Slot b = s.acquire("t where id=1", NO_LIMIT);
        assertEquals(0, s.stats().waits());
        CompletableFuture<TxSerializer.Slot> c = acquireAsync(s, "t where id=1");
        awaitTrue(() -> queueLength(s, "t where id=1") == 3);
        assertEquals(1, s.stats().waits());
        b.release();
        c.join().release();
        a.release();
    }

    @Test
    void aWaitIsBoundedByTheMaxWait() {
        TxSerializer s = serializer(false, 5, 100, 1);
        TxSerializer.Slot first = s.acquire("t where id=1", NO_LIMIT);
        VtException e = assertThrows(VtException.class, () -> s.acquire("t where id=1", Duration.ofMillis(50)));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals(1, queueLength(s, "t where id=1"), "the timed-out transaction left the queue");
        first.release();
        assertEquals(List.of(), s.queueLengths());
    }

    @Test
    void dryRunNeverWaitsOrRejectsButCounts() {
        TxSerializer s = serializer(true, 2, 100, 1);
        TxSerializer.Slot a = s.acquire("t where id=1", NO_LIMIT);
        TxSerializer.Slot b = s.acquire("t where id=1", NO_LIMIT); // would wait
        TxSerializer.Slot c = s.acquire("t where id=1", NO_LIMIT); // would be rejected
        assertSame(TxSerializer.Slot.NONE, c);
        TxSerializer.Stats stats = s.stats();
        assertEquals(1, stats.waitsDryRun());
        assertEquals(1, stats.queueExceededDryRun());
        assertEquals(0, stats.waits());
        assertEquals(0, stats.queueExceeded());
        a.release();
        b.release();
        b.release(); // idempotent
        assertTrue(s.queueLengths().isEmpty());
    }
}
