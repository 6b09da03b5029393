package io.tessel.topo.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jetcd/gRPC failure to {@link TopoCode} table, and deadlines on jetcd futures. */
class EtcdErrorsTest {
    @ParameterizedTest
    @CsvSource({
        "NOT_FOUND, , NO_NODE",
        "ALREADY_EXISTS, , NODE_EXISTS",
        "DEADLINE_EXCEEDED, , TIMEOUT",
        "CANCELLED, , INTERRUPTED",
        "RESOURCE_EXHAUSTED, etcdserver: mvcc: database space exceeded, RESOURCE_EXHAUSTED",
        "UNAVAILABLE, io exception, UNREACHABLE",
        "UNAVAILABLE, etcdserver: request timed out, TIMEOUT",
        "INVALID_ARGUMENT, etcdserver: request is too large, RESOURCE_EXHAUSTED",
        "INVALID_ARGUMENT, etcdserver: too many operations in txn request, RESOURCE_EXHAUSTED",
        "PERMISSION_DENIED, etcdserver: permission denied, UNREACHABLE",
        "INTERNAL, , UNREACHABLE",
    })
    void grpcStatusesMapToTopoCodes(Status.Code grpc, String description, TopoCode expected) {
        Status status = Status.fromCode(grpc).withDescription(description);
        assertEquals(expected, EtcdErrors.code(status));
        assertEquals(expected, EtcdErrors.toTopo(status.asRuntimeException(), "get /k").code());
        assertEquals(expected, EtcdErrors.toTopo(EtcdExceptionFactory.toEtcdException(status), "get /k").code());
    }

    @Test
    void futureWrappersAreLookedThroughAndTopoExceptionsKept() {
        TopoException original = new TopoException(TopoCode.NO_NODE, "/k");
        assertSame(original, EtcdErrors.toTopo(new ExecutionException(new CompletionException(original)), "get /k"));
        TopoException mapped = EtcdErrors.toTopo(new ExecutionException(Status.UNAVAILABLE.asException()), "get /k");
        assertEquals(TopoCode.UNREACHABLE, mapped.code());
        assertTrue(mapped.getMessage().contains("get /k"), mapped.getMessage());
    }

    @Test
    void compactedHistoryEndsAWatchAsInterrupted() {
        TopoException e = EtcdErrors.toTopo(EtcdExceptionFactory.newCompactedException(42), "watch /k");
        assertEquals(TopoCode.INTERRUPTED, e.code());
        assertTrue(e.getMessage().contains("compacted at revision 42"), e.getMessage());
    }

    @Test
    void awaitGivesTheResultOrTimesOutAndCancels() {
        assertEquals("v", EtcdErrors.await(CompletableFuture.completedFuture("v"), Duration.ofSeconds(1), "get"));
        CompletableFuture<String> never = new CompletableFuture<>();
        TopoException e = assertThrows(TopoException.class, () -> EtcdErrors.await(never, Duration.ofMillis(20), "get /k"));
        assertEquals(TopoCode.TIMEOUT, e.code());
        assertTrue(never.isCancelled(), "a timed-out call is cancelled");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(Status.NOT_FOUND.asRuntimeException());
        assertEquals(TopoCode.NO_NODE,
                assertThrows(TopoException.class, () -> EtcdErrors.await(failed, Duration.ofSeconds(1), "get")).code());
    }

    @Test
    void interruptedAwaitSetsTheFlagAgain() {
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread.currentThread().interrupt();
        try {
            TopoException e = assertThrows(TopoException.class, () -> EtcdErrors.await(never, Duration.ofSeconds(10), "get"));
            assertEquals(TopoCode.INTERRUPTED, e.code());
            assertTrue(Thread.currentThread().isInterrupted(), "interrupt flag must be set again");
            assertTrue(never.isCancelled());
        } finally {
            Thread.interrupted();
        }
    }
}
