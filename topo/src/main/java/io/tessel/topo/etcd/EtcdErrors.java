package io.tessel.topo.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns jetcd and gRPC failures into {@link TopoException}s, as Vitess's {@code etcd2topo/error.go}, and
 * waits for jetcd's futures with a deadline so no call blocks longer than it. Stateless.
 */
final class EtcdErrors {
    private EtcdErrors() {}

    /**
     * Waits for {@code call} at most {@code timeout}. On timeout or interrupt the call is cancelled.
     *
     * @throws TopoException TIMEOUT after {@code timeout}, INTERRUPTED (flag set again) on interrupt, or the
     *     call's own failure mapped by {@link #toTopo}
     */
    static <T> T await(CompletableFuture<T> call, Duration timeout, String detail) {
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TopoException(TopoCode.TIMEOUT, detail + ": no result within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw TopoException.interrupted(detail, e);
        } catch (ExecutionException | CancellationException e) {
            throw toTopo(e, detail);
        }
    }

    /** The {@link TopoException} for a backend failure; wrappers of futures are looked through. */
    static TopoException toTopo(Throwable failure, String detail) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TopoException topo) {
            return topo;
        }
        if (cause instanceof CompactedException compacted) {
            return new TopoException(TopoCode.INTERRUPTED,
                    detail + " (history compacted at revision " + compacted.getCompactedRevision() + ")", cause);
        }
        if (cause instanceof CancellationException) {
            return new TopoException(TopoCode.INTERRUPTED, detail + " (cancelled)", cause);
        }
        Status status = cause instanceof EtcdException etcd
                ? Status.fromCode(Status.Code.valueOf(etcd.getErrorCode().name())).withDescription(etcd.getMessage())
                : Status.fromThrowable(cause);
        return new TopoException(code(status), detail + " (" + describe(status) + ")", cause);
    }

    /** The topo error class of a gRPC status from etcd. */
    static TopoCode code(Status status) {
        return switch (status.getCode()) {
            case NOT_FOUND -> TopoCode.NO_NODE;
            case ALREADY_EXISTS -> TopoCode.NODE_EXISTS;
            case DEADLINE_EXCEEDED -> TopoCode.TIMEOUT;
            case CANCELLED -> TopoCode.INTERRUPTED;
            case RESOURCE_EXHAUSTED -> TopoCode.RESOURCE_EXHAUSTED;
            // etcd answers a request its raft could not commit in time with UNAVAILABLE "request timed out".
            case UNAVAILABLE -> hasDescription(status, "request timed out") ? TopoCode.TIMEOUT : TopoCode.UNREACHABLE;
            // etcd rejects an oversized request ("request is too large") as INVALID_ARGUMENT.
            case INVALID_ARGUMENT -> hasDescription(status, "too large") || hasDescription(status, "too many")
                    ? TopoCode.RESOURCE_EXHAUSTED : TopoCode.UNREACHABLE;
            // No closer class: the server refused or failed the request (auth, internal error); the message
            // keeps etcd's status so an operator sees what it was.
            default -> TopoCode.UNREACHABLE;
        };
    }

    private static boolean hasDescription(Status status, String part) {
        String description = status.getDescription();
        return description != null && description.contains(part);
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
