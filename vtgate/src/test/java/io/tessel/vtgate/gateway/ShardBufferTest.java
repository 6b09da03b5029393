package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Status;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.exec.FakeQueryService;
import io.tessel.vtgate.gateway.ShardBuffer.Failure;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The buffer's rules on a fake clock and fake routes: what waits, what is sent again, and every way a call
 * gives up. Waiting is driven by the routes' awaitChange, which the tests script.
 */
class ShardBufferTest {
    private static final Target TARGET = Target.newBuilder().setKeyspace("ks").setShard("-80")
            .setTabletType(TabletType.PRIMARY).build();
    private static final BufferConfig CONFIG = new BufferConfig(true, Duration.ofSeconds(10), 5, Duration.ofSeconds(20));
    private static final VtException NOT_SERVING = VtException.of(ErrorCode.CLUSTER_EVENT,
            "vttablet zone1-100 ks/-80: tablet is shutting down, not serving new queries");

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicReference<List<TabletHealth>> serving = new AtomicReference<>(List.of());
    private final AtomicInteger waits = new AtomicInteger();
    /** What each awaitChange does; by default the clock moves on by what was asked (nothing changes). */
    private volatile WaitScript onWait = nanos -> clock.addAndGet(nanos);

    private interface WaitScript {
        void waited(long nanos) throws InterruptedException;
    }

    private final ShardBuffer.Routes routes = new ShardBuffer.Routes() {
        @Override
        public List<TabletHealth> candidates(Target target) {
            return serving.get();
        }

        @Override
        public long awaitChange(long nanos) throws InterruptedException {
            waits.incrementAndGet();
            onWait.waited(nanos);
            return 0;
        }
    };

