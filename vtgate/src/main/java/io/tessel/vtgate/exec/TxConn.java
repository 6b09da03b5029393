package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.Target;
import io.tessel.vtgate.exec.Session.ShardSession;
import io.tessel.vtgate.gateway.TabletGateway;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements on shards within the session's transaction: a shard joins the transaction lazily
 * with BeginExecute the first time the transaction touches it; commit and rollback go to every shard
 * session, one after another (Vitess's MULTI mode); in SINGLE mode a second shard rolls the transaction back
 * with an error. Stateless; all state lives in the {@link Session}.
 */
final class TxConn {
    private static final Logger log = LoggerFactory.getLogger(TxConn.class);

    private final TabletGateway gateway;

    TxConn(TabletGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Runs one query on one shard: plainly in autocommit mode outside a transaction, else in the session's
     * transaction on that shard, which BeginExecute opens the first time. Safe to call for different shards
     * from several threads at once (a scatter inside a transaction).
     */
    QueryResult execute(Session session, Target target, BoundQuery query, ExecuteOptions options) {
        if (!session.isInTransaction() && session.isAutocommit()) {
            return gateway.queryService(target).execute(ExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                    .setOptions(options).build()).getResult();
        }
        ShardSession joined = session.shardSession(target);
        if (joined != null) {
            return tabletOf(joined).execute(ExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                    .setTransactionId(joined.transactionId()).setOptions(options).build()).getResult();
        }
        BeginExecuteResponse r = gateway.queryService(target).beginExecute(BeginExecuteRequest.newBuilder()
                .setTarget(target).setQuery(query).setOptions(options).build());
        session.addShardSession(new ShardSession(target, r.getTransactionId(), r.getTabletAlias()));
        if (session.transactionMode() == TransactionMode.SINGLE && session.shardSessions().size() > 1) {
            List<ShardSession> shards = session.shardSessions();
            rollbackQuietly(shards);
            clear(session);
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_UNKNOWN_ERROR,
                    "multi-db transaction attempted: " + shards.stream().map(ss -> ss.target().getKeyspace() + "/"
                            + ss.target().getShard()).toList() + " (transaction_mode is SINGLE; the transaction was rolled back)");
        }
        if (r.hasError()) {
            throw RpcErrors.fromProto(r.getError());
        }
        return r.getResult();
    }

    /**
     * Streams one read from one shard outside any transaction (the caller checks), the parts going to
     * {@code sink} on the calling thread as the tablet sends them.
     */
    void streamExecute(Session session, Target target, BoundQuery query, ExecuteOptions options,
            java.util.function.Consumer<QueryResult> sink) {
        gateway.queryService(target).streamExecute(StreamExecuteRequest.newBuilder().setTarget(target).setQuery(query)
                .setOptions(options).build(), sink);
    }

    /** Commits every shard session in order; the first failure rolls back the rest and is thrown. */
    void commit(Session session) {
        List<ShardSession> shards = session.shardSessions();
        clear(session);
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

    void rollback(Session session) {
        List<ShardSession> shards = session.shardSessions();
        clear(session);
        VtException first = null;
        for (ShardSession ss : shards) {
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

    /** The tablet holding a shard's part of the transaction. */
    private QueryService tabletOf(ShardSession ss) {
        return gateway.transactionService(ss.target(), ss.tabletAlias());
    }

    private static void clear(Session session) {
        session.clearShardSessions();
    }
}
