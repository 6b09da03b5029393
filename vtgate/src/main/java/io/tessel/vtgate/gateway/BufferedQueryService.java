package io.tessel.vtgate.gateway;

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
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.CommitPreparedResponse;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.ConcludeTransactionResponse;
import io.tessel.proto.Query.CreateTransactionRequest;
import io.tessel.proto.Query.CreateTransactionResponse;
import io.tessel.proto.Query.PrepareRequest;
import io.tessel.proto.Query.PrepareResponse;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.ReadTransactionResponse;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.RollbackPreparedResponse;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.SetRollbackResponse;
import io.tessel.proto.Query.StartCommitRequest;
import io.tessel.proto.Query.StartCommitResponse;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import java.util.function.Consumer;

/**
 * The query service of one target as {@link TopoGateway#queryService} hands it out with buffering on: each
 * call picks a serving tablet when it runs. Calls that start new work (no transaction or reserved connection
 * named in the request) go through the {@link ShardBuffer}, and so do the idempotent two-phase-commit calls
 * (StartCommit, SetRollback, CommitPrepared, RollbackPrepared by xid, ConcludeTransaction, ReadTransaction: a
 * commit whose decision-keeping or participant tablet restarts waits for it instead of leaving its locks to the
 * resolver); calls on an existing transaction or reservation, commits, rollbacks, releases, Prepare,
 * CreateTransaction and UnresolvedTransactions run at once on a serving tablet, as without buffering. A stream is sent again only while it has delivered nothing. Every method of {@link QueryService}
 * is overridden, default ones too (a default would answer instead of the tablet). Holds no resources; close
 * does nothing.
 */
final class BufferedQueryService implements QueryService {
    private static final java.util.function.BooleanSupplier ALWAYS = () -> true;

    private final Target target;
    private final ShardBuffer buffer;

    BufferedQueryService(Target target, ShardBuffer buffer) {
        this.target = target;
        this.buffer = buffer;
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        if (request.getTransactionId() != 0 || request.getReservedId() != 0) {
            return buffer.runNow(target, qs -> qs.execute(request));
        }
        return buffer.run(target, qs -> qs.execute(request), ALWAYS);
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, Consumer<QueryResult> sink) {
        if (request.getTransactionId() != 0 || request.getReservedId() != 0) {
            buffer.runNow(target, qs -> {
                qs.streamExecute(request, sink);
                return null;
            });
            return;
        }
        boolean[] isStarted = {false};
        buffer.run(target, qs -> {
            qs.streamExecute(request, part -> {
                isStarted[0] = true;
                sink.accept(part);
            });
            return null;
        }, () -> !isStarted[0]);
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return buffer.run(target, qs -> qs.begin(request), ALWAYS);
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return buffer.runNow(target, qs -> qs.commit(request));
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return buffer.runNow(target, qs -> qs.rollback(request));
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        if (request.getReservedId() != 0) {
            return buffer.runNow(target, qs -> qs.beginExecute(request));
        }
        return buffer.run(target, qs -> qs.beginExecute(request), ALWAYS);
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        if (request.getTransactionId() != 0) {
            return buffer.runNow(target, qs -> qs.reserveExecute(request));
        }
        return buffer.run(target, qs -> qs.reserveExecute(request), ALWAYS);
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return buffer.run(target, qs -> qs.reserveBeginExecute(request), ALWAYS);
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        if (request.getTransactionId() != 0) {
            buffer.runNow(target, qs -> {
                qs.reserveStreamExecute(request, sink);
                return null;
            });
            return;
        }
        boolean[] isStarted = {false};
        buffer.run(target, qs -> {
            qs.reserveStreamExecute(request, part -> {
                isStarted[0] = true;
                sink.accept(part);
            });
            return null;
        }, () -> !isStarted[0]);
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return buffer.runNow(target, qs -> qs.release(request));
    }

    @Override
    public PrepareResponse prepare(PrepareRequest request) {
        return buffer.runNow(target, qs -> qs.prepare(request));
    }

    @Override
    public CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return buffer.run(target, qs -> qs.commitPrepared(request), ALWAYS); // idempotent: a restarting tablet is awaited
    }

    @Override
    public RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return request.getTransactionId() == 0 // by xid: idempotent, a restarting tablet is awaited
                ? buffer.run(target, qs -> qs.rollbackPrepared(request), ALWAYS)
                : buffer.runNow(target, qs -> qs.rollbackPrepared(request));
    }

    @Override
    public CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return buffer.runNow(target, qs -> qs.createTransaction(request));
    }

    @Override
    public StartCommitResponse startCommit(StartCommitRequest request) {
        return buffer.run(target, qs -> qs.startCommit(request), ALWAYS); // idempotent: a restarting tablet is awaited
    }

    @Override
    public SetRollbackResponse setRollback(SetRollbackRequest request) {
        return buffer.run(target, qs -> qs.setRollback(request), ALWAYS); // idempotent: a restarting tablet is awaited
    }

    @Override
    public ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return buffer.run(target, qs -> qs.concludeTransaction(request), ALWAYS); // idempotent: a restarting tablet is awaited
    }

    @Override
    public ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return buffer.run(target, qs -> qs.readTransaction(request), ALWAYS); // idempotent: a restarting tablet is awaited
    }

    @Override
    public UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        return buffer.runNow(target, qs -> qs.unresolvedTransactions(request));
    }

    @Override
    public HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError) {
        return buffer.runNow(target, qs -> qs.streamHealth(listener, onError));
    }
}