    private static TabletHealth tablet(int uid, QueryService qs) {
        return new TabletHealth(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid))
                .setKeyspace("ks").setShard("-80").setType(TabletType.PRIMARY).build(), qs, true, 0, "");
    }

    @Test
    void withoutBufferingAShardWithoutATabletFailsAtOnce() {
        ShardBuffer buffer = new ShardBuffer(BufferConfig.DISABLED, routes, clock::get);
        VtException e = assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("no healthy tablet available for 'ks/-80 primary'", e.getMessage());
        assertEquals(0, waits.get());
        assertEquals(0, buffer.bufferedCount());
    }

    @Test
    void aCallWaitsUntilATabletServesThenRunsThere() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        FakeQueryService qs = new FakeQueryService();
        onWait = nanos -> {
            clock.addAndGet(nanos);
            if (waits.get() == 3) {
                serving.set(List.of(tablet(100, qs))); // the restarted tablet reports serving
            }
        };
        AtomicReference<QueryService> ranOn = new AtomicReference<>();
        assertEquals("ran", buffer.run(TARGET, q -> {
            ranOn.set(q);
            return "ran";
        }, () -> true));
        assertSame(qs, ranOn.get());
        assertEquals(3, waits.get());
        assertEquals(1, buffer.bufferedCount());
        assertEquals(0, buffer.waitingCount());
    }

    @Test
    void aCallRefusedByAStoppingTabletIsSentAgainToTheNextServingState() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        FakeQueryService oldProcess = new FakeQueryService();
        FakeQueryService newProcess = new FakeQueryService();
        TabletHealth stopping = tablet(100, oldProcess);
        serving.set(List.of(stopping)); // vtgate has not heard "not serving" yet
        onWait = nanos -> {
            assertSame(stopping, serving.get().get(0), "the refusing state is not tried twice");
            serving.set(List.of(tablet(100, newProcess)));
        };
        AtomicInteger attempts = new AtomicInteger();
        String result = buffer.run(TARGET, qs -> {
            attempts.incrementAndGet();
            if (qs == oldProcess) {
                throw NOT_SERVING;
            }
            return "ran on the new process";
        }, () -> true);
        assertEquals("ran on the new process", result);
        assertEquals(2, attempts.get());
        assertEquals(1, buffer.retriedCount());
        assertEquals(1, waits.get());
    }

    @Test
    void twoRefusingReplicasAreEachTriedOnceThenTheCallWaits() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        TabletHealth a = tablet(100, new FakeQueryService());
        TabletHealth b = tablet(101, new FakeQueryService());
        serving.set(List.of(a, b)); // both stopping; vtgate has not heard yet
        FakeQueryService next = new FakeQueryService();
        onWait = nanos -> serving.set(List.of(tablet(102, next)));
        AtomicInteger attempts = new AtomicInteger();
        String result = buffer.run(TARGET, qs -> {
            attempts.incrementAndGet();
            if (qs != next) {
                throw NOT_SERVING;
            }
            return "ran";
        }, () -> true);
        assertEquals("ran", result);
        assertEquals(3, attempts.get(), "each refusing state once, not back and forth");
        assertEquals(1, waits.get());
    }

    @Test
    void aRefusedConnectionIsSentAgainButOtherErrorsGoToTheCaller() {
        VtException refused = VtException.of(ErrorCode.UNAVAILABLE, "vttablet zone1-100: io exception",
                Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")).asRuntimeException());
        assertTrue(ShardBuffer.isRefusedBeforeRunning(refused));
        assertTrue(ShardBuffer.isRefusedBeforeRunning(NOT_SERVING));
        VtException broken = VtException.of(ErrorCode.UNAVAILABLE, "vttablet zone1-100: Network closed for unknown reason");
        assertFalse(ShardBuffer.isRefusedBeforeRunning(broken), "the call may have run before the connection broke");
        VtException duplicate = VtException.of(ErrorCode.ALREADY_EXISTS, SqlError.ER_DUP_ENTRY, "Duplicate entry '1'");
        assertFalse(ShardBuffer.isRefusedBeforeRunning(duplicate));

        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        serving.set(List.of(tablet(100, new FakeQueryService())));
        AtomicInteger attempts = new AtomicInteger();
        assertSame(broken, assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> {
            attempts.incrementAndGet();
            throw broken;
        }, () -> true)));
        assertEquals(1, attempts.get(), "not sent again");
        assertEquals(0, buffer.retriedCount());
    }

    @Test
    void aStreamThatDeliveredRowsIsNotSentAgain() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        serving.set(List.of(tablet(100, new FakeQueryService())));
        assertSame(NOT_SERVING, assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> {
            throw NOT_SERVING;
        }, () -> false)));
        assertEquals(0, waits.get());
    }

    @Test
    void aCallGivesUpWhenTheWindowPasses() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        long start = clock.get();
        VtException e = assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().startsWith("no healthy tablet available for 'ks/-80 primary': none served within "
                + "the buffer window of 10000 ms"), e.getMessage());
        assertEquals(Duration.ofSeconds(10).toNanos(), clock.get() - start, "waited exactly the window");
        assertEquals(1, buffer.failedCount(Failure.WINDOW_EXCEEDED));
        assertEquals(0, buffer.waitingCount());
    }

    @Test
    void aShardDownLongerThanTheFailoverDurationFailsAtOnceUntilItServesAgain() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true)); // 10 s
        assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true)); // 20 s
        clock.addAndGet(1);
        int waited = waits.get();
        VtException e = assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true));
        assertTrue(e.getMessage().contains("--buffer-max-failover-duration (20000 ms)"), e.getMessage());
        assertEquals(waited, waits.get(), "failed without waiting");
        assertEquals(1, buffer.failedCount(Failure.FAILOVER_TOO_LONG));

        serving.set(List.of(tablet(100, new FakeQueryService())));
        assertEquals("ran", buffer.run(TARGET, qs -> "ran", () -> true));
        serving.set(List.of());
        onWait = nanos -> serving.set(List.of(tablet(100, new FakeQueryService())));
        assertEquals("ran", buffer.run(TARGET, qs -> "ran", () -> true), "a new outage is buffered again");
    }

    @Test
    void aShardThatCameBackWithoutCallsIsBufferedAnewAtItsNextOutage() {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "ran", () -> true)); // waited 10 s
        serving.set(List.of(tablet(100, new FakeQueryService())));
        buffer.forgetRecovered(); // the topology refresh sees it serving; no call ran meanwhile
        serving.set(List.of());
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        onWait = nanos -> serving.set(List.of(tablet(100, new FakeQueryService())));
        assertEquals("ran", buffer.run(TARGET, qs -> "ran", () -> true), "buffered, not failed as a long failover");
        assertEquals(0, buffer.failedCount(Failure.FAILOVER_TOO_LONG));
    }

    @Test
    void aFullBufferFailsTheNextCallAtOnce() throws Exception {
        ShardBuffer buffer = new ShardBuffer(new BufferConfig(true, Duration.ofSeconds(10), 1, Duration.ofSeconds(20)),
                routes, clock::get);
        CountDownLatch isWaiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        onWait = nanos -> {
            isWaiting.countDown();
            release.await();
            serving.set(List.of(tablet(100, new FakeQueryService())));
        };
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> buffer.run(TARGET, qs -> "first", () -> true));
        isWaiting.await();
        assertEquals(1, buffer.waitingCount());
        VtException e = assertThrows(VtException.class, () -> buffer.run(TARGET, qs -> "second", () -> true));
        assertTrue(e.getMessage().contains("the buffer is full (--buffer-size 1 calls waiting)"), e.getMessage());
        assertEquals(1, buffer.failedCount(Failure.BUFFER_FULL));
        release.countDown();
        assertEquals("first", first.join());
        assertEquals(0, buffer.waitingCount());
    }

    @Test
    void aCancelledCallStopsWaiting() throws Exception {
        ShardBuffer buffer = new ShardBuffer(CONFIG, routes, clock::get);
        Context.CancellableContext context = Context.ROOT.withCancellation();
        onWait = nanos -> context.cancel(null); // the client went away while the call waited
        VtException e = context.call(() -> assertThrows(VtException.class,
                () -> buffer.run(TARGET, qs -> "ran", () -> true)));
        assertTrue(e.getMessage().contains("cancelled while it waited in the buffer"), e.getMessage());
        assertEquals(1, buffer.failedCount(Failure.CANCELED));
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BufferConfig(true, Duration.ZERO, 10, Duration.ofSeconds(20)));
        assertThrows(IllegalArgumentException.class,
                () -> new BufferConfig(true, Duration.ofSeconds(10), 0, Duration.ofSeconds(20)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BufferConfig(true, Duration.ofSeconds(10), 10, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("--buffer-max-failover-duration"), e.getMessage());
    }
}
