package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.common.twopc.Dtid;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.ReleaseRequest;
import io.tessel.proto.Query.ReserveBeginExecuteRequest;
import io.tessel.proto.Query.ReserveBeginExecuteResponse;
import io.tessel.proto.Query.ReserveExecuteRequest;
import io.tessel.proto.Query.ReserveExecuteResponse;
import io.tessel.proto.Query.ReserveStreamExecuteRequest;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.Target;
import io.tessel.vtgate.exec.Session.ShardSession;
import io.tessel.vtgate.gateway.TabletGateway;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements on shards within the session's transaction and on its reserved connections: a shard joins
 * the transaction lazily with BeginExecute the first time the transaction touches it; a session with
 * settings that must reach MySQL ({@link Session#isReserved()}) reserves a connection per shard the first time
 * it touches the shard (ReserveExecute, ReserveBeginExecute or ReserveStreamExecute with the settings as
 * pre-queries), as Vitess does, and keeps it until the session is released. Commit and rollback go to every
 * shard in the transaction, one after another (Vitess's MULTI mode), and leave reservations in place; in
 * SINGLE mode a second shard rolls the transaction back with an error. A reservation the tablet closed for
 * idling is reserved again once, transparently, outside transactions. In TWOPC mode each shard's part is an
 * XA branch of the transaction's dtid and a commit reaching several shards is atomic ({@link TwoPcCommit});
 * TWOPC with reserved connections is refused. Stateless; all state lives in the {@link Session}.
 */
final class TxConn {
    private static final Logger log = LoggerFactory.getLogger(TxConn.class);

    private final TabletGateway gateway;
    private final TwoPcCommit twoPc;
    private final TwoPcMeters meters;

    TxConn(TabletGateway gateway) {
        this(gateway, new TwoPcMeters(new io.micrometer.core.instrument.composite.CompositeMeterRegistry()),
                TwoPcFault.NONE);
    }

    TxConn(TabletGateway gateway, TwoPcMeters meters, TwoPcFault fault) {
        this.gateway = gateway;
        this.meters = meters;
        this.twoPc = new TwoPcCommit(gateway, meters, fault);
    }

    /**
     * Runs one query on one shard: plainly in autocommit mode outside a transaction without settings, else in
     * the session's transaction and/or on its reserved connection there, opening them the first time. Safe to
     * call for different shards from several threads at once (a scatter inside a transaction). The shard's
     * warnings join the session's diagnostics.
     */
    QueryResult execute(Session session, Target target, BoundQuery query, ExecuteOptions options) {
        QueryResult r = executeOnShard(session, target, query, options);
        if (r.getWarningsCount() > 0) {
            session.diagnostics().add(r.getWarningsList());
        }
        return r;
    }

    private QueryResult executeOnShard(Session session, Target target, BoundQuery query, ExecuteOptions options) {
        boolean isTransaction = session.isInTransaction() || !session.isAutocommit();
        if (!isTransaction && !session.isReserved()) {
            return gateway.queryService(target).execute(ExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                    .setOptions(options).build()).getResult();
        }
        ShardSession ss = session.shardSession(target);
        if (isTransaction && session.isReserved() && (session.dtid() != null
                || session.transactionMode() == TransactionMode.TWOPC)) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET, "VT12001: unsupported: "
                    + "transaction_mode TWOPC with session settings that need reserved connections");
        }
        if (ss == null) {
            QueryService qs = gateway.queryService(target);
            return session.isReserved() ? reserveExecute(session, qs, target, query, options, isTransaction)
                    : beginExecute(session, qs, target, query, options, null);
        }
        if (isTransaction && !ss.isInTransaction()) {
            return beginExecute(session, tabletOf(ss), target, query, options, ss);
        }
        try {
            return tabletOf(ss).execute(ExecuteRequest.newBuilder().setTarget(target).setQuery(query).setOptions(options)
                    .setTransactionId(ss.transactionId()).setReservedId(ss.reservedId()).build()).getResult();
        } catch (VtException e) {
            if (!isReservationGone(ss, e)) {
                throw e;
            }
            session.removeShardSession(target);
            return reserveExecute(session, gateway.queryService(target), target, query, options, false);
        }
    }

    /**
     * Whether a call on the shard's idle reservation (no transaction open) failed because the reservation is
     * gone: the tablet closed it, or the tablet is stopping or stopped and refused the call before running it
     * (a rolling restart), so reserving again on a serving tablet is safe.
     */
    private static boolean isReservationGone(ShardSession ss, VtException e) {
        if (ss.isInTransaction() || ss.reservedId() == 0) {
            return false;
        }
        return (e.code() == ErrorCode.NOT_FOUND && !e.hasErrno()
                && String.valueOf(e.getMessage()).contains(ss.reservedId() + ": not found"))
                || io.tessel.vtgate.gateway.ShardBuffer.isRefusedBeforeRunning(e);
    }

    /** Begins the shard's part of the transaction, on the session's reservation there when {@code reserved} is given. */
    private QueryResult beginExecute(Session session, QueryService qs, Target target, BoundQuery query,
                                     ExecuteOptions options, ShardSession reserved) {
        long reservedId = reserved == null ? 0 : reserved.reservedId();
        String dtid = session.dtidForBegin(target, t -> Dtid.generate(t.getKeyspace(), t.getShard()).toString());
        BeginExecuteResponse r = qs.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                .setOptions(options).setReservedId(reservedId).setDtid(dtid == null ? "" : dtid).build());
        session.putShardSession(new ShardSession(target, r.getTransactionId(), reservedId,
                reserved == null ? r.getTabletAlias() : reserved.tabletAlias()));
        session.markInTransaction();
        checkSingle(session);
        if (r.hasError()) {
            throw RpcErrors.fromProto(r.getError());
        }
        return r.getResult();
    }

    /** Reserves a connection on the shard with the session's settings (in a new transaction when one is open). */
    private QueryResult reserveExecute(Session session, QueryService qs, Target target, BoundQuery query,
                                       ExecuteOptions options, boolean isTransaction) {
        if (isTransaction) {
            ReserveBeginExecuteResponse r = qs.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                    .setTarget(target).setQuery(query).setOptions(options).addAllPreQueries(session.preQueries()).build());
            session.putShardSession(new ShardSession(target, r.getTransactionId(), r.getReservedId(), r.getTabletAlias()));
            session.markInTransaction();
            checkSingle(session);
            if (r.hasError()) {
                throw RpcErrors.fromProto(r.getError());
            }
            return r.getResult();
        }
        ReserveExecuteResponse r = qs.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(target)
                .setQuery(query).setOptions(options).addAllPreQueries(session.preQueries()).build());
        session.putShardSession(new ShardSession(target, 0, r.getReservedId(), r.getTabletAlias()));
        if (r.hasError()) {
            throw RpcErrors.fromProto(r.getError());
        }
        return r.getResult();
    }

    /** In SINGLE mode, a transaction on a second shard is rolled back and refused. */
    private void checkSingle(Session session) {
        if (session.transactionMode() != TransactionMode.SINGLE || session.transactionShards() <= 1) {
            return;
        }
        List<ShardSession> shards = session.endTransaction();
        rollbackQuietly(shards);
        throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_UNKNOWN_ERROR,
                "multi-db transaction attempted: " + shards.stream().map(ss -> ss.target().getKeyspace() + "/"
                        + ss.target().getShard()).toList() + " (transaction_mode is SINGLE; the transaction was rolled back)");
    }

    /**
     * Streams one read from one shard outside any transaction (the caller checks), the parts going to
     * {@code sink} on the calling thread as the tablet sends them; on the session's reserved connection there,
     * reserving one first, when the session has settings.
     */
    void streamExecute(Session session, Target target, BoundQuery query, ExecuteOptions options,
                       Consumer<QueryResult> sink) {
        StreamExecuteRequest.Builder request = StreamExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                .setOptions(options);
        if (!session.isReserved()) {
            gateway.queryService(target).streamExecute(request.build(), sink);
            return;
        }
        ShardSession ss = session.shardSession(target);
        if (ss != null) {
            boolean[] isStarted = {false};
            try {
                tabletOf(ss).streamExecute(request.setReservedId(ss.reservedId()).build(), part -> {
                    isStarted[0] = true;
                    sink.accept(part);
                });
                return;
            } catch (VtException e) {
                if (isStarted[0] || !isReservationGone(ss, e)) {
                    throw e;
                }
                session.removeShardSession(target);
            }
        }
        ReserveStreamExecuteRequest reserve = ReserveStreamExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                .setOptions(options).addAllPreQueries(session.preQueries()).build();
        gateway.queryService(target).reserveStreamExecute(reserve, response -> {
            if (response.getReservedId() != 0) {
                session.putShardSession(new ShardSession(target, 0, response.getReservedId(), response.getTabletAlias()));
            }
            if (response.hasResult()) {
                sink.accept(response.getResult());
            }
        });
    }

    /**
     * Commits every shard in the transaction in order; the first failure rolls back the rest and is thrown. An
     * atomic (TWOPC) transaction on several shards commits with two-phase commit instead; on one shard its
     * branch commits in one phase.
     */
    void commit(Session session) {
        String dtid = session.dtid();
        TransactionMode mode = dtid != null ? TransactionMode.TWOPC
                : session.transactionMode() == TransactionMode.SINGLE ? TransactionMode.SINGLE : TransactionMode.MULTI;
        List<ShardSession> shards = session.endTransaction();
        if (!shards.isEmpty()) {
            meters.commit(mode);
        }
        if (dtid != null && shards.size() > 1) {
            // Not cancelled by the client leaving: a commit stopped half way holds every shard's locks until
            // the transaction timeout or the resolver; it is short, so it finishes.
            io.grpc.Context.current().fork().run(() -> twoPc.commit(dtid, shards));
            return;
        }
        for (int i = 0; i < shards.size(); i++) {
            ShardSession ss = shards.get(i);
            try {
                tabletOf(ss).commit(CommitRequest.newBuilder().setTarget(ss.target())
                        .setTransactionId(ss.transactionId()).build());
            } catch (VtException e) {
                rollbackQuietly(shards.subList(i + 1, shards.size()));
                throw e;
            }
        }
    }

    /** Rolls back every shard in the transaction; all are tried, the first failure is thrown. */
    void rollback(Session session) {
        VtException first = null;
        for (ShardSession ss : session.endTransaction()) {
            try {
                rollbackOne(ss);
            } catch (VtException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Ends everything the session holds on the shards: transactions are rolled back and reserved connections
     * closed (Release). All are tried; the first failure is thrown.
     */
    void release(Session session) {
        List<ShardSession> shards = session.shardSessions();
        session.clearShardSessions();
        VtException first = null;
        for (ShardSession ss : shards) {
            try {
                if (ss.reservedId() == 0) {
                    rollbackOne(ss);
                } else {
                    tabletOf(ss).release(ReleaseRequest.newBuilder().setTarget(ss.target())
                            .setTransactionId(ss.transactionId()).setReservedId(ss.reservedId()).build());
                }
            } catch (VtException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Ends the session's transaction after a shard aborted it (a deadlock): the other shards are rolled back,
     * failures only logged (the aborted shard no longer knows its transaction id).
     */
    void rollbackAfterAbort(Session session) {
        for (ShardSession ss : session.endTransaction()) {
            try {
                rollbackOne(ss);
            } catch (VtException e) {
                if (e.code() != ErrorCode.NOT_FOUND) { // NOT_FOUND: the shard that aborted
                    log.warn("vtgate: rollback of {}/{} transaction {} after a deadlock failed: {}",
                            ss.target().getKeyspace(), ss.target().getShard(), ss.transactionId(), e.getMessage());
                }
            }
        }
    }

    private void rollbackQuietly(List<ShardSession> shards) {
        for (ShardSession ss : shards) {
            try {
                rollbackOne(ss);
            } catch (VtException e) {
                log.warn("vtgate: rollback of {}/{} transaction {} failed: {}", ss.target().getKeyspace(),
                        ss.target().getShard(), ss.transactionId(), e.getMessage());
            }
        }
    }

    private void rollbackOne(ShardSession ss) {
        tabletOf(ss).rollback(RollbackRequest.newBuilder().setTarget(ss.target())
                .setTransactionId(ss.transactionId()).build());
    }

    /** The tablet holding a shard session's transaction or reservation. */
    private QueryService tabletOf(ShardSession ss) {
        return gateway.transactionService(ss.target(), ss.tabletAlias());
    }
}
