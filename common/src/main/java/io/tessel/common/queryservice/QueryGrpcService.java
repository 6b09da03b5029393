package io.tessel.common.queryservice;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessel.common.errors.RpcErrors;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BeginResponse;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.CommitResponse;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.ExecuteResponse;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.RollbackResponse;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.StreamExecuteResponse;
import io.tessel.proto.Query.StreamHealthRequest;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.QueryGrpc;
import java.util.function.Supplier;

/**
 * The server end of the tablet's gRPC query service: adapts gRPC calls onto a {@link QueryService}.
 * Errors leave as a gRPC status with the structured {@code RPCError} in the trailers.
 */
public final class QueryGrpcService extends QueryGrpc.QueryImplBase {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(QueryGrpcService.class);
    private final QueryService delegate;

    public QueryGrpcService(QueryService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> out) {
        unary(out, () -> delegate.execute(request));
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> out) {
        try {
            ServerCallStreamObserver<StreamExecuteResponse> server = (ServerCallStreamObserver<StreamExecuteResponse>) out;
            delegate.streamExecute(request, chunk -> {
                if (server.isCancelled()) {
                    throw io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.CANCELED,
                            "stream cancelled by the caller");
                }
                out.onNext(StreamExecuteResponse.newBuilder().setResult(chunk).build());
            });
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(status(e));
        }
    }

    /** Streams health until the caller cancels; updates are serialized because StreamObserver is not thread-safe. */
    @Override
    public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> out) {
        ServerCallStreamObserver<StreamHealthResponse> server = (ServerCallStreamObserver<StreamHealthResponse>) out;
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        QueryService.HealthSubscription sub = delegate.streamHealth(health -> {
            lock.lock();
            try {
                if (!server.isCancelled()) {
                    out.onNext(health);
                }
            } finally {
                lock.unlock();
            }
        }, error -> {
            lock.lock();
            try {
                out.onError(status(error));
            } finally {
                lock.unlock();
            }
        });
        server.setOnCancelHandler(sub::close);
    }

    @Override
    public void begin(BeginRequest request, StreamObserver<BeginResponse> out) {
        unary(out, () -> delegate.begin(request));
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
        unary(out, () -> delegate.commit(request));
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> out) {
        unary(out, () -> delegate.rollback(request));
    }

    @Override
    public void beginExecute(BeginExecuteRequest request, StreamObserver<BeginExecuteResponse> out) {
        unary(out, () -> delegate.beginExecute(request));
    }

    /** Unexpected failures (anything but a VtException) are bugs: log them where the stack trace is. */
    private static io.grpc.StatusRuntimeException status(RuntimeException e) {
        if (!(e instanceof io.tessel.common.errors.VtException)) {
            log.error("vttablet: unexpected error in a query RPC", e);
        }
        return RpcErrors.toStatus(e);
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            out.onError(status(e));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
