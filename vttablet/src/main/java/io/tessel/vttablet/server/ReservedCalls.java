package io.tessel.vttablet.server;

import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.ReleaseRequest;
import io.tessel.proto.Query.ReleaseResponse;
import io.tessel.proto.Query.ReserveBeginExecuteRequest;
import io.tessel.proto.Query.ReserveBeginExecuteResponse;
import io.tessel.proto.Query.ReserveExecuteRequest;
import io.tessel.proto.Query.ReserveExecuteResponse;
import io.tessel.proto.Query.ReserveStreamExecuteRequest;
import io.tessel.proto.Query.ReserveStreamExecuteResponse;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.vttablet.server.TabletMeters.Method;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tablet's reserved-connection calls: a connection kept for one vtgate session, with the session's
 * settings (its SET statements, sent as pre-queries) applied, on which the session's statements and
 * transactions run until it is released. Thread-safe.
 */
final class ReservedCalls {
    private final CallGate gate;
    private final TxEngine txEngine;
    private final QueryExecutor executor;
    private final TabletAlias alias;
    private final Function<String, TxSerializer.Slot> hotRowSlot;

    /** @param hotRowSlot a statement's place in the queue of the row it writes (hot-row protection) */
    ReservedCalls(CallGate gate, TxEngine txEngine, QueryExecutor executor, TabletAlias alias,
                  Function<String, TxSerializer.Slot> hotRowSlot) {
        this.gate = gate;
        this.txEngine = txEngine;
        this.executor = executor;
        this.alias = alias;
        this.hotRowSlot = hotRowSlot;
    }

    /**
     * Reserves a connection with the request's pre-queries (the session's settings) and runs the query on it;
     * with a transaction id, the transaction's connection becomes reserved. A query failure comes back in the
     * response with the reserved id, which the caller must release.
     */
    ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return gate.call(Method.RESERVE_EXECUTE, request.getTarget(), request.getTransactionId() != 0, () -> {
            String sql = TabletServer.sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = reserve(request.getTransactionId(), options, request.getPreQueriesList());
            ReserveExecuteResponse.Builder response = ReserveExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                QueryResult result = txEngine.runAll(id, List.of(), sql, options);
                return response.setReservedId(id).setResult(result).build();
            } catch (VtException e) {
                return response.setReservedId(txEngine.isActive(id) ? id : 0).setError(RpcErrors.toProto(e)).build();
            }
        });
    }

    /** A new reserved connection, or transaction {@code transactionId}'s connection made reserved; its id. */
    private long reserve(long transactionId, ExecuteOptions options, List<String> preQueries) {
        if (transactionId != 0) {
            txEngine.reserveTransaction(transactionId, preQueries);
            return transactionId;
        }
        return txEngine.reserve(options, preQueries);
    }

    /** Reserves a connection with the pre-queries, begins a transaction on it and runs the query. */
    ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return gate.call(Method.RESERVE_BEGIN_EXECUTE, request.getTarget(), false, () -> {
            String sql = TabletServer.sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = txEngine.reserve(options, request.getPreQueriesList());
            ReserveBeginExecuteResponse.Builder response = ReserveBeginExecuteResponse.newBuilder().setTabletAlias(alias);
            try {
                txEngine.beginOn(id, options, hotRowSlot.apply(sql));
                QueryResult result = txEngine.runAll(id, request.getPostBeginQueriesList(), sql, options);
                return response.setReservedId(id).setTransactionId(id).setResult(result).build();
            } catch (VtException e) {
                boolean isHeld = txEngine.isActive(id);
                return response.setReservedId(isHeld ? id : 0).setTransactionId(isHeld ? id : 0)
                        .setError(RpcErrors.toProto(e)).build();
            }
        });
    }

    /**
     * Reserves a connection with the pre-queries, sends its id, then streams the query on it. A failure after
     * the id was sent is thrown; the connection stays reserved until released.
     */
    void reserveStreamExecute(ReserveStreamExecuteRequest request, Consumer<ReserveStreamExecuteResponse> sink) {
        gate.run(Method.RESERVE_STREAM_EXECUTE, request.getTarget(), request.getTransactionId() != 0, () -> {
            String sql = TabletServer.sql(request.getQuery());
            ExecuteOptions options = request.getOptions();
            long id = reserve(request.getTransactionId(), options, request.getPreQueriesList());
            sink.accept(ReserveStreamExecuteResponse.newBuilder().setReservedId(id).setTabletAlias(alias).build());
            txEngine.run(id, conn -> {
                executor.stream(conn, sql, options,
                        part -> sink.accept(ReserveStreamExecuteResponse.newBuilder().setResult(part).build()));
                return null;
            });
        });
    }

    /** Rolls back the transaction and closes the reserved connection; allowed while the tablet shuts down. */
    ReleaseResponse release(ReleaseRequest request) {
        return gate.call(Method.RELEASE, request.getTarget(), true, () -> {
            txEngine.release(TabletServer.held(request.getTransactionId(), request.getReservedId()));
            return ReleaseResponse.getDefaultInstance();
        });
    }
}
