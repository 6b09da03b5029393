package io.tessel.vtcombo;

import io.tessel.common.queryservice.QueryService;
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
import java.util.function.Consumer;

/**
 * vtgate's handle on a tablet in the same process: every call goes straight to the tablet, and closing
 * the handle (vtgate forgetting the tablet) leaves the tablet itself running; the cluster owns it.
 */
record LocalTablet(QueryService tablet) implements QueryService {
    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        return tablet.execute(request);
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, Consumer<QueryResult> sink) {
        tablet.streamExecute(request, sink);
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return tablet.begin(request);
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return tablet.commit(request);
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return tablet.rollback(request);
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        return tablet.beginExecute(request);
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return tablet.reserveExecute(request);
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return tablet.reserveBeginExecute(request);
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        tablet.reserveStreamExecute(request, sink);
    }

    @Override
    public PrepareResponse prepare(PrepareRequest request) {
        return tablet.prepare(request);
    }

    @Override
    public CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return tablet.commitPrepared(request);
    }

    @Override
    public RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return tablet.rollbackPrepared(request);
    }

    @Override
    public CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return tablet.createTransaction(request);
    }

    @Override
    public StartCommitResponse startCommit(StartCommitRequest request) {
        return tablet.startCommit(request);
    }

    @Override
    public SetRollbackResponse setRollback(SetRollbackRequest request) {
        return tablet.setRollback(request);
    }

    @Override
    public ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return tablet.concludeTransaction(request);
    }

    @Override
    public ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return tablet.readTransaction(request);
    }

    @Override
    public UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        return tablet.unresolvedTransactions(request);
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return tablet.release(request);
    }

    @Override
    public HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError) {
        return tablet.streamHealth(listener, onError);
    }

    @Override
    public void close() {
        // the cluster closes the tablet; vtgate only drops its handle
    }
}
