package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BeginResponse;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.CommitResponse;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.ExecuteResponse;
import io.tessel.proto.Query.Field;
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
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Query.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tablet that records every call ("execute sql tx=N", "commit tx=N", ...) and answers each query with one
 * text row; its health stream is driven by the test ({@link #setServing}, {@link #breakHealthStream}).
 */
public final class FakeQueryService implements QueryService {
    private final List<Consumer<StreamHealthResponse>> healthListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Consumer<RuntimeException>> healthErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean isServing = true;
    volatile boolean isClosed;

    public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Runs at the start of every prepare call (a test can make prepares meet). */
    public volatile Runnable beforePrepare = () -> { };
    /** Answers by the SQL as the tablet would run it; other queries get one value, "tablet". */
    public final java.util.Map<String, QueryResult> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private long nextTransactionId = 100;

    static QueryResult oneValue(String value) {
        return QueryResult.newBuilder().addFields(Field.newBuilder().setName("v").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(value.length()).setValues(ByteString.copyFromUtf8(value))).build();
    }

    private volatile RuntimeException nextFailure;

    /** The next Execute fails with {@code e} (after being recorded). */
    public void failNext(RuntimeException e) {
        nextFailure = e;
    }

    /** A warning to answer statements (as the tablet runs them) with. */
    public final java.util.Map<String, io.tessel.proto.Query.QueryWarning> warnings = new java.util.concurrent.ConcurrentHashMap<>();

    /** Errors to throw for statements (as the tablet runs them) instead of answering. */
    public final java.util.Map<String, RuntimeException> failures = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public ExecuteResponse execute(ExecuteRequest r) {
        RuntimeException next = nextFailure;
        if (next != null) {
            nextFailure = null;
            throw next;
        }
        calls.add("execute " + sql(r.getQuery()) + " tx=" + r.getTransactionId()
                + (r.getReservedId() != 0 ? " rs=" + r.getReservedId() : "")
                + (r.getOptions().getClientFoundRows() ? " found_rows" : ""));
        RuntimeException failure = failures.get(sql(r.getQuery()));
        if (failure != null) {
            throw failure;
        }
        io.tessel.proto.Query.QueryWarning warning = warnings.get(sql(r.getQuery()));
        if (warning != null) {
            return ExecuteResponse.newBuilder().setResult(oneValue("tablet").toBuilder().addWarnings(warning)).build();
        }
        return ExecuteResponse.newBuilder().setResult(answers.getOrDefault(sql(r.getQuery()), oneValue("tablet")))
                .build();
    }

    /** A row of text values, one column per value. */
    static QueryResult values(String... values) {
        QueryResult.Builder r = QueryResult.newBuilder();
        Row.Builder row = Row.newBuilder();
        StringBuilder all = new StringBuilder();
        for (String v : values) {
            r.addFields(Field.newBuilder().setName("v").setType(Type.VARCHAR));
            row.addLengths(v.length());
            all.append(v);
        }
        return r.addRows(row.setValues(ByteString.copyFromUtf8(all.toString()))).build();
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest r) {
        long id = nextTransactionId++;
        calls.add("reserveExecute " + r.getPreQueriesList() + " " + sql(r.getQuery()) + " tx=" + r.getTransactionId()
                + " -> rs=" + id);
        return ReserveExecuteResponse.newBuilder().setReservedId(id).setResult(oneValue("tablet")).build();
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest r) {
        long id = nextTransactionId++;
        calls.add("reserveBeginExecute " + r.getPreQueriesList() + " " + sql(r.getQuery()) + " -> tx=rs=" + id);
        return ReserveBeginExecuteResponse.newBuilder().setReservedId(id).setTransactionId(id)
                .setResult(oneValue("tablet")).build();
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest r, Consumer<ReserveStreamExecuteResponse> sink) {
        long id = nextTransactionId++;
        calls.add("reserveStream " + r.getPreQueriesList() + " " + sql(r.getQuery()) + " -> rs=" + id);
        sink.accept(ReserveStreamExecuteResponse.newBuilder().setReservedId(id).build());
        sink.accept(ReserveStreamExecuteResponse.newBuilder().setResult(oneValue("tablet")).build());
    }

    @Override
    public ReleaseResponse release(ReleaseRequest r) {
        calls.add("release tx=" + r.getTransactionId() + " rs=" + r.getReservedId());
        return ReleaseResponse.getDefaultInstance();
    }

    /** Sends the fields, then the one row, as two parts, as a tablet's stream does. */
    @Override
    public void streamExecute(StreamExecuteRequest r, Consumer<QueryResult> sink) {
        calls.add("stream " + sql(r.getQuery()) + " " + r.getOptions().getWorkload()
                + (r.getReservedId() != 0 ? " rs=" + r.getReservedId() : ""));
        QueryResult all = oneValue("tablet");
        sink.accept(QueryResult.newBuilder().addAllFields(all.getFieldsList()).build());
        sink.accept(QueryResult.newBuilder().addAllRows(all.getRowsList()).build());
    }

    @Override
    public BeginResponse begin(BeginRequest r) {
        throw new IllegalStateException("BUG: the executor begins with BeginExecute");
    }

    @Override
    public HealthSubscription streamHealth(Consumer<StreamHealthResponse> listener, Consumer<RuntimeException> onError) {
        healthListeners.add(listener);
        healthErrors.add(onError);
        listener.accept(StreamHealthResponse.newBuilder().setServing(isServing).build());
        return () -> {
            healthListeners.remove(listener);
            healthErrors.remove(onError);
        };
    }

    /** Reports a new serving state to every health subscriber. */
    public void setServing(boolean serving) {
        isServing = serving;
        healthListeners.forEach(l -> l.accept(StreamHealthResponse.newBuilder().setServing(serving).build()));
    }

    /** Ends every health stream with an error, as a dead tablet process would. */
    public void breakHealthStream() {
        List<Consumer<RuntimeException>> errors = List.copyOf(healthErrors);
        healthListeners.clear();
        healthErrors.clear();
        errors.forEach(e -> e.accept(new IllegalStateException("connection reset")));
    }

    public int healthSubscribers() {
        return healthListeners.size();
    }

    @Override
    public void close() {
        isClosed = true;
    }

    @Override
    public CommitResponse commit(CommitRequest r) {
        calls.add("commit tx=" + r.getTransactionId());
        return CommitResponse.getDefaultInstance();
    }

    @Override
    public RollbackResponse rollback(RollbackRequest r) {
        calls.add("rollback tx=" + r.getTransactionId());
        return RollbackResponse.getDefaultInstance();
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest r) {
        long id = r.getReservedId() != 0 ? r.getReservedId() : nextTransactionId++;
        calls.add("beginExecute " + sql(r.getQuery()) + (r.getReservedId() != 0 ? " rs=" + r.getReservedId() : "")
                + (r.getDtid().isEmpty() ? "" : " xa") + " -> tx=" + id);
        if (!r.getDtid().isEmpty()) {
            lastDtid = r.getDtid();
        }
        return BeginExecuteResponse.newBuilder().setTransactionId(id).setResult(oneValue("tablet")).build();
    }

    // Two-phase commit: decision records kept in memory, calls recorded without the (random) dtid. A failure
    // for "rpc:<name>" in failures makes that call fail (once).

    /** The dtid of the last BeginExecute that began an XA branch. */
    public volatile String lastDtid;
    /** Decision records this tablet keeps as metadata manager, by dtid. */
    public final java.util.Map<String, io.tessel.proto.Query.TransactionMetadata> records =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** What UnresolvedTransactions answers with. */
    public volatile io.tessel.proto.Query.UnresolvedTransactionsResponse unresolved =
            io.tessel.proto.Query.UnresolvedTransactionsResponse.getDefaultInstance();

    private void rpc(String name, String call) {
        calls.add(call);
        RuntimeException e = failures.remove("rpc:" + name);
        if (e != null) {
            throw e;
        }
    }

    private void transition(String dtid, io.tessel.proto.Query.TransactionState to) {
        io.tessel.proto.Query.TransactionMetadata m = records.get(dtid);
        if (m != null && m.getState() == io.tessel.proto.Query.TransactionState.PREPARE) {
            records.put(dtid, m.toBuilder().setState(to).build());
        } else if (m == null || m.getState() != to) {
            throw io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.FAILED_PRECONDITION,
                    "could not transition " + dtid + " to " + to);
        }
    }

    @Override
    public io.tessel.proto.Query.CreateTransactionResponse createTransaction(io.tessel.proto.Query.CreateTransactionRequest r) {
        rpc("createTransaction", "createTransaction " + r.getParticipantsList().stream()
                .map(t -> t.getKeyspace() + "/" + t.getShard()).toList());
        records.put(r.getDtid(), io.tessel.proto.Query.TransactionMetadata.newBuilder().setDtid(r.getDtid())
                .setState(io.tessel.proto.Query.TransactionState.PREPARE).addAllParticipants(r.getParticipantsList()).build());
        return io.tessel.proto.Query.CreateTransactionResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.PrepareResponse prepare(io.tessel.proto.Query.PrepareRequest r) {
        beforePrepare.run();
        rpc("prepare", "prepare tx=" + r.getTransactionId());
        return io.tessel.proto.Query.PrepareResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.StartCommitResponse startCommit(io.tessel.proto.Query.StartCommitRequest r) {
        rpc("startCommit", "startCommit");
        transition(r.getDtid(), io.tessel.proto.Query.TransactionState.COMMIT);
        return io.tessel.proto.Query.StartCommitResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.SetRollbackResponse setRollback(io.tessel.proto.Query.SetRollbackRequest r) {
        rpc("setRollback", "setRollback");
        transition(r.getDtid(), io.tessel.proto.Query.TransactionState.ROLLBACK);
        return io.tessel.proto.Query.SetRollbackResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.CommitPreparedResponse commitPrepared(io.tessel.proto.Query.CommitPreparedRequest r) {
        rpc("commitPrepared", "commitPrepared " + r.getTarget().getShard());
        return io.tessel.proto.Query.CommitPreparedResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.RollbackPreparedResponse rollbackPrepared(io.tessel.proto.Query.RollbackPreparedRequest r) {
        rpc("rollbackPrepared", "rollbackPrepared " + r.getTarget().getShard() + " tx=" + r.getTransactionId());
        return io.tessel.proto.Query.RollbackPreparedResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.ConcludeTransactionResponse concludeTransaction(
            io.tessel.proto.Query.ConcludeTransactionRequest r) {
        rpc("concludeTransaction", "concludeTransaction");
        records.remove(r.getDtid());
        return io.tessel.proto.Query.ConcludeTransactionResponse.getDefaultInstance();
    }

    @Override
    public io.tessel.proto.Query.ReadTransactionResponse readTransaction(io.tessel.proto.Query.ReadTransactionRequest r) {
        rpc("readTransaction", "readTransaction");
        io.tessel.proto.Query.TransactionMetadata m = records.get(r.getDtid());
        return m == null ? io.tessel.proto.Query.ReadTransactionResponse.getDefaultInstance()
                : io.tessel.proto.Query.ReadTransactionResponse.newBuilder().setMetadata(m).build();
    }

    @Override
    public io.tessel.proto.Query.UnresolvedTransactionsResponse unresolvedTransactions(
            io.tessel.proto.Query.UnresolvedTransactionsRequest r) {
        return unresolved;
    }

    /** The SQL as the tablet would run it: the normalizer's bind variables substituted back. */
    private static String sql(io.tessel.proto.Query.BoundQuery query) {
        return io.tessel.vttablet.server.BindVarSubstituter.substitute(query.getSql(), query.getBindVariablesMap());
    }
}
