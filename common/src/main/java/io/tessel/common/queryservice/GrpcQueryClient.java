package io.tessel.common.queryservice;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.tessel.common.errors.RpcErrors;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BeginResponse;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.CommitResponse;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.ExecuteResponse;
import io.tessel.proto.Query.QueryResult;
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
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tessel.proto.QueryGrpc;
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
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link QueryService} over gRPC, the client end of a tablet connection. Thread-safe; owns the channel
 * it is given and shuts it down on {@link #close()}.
 */
public final class GrpcQueryClient implements QueryService {
    /** The largest message either side accepts: rows of 20 MiB values must fit (gRPC's default is 4 MiB). */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final ManagedChannel channel;
    private final QueryGrpc.QueryBlockingStub stub;
    private final QueryGrpc.QueryStub asyncStub;
    private final String name;

    /** A plaintext channel to a tablet's query service that takes messages up to {@link #MAX_MESSAGE_BYTES}. */
    public static ManagedChannel channel(String host, int port) {
        return io.grpc.netty.NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
    }

    public GrpcQueryClient(ManagedChannel channel) {
        this(channel, channel.authority());
    }

    /** @param name how errors name the tablet, e.g. {@code zone1-101 (commerce/-80)} */
    public GrpcQueryClient(ManagedChannel channel, String name) {
        this.channel = channel;
        this.name = name;
        this.stub = QueryGrpc.newBlockingStub(channel);
        this.asyncStub = QueryGrpc.newStub(channel);
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        return call(() -> stub.execute(request));
    }

    /**
     * Reads the stream one message at a time (gRPC's blocking iterator asks for the next message only when
     * the previous one was taken, so a slow sink holds the tablet back). The call runs in a context of its
     * own, cancelled when the method returns: a sink that throws, or the caller's context being cancelled,
     * ends the call on the tablet too, which then kills the statement.
     */
    @Override
    public void streamExecute(StreamExecuteRequest request, Consumer<QueryResult> sink) {
        stream(() -> stub.streamExecute(request), response -> sink.accept(response.getResult()));
    }

    /** A server stream read in a context of its own that is cancelled when reading ends, however it ends. */
    private <T> void stream(Supplier<Iterator<T>> call, Consumer<T> sink) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        try {
            context.run(() -> call(() -> {
                Iterator<T> it = call.get();
                while (it.hasNext()) {
                    sink.accept(it.next());
                }
                return null;
            }));
        } finally {
            context.cancel(null);
        }
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return call(() -> stub.reserveExecute(request));
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return call(() -> stub.reserveBeginExecute(request));
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        stream(() -> stub.reserveStreamExecute(request), sink);
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return call(() -> stub.release(request));
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return call(() -> stub.begin(request));
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return call(() -> stub.commit(request));
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return call(() -> stub.rollback(request));
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        return call(() -> stub.beginExecute(request));
    }

    @Override
    public PrepareResponse prepare(PrepareRequest request) {
        return call(() -> stub.prepare(request));
    }

    @Override
    public CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return call(() -> stub.commitPrepared(request));
    }

    @Override
    public RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return call(() -> stub.rollbackPrepared(request));
    }

    @Override
    public CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return call(() -> stub.createTransaction(request));
    }

    @Override
    public StartCommitResponse startCommit(StartCommitRequest request) {
        return call(() -> stub.startCommit(request));
    }

    @Override
    public SetRollbackResponse setRollback(SetRollbackRequest request) {
        return call(() -> stub.setRollback(request));
    }

    @Override
    public ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return call(() -> stub.concludeTransaction(request));
    }

    @Override
    public ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return call(() -> stub.readTransaction(request));
    }

    @Override
    public UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        return call(() -> stub.unresolvedTransactions(request));
    }

    @Override
    public HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError) {
        java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<StreamHealthRequest>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        asyncStub.streamHealth(StreamHealthRequest.getDefaultInstance(),
                new ClientResponseObserver<StreamHealthRequest, StreamHealthResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
                        call.set(requestStream);
                    }

                    @Override
                    public void onNext(StreamHealthResponse value) {
                        listener.accept(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!closed.get()) {
                            onError.accept(t instanceof StatusRuntimeException s ? RpcErrors.fromStatus(s, name)
                                    : RpcErrors.toVtException(t));
                        }
                    }

                    @Override
                    public void onCompleted() {
                        if (!closed.get()) {
                            onError.accept(io.tessel.common.errors.VtException.of(
                                    io.tessel.common.errors.ErrorCode.UNAVAILABLE, "health stream ended"));
                        }
                    }
                });
        return () -> {
            if (closed.compareAndSet(false, true)) {
                call.get().cancel("health subscription closed", null);
            }
        };
    }

    private <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw RpcErrors.fromStatus(e, name);
        }
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
