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
import io.tessel.proto.Query.ReleaseRequest;
import io.tessel.proto.Query.ReleaseResponse;
import io.tessel.proto.Query.ReserveBeginExecuteRequest;
import io.tessel.proto.Query.ReserveBeginExecuteResponse;
import io.tessel.proto.Query.ReserveExecuteRequest;
import io.tessel.proto.Query.ReserveExecuteResponse;
import io.tessel.proto.Query.ReserveStreamExecuteRequest;
import io.tessel.proto.Query.ReserveStreamExecuteResponse;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.RollbackResponse;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.StreamExecuteResponse;
import io.tessel.proto.Query.StreamHealthRequest;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Query.PrepareRequest;
import io.tessel.proto.Query.PrepareResponse;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.CommitPreparedResponse;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.RollbackPreparedResponse;
import io.tessel.proto.Query.CreateTransactionRequest;
import io.tessel.proto.Query.CreateTransactionResponse;
import io.tessel.proto.Query.StartCommitRequest;
import io.tessel.proto.Query.StartCommitResponse;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.SetRollbackResponse;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.ConcludeTransactionResponse;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.ReadTransactionResponse;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
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

    /**
     * Streams a result with gRPC flow control: a chunk is sent only when the transport is ready for it, so
     * a slow reader holds the tablet (and MySQL) back instead of the tablet buffering the result. The work
     * runs on a virtual thread of its own under the call's context: readiness and cancellation are
     * delivered on the call's serialized executor, which a blocked handler would hold. A caller that
     * cancels (vtgate's client went away) cancels the context, and the tablet kills the statement.
     */
    @Override
    public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> out) {
        stream(out, sink -> delegate.streamExecute(request,
                chunk -> sink.accept(StreamExecuteResponse.newBuilder().setResult(chunk).build())));
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request,
                                     StreamObserver<ReserveStreamExecuteResponse> out) {
        stream(out, sink -> delegate.reserveStreamExecute(request, sink));
    }

    /** Runs a streaming call on a virtual thread of its own, sending each message when the transport is ready. */
    private static <T> void stream(StreamObserver<T> out, java.util.function.Consumer<java.util.function.Consumer<T>> call) {
        ServerCallStreamObserver<T> server = (ServerCallStreamObserver<T>) out;
        FlowControl flow = new FlowControl(server);
        Thread.ofVirtual().name("vttablet-stream").start(io.grpc.Context.current().wrap(() -> {
            try {
                call.accept(message -> {
                    flow.awaitReady();
                    out.onNext(message);
                });
                out.onCompleted();
            } catch (RuntimeException e) {
                if (!server.isCancelled()) {
                    out.onError(status(e));
                }
            }
        }));
    }

    @Override
    public void reserveExecute(ReserveExecuteRequest request, StreamObserver<ReserveExecuteResponse> out) {
        unary(out, () -> delegate.reserveExecute(request));
    }

    @Override
    public void reserveBeginExecute(ReserveBeginExecuteRequest request, StreamObserver<ReserveBeginExecuteResponse> out) {
        unary(out, () -> delegate.reserveBeginExecute(request));
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> out) {
        unary(out, () -> delegate.release(request));
    }

    /** Blocks a stream's sender until the transport is ready for another message or the call is cancelled. */
    private static final class FlowControl {
        private final ServerCallStreamObserver<?> server;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.Condition ready = lock.newCondition();
        private boolean isCancelled;

        FlowControl(ServerCallStreamObserver<?> server) {
            this.server = server;
            server.setOnReadyHandler(this::signal);
            server.setOnCancelHandler(() -> {
                lock.lock();
                try {
                    isCancelled = true;
                } finally {
                    lock.unlock();
                }
                signal();
            });
        }

        private void signal() {
            lock.lock();
            try {
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void awaitReady() {
            lock.lock();
            try {
                while (!isCancelled && !server.isReady()) {
                    ready.await();
                }
                if (isCancelled) {
                    throw cancelled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled();
            } finally {
                lock.unlock();
            }
        }

        private static io.tessel.common.errors.VtException cancelled() {
            return io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.CANCELED,
                    "stream cancelled by the caller");
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

    @Override
    public void prepare(PrepareRequest request, StreamObserver<PrepareResponse> out) {
        unary(out, () -> delegate.prepare(request));
    }

    @Override
    public void commitPrepared(CommitPreparedRequest request, StreamObserver<CommitPreparedResponse> out) {
        unary(out, () -> delegate.commitPrepared(request));
    }

    @Override
    public void rollbackPrepared(RollbackPreparedRequest request, StreamObserver<RollbackPreparedResponse> out) {
        unary(out, () -> delegate.rollbackPrepared(request));
    }

    @Override
    public void createTransaction(CreateTransactionRequest request, StreamObserver<CreateTransactionResponse> out) {
        unary(out, () -> delegate.createTransaction(request));
    }

    @Override
    public void startCommit(StartCommitRequest request, StreamObserver<StartCommitResponse> out) {
        unary(out, () -> delegate.startCommit(request));
    }

    @Override
    public void setRollback(SetRollbackRequest request, StreamObserver<SetRollbackResponse> out) {
        unary(out, () -> delegate.setRollback(request));
    }

    @Override
    public void concludeTransaction(ConcludeTransactionRequest request, StreamObserver<ConcludeTransactionResponse> out) {
        unary(out, () -> delegate.concludeTransaction(request));
    }

    @Override
    public void readTransaction(ReadTransactionRequest request, StreamObserver<ReadTransactionResponse> out) {
        unary(out, () -> delegate.readTransaction(request));
    }

    @Override
    public void unresolvedTransactions(UnresolvedTransactionsRequest request, StreamObserver<UnresolvedTransactionsResponse> out) {
        unary(out, () -> delegate.unresolvedTransactions(request));
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
