package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
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
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.vttablet.server.TabletMeters.Method;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The tablet's two-phase commit calls (docs/design/twopc.md): its XA branches' prepare, commit and rollback,
 * and the transaction records it keeps as a metadata manager. Refused on a tablet without
 * {@code --twopc-enable}. Calls on open transactions pass while the tablet shuts down. Thread-safe.
 */
final class TwoPcCalls {
    private final CallGate gate;
    private final TwoPc twoPc;
    private final TxEngine txEngine;
    private final boolean isEnabled;
    private final String logPrefix;

    TwoPcCalls(CallGate gate, TwoPc twoPc, TxEngine txEngine, boolean isEnabled, String logPrefix) {
        this.gate = gate;
        this.twoPc = twoPc;
        this.txEngine = txEngine;
        this.isEnabled = isEnabled;
        this.logPrefix = logPrefix;
    }

    /** Prepares the transaction's XA branch, closes its connection and waits until MySQL has let go of it. */
    PrepareResponse prepare(PrepareRequest request) {
        return call(Method.PREPARE, request.getTarget(), true, () -> {
            twoPc.awaitDetached(txEngine.prepare(request.getTransactionId(), twoPc.xid(request.getDtid())));
            return PrepareResponse.getDefaultInstance();
        });
    }

    CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        return call(Method.COMMIT_PREPARED, request.getTarget(), true, () -> {
            twoPc.commitPrepared(request.getDtid());
            return CommitPreparedResponse.getDefaultInstance();
        });
    }

    /** Rolls back the branch: the open transaction if the tablet still holds it (by id or xid), else the prepared one. */
    RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        return call(Method.ROLLBACK_PREPARED, request.getTarget(), true, () -> {
            String xid = twoPc.xid(request.getDtid());
            long id = request.getTransactionId() != 0 && txEngine.isActive(request.getTransactionId())
                    ? request.getTransactionId() : txEngine.findXa(xid);
            if (id != 0) {
                txEngine.rollback(id);
            } else {
                twoPc.rollbackPrepared(request.getDtid());
            }
            return RollbackPreparedResponse.getDefaultInstance();
        });
    }

    CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        return call(Method.CREATE_TRANSACTION, request.getTarget(), true, () -> {
            twoPc.createTransaction(request.getDtid(), request.getParticipantsList());
            return CreateTransactionResponse.getDefaultInstance();
        });
    }

    StartCommitResponse startCommit(StartCommitRequest request) {
        return call(Method.START_COMMIT, request.getTarget(), true, () -> {
            twoPc.transition(request.getDtid(), TransactionState.COMMIT);
            return StartCommitResponse.getDefaultInstance();
        });
    }

    SetRollbackResponse setRollback(SetRollbackRequest request) {
        return call(Method.SET_ROLLBACK, request.getTarget(), true, () -> {
            twoPc.transition(request.getDtid(), TransactionState.ROLLBACK);
            return SetRollbackResponse.getDefaultInstance();
        });
    }

    ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        return call(Method.CONCLUDE_TRANSACTION, request.getTarget(), true, () -> {
            twoPc.conclude(request.getDtid());
            return ConcludeTransactionResponse.getDefaultInstance();
        });
    }

    ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        return call(Method.READ_TRANSACTION, request.getTarget(), false, () -> {
            ReadTransactionResponse.Builder out = ReadTransactionResponse.newBuilder();
            twoPc.read(request.getDtid()).ifPresent(out::setMetadata);
            return out.build();
        });
    }

    /** What a resolver should finish; nothing on a tablet without --twopc-enable. */
    UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        if (!isEnabled) {
            gate.check(request.getTarget());
            return UnresolvedTransactionsResponse.getDefaultInstance();
        }
        return call(Method.UNRESOLVED_TRANSACTIONS, request.getTarget(), false,
                () -> twoPc.unresolved(Duration.ofSeconds(request.getAbandonAgeSeconds())));
    }

    /** A two-phase commit call: refused without --twopc-enable; {@code isInTransaction} calls pass a shutdown. */
    private <T> T call(Method method, Target target, boolean isInTransaction, Supplier<T> work) {
        check(method.name());
        return gate.call(method, target, isInTransaction, work);
    }

    /** Refuses {@code what} on a tablet without --twopc-enable. */
    void check(String what) {
        if (!isEnabled) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, logPrefix + ": " + what
                    + " needs two-phase commit, which this tablet does not take part in (start it with --twopc-enable)");
        }
    }
}
