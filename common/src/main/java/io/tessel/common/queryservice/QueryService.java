package io.tessel.common.queryservice;

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
 * The tablet's query API, as vtgate sees it. Implemented by the tablet server itself (vtcombo calls it
 * directly) and by {@link GrpcQueryClient} (separate daemons). Calls block; run them off event loops.
 * Failures are thrown as {@link io.tessel.common.errors.VtException}, carrying MySQL's errno and
 * SQLSTATE when MySQL raised them. {@link #beginExecute}, {@link #reserveExecute} and
 * {@link #reserveBeginExecute} are the exception: a query error comes back in the response, because the
 * transaction or reserved connection may exist anyway.
 *
 * <p>Reserved connections (Vitess's shapes): a connection kept for one vtgate session with the session's
 * settings applied by the request's pre-queries. Execute, StreamExecute and BeginExecute run on it given its
 * {@code reserved_id}; a transaction begun on it has the same id; commit and rollback keep it reserved (their
 * response names it); {@link #release} ends both.
 */
public interface QueryService extends AutoCloseable {
    ExecuteResponse execute(ExecuteRequest request);

    /** Streams results: the first chunk carries the fields, later ones only rows. */
    void streamExecute(StreamExecuteRequest request, Consumer<QueryResult> sink);

    BeginResponse begin(BeginRequest request);

    CommitResponse commit(CommitRequest request);

    RollbackResponse rollback(RollbackRequest request);

    BeginExecuteResponse beginExecute(BeginExecuteRequest request);

    /** Reserves a connection (or the transaction's), runs the pre-queries on it, then the query. */
    ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request);

    /** Reserves a connection, runs the pre-queries, begins a transaction on it and runs the query. */
    ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request);

    /**
     * Reserves a connection, runs the pre-queries, then streams the query on it: the first response carries
     * only the reserved id, the later ones the result as {@link #streamExecute} sends it.
     */
    void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink);

    /** Rolls back the transaction and closes the reserved connection named; either id may be 0. */
    ReleaseResponse release(ReleaseRequest request);

    /**
     * Subscribes to the tablet's health: the current state at once, then every change and a periodic
     * heartbeat. {@code onError} is called at most once, when the stream ends abnormally (for a remote
     * tablet: the connection broke); after that no more updates come. Never blocks; close the returned
     * handle to unsubscribe.
     */
    HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError);

    /** A live health subscription; closing it is idempotent. */
    interface HealthSubscription extends AutoCloseable {
        @Override
        void close();
    }

    // Two-phase commit (transaction_mode TWOPC, docs/design/twopc.md). A tablet without it refuses them.

    /** Ends and prepares the transaction's XA branch; the tablet then lets go of its connection. */
    default PrepareResponse prepare(PrepareRequest request) {
        throw twoPcUnsupported("Prepare");
    }

    /** Commits the tablet's prepared branch of a dtid; an unknown branch counts as committed. */
    default CommitPreparedResponse commitPrepared(CommitPreparedRequest request) {
        throw twoPcUnsupported("CommitPrepared");
    }

    /** Rolls back the tablet's branch of a dtid, open or prepared; an unknown branch counts as rolled back. */
    default RollbackPreparedResponse rollbackPrepared(RollbackPreparedRequest request) {
        throw twoPcUnsupported("RollbackPrepared");
    }

    /** Writes a decision record (state PREPARE) on the metadata manager. */
    default CreateTransactionResponse createTransaction(CreateTransactionRequest request) {
        throw twoPcUnsupported("CreateTransaction");
    }

    /** The commit decision: the record moves PREPARE to COMMIT, else FAILED_PRECONDITION. */
    default StartCommitResponse startCommit(StartCommitRequest request) {
        throw twoPcUnsupported("StartCommit");
    }

    /** The rollback decision: the record moves PREPARE to ROLLBACK, else FAILED_PRECONDITION when COMMIT. */
    default SetRollbackResponse setRollback(SetRollbackRequest request) {
        throw twoPcUnsupported("SetRollback");
    }

    /** Deletes a decision record. */
    default ConcludeTransactionResponse concludeTransaction(ConcludeTransactionRequest request) {
        throw twoPcUnsupported("ConcludeTransaction");
    }

    /** A decision record, absent when the metadata manager has none. */
    default ReadTransactionResponse readTransaction(ReadTransactionRequest request) {
        throw twoPcUnsupported("ReadTransaction");
    }

    /** Decision records and prepared branches older than an abandon age, for a resolver. */
    default UnresolvedTransactionsResponse unresolvedTransactions(UnresolvedTransactionsRequest request) {
        throw twoPcUnsupported("UnresolvedTransactions");
    }

    private static io.tessel.common.errors.VtException twoPcUnsupported(String rpc) {
        return io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.UNIMPLEMENTED,
                "unsupported: " + rpc + " (two-phase commit) on this query service");
    }

    @Override
    default void close() {}
}
