package io.tessel.vtgate.gateway;

import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletAlias;

/**
 * Finds the tablet that serves a target (keyspace, shard, tablet type). Implementations are
 * thread-safe; a missing tablet is a VtException with code UNAVAILABLE, thrown here or, when the gateway
 * buffers calls for a shard without a serving tablet ({@link ShardBuffer}), by the call on what it returns.
 */
public interface TabletGateway {
    QueryService queryService(Target target);

    /**
     * The tablet holding a transaction: the tablet of {@code alias} while vtgate knows it, even when it no
     * longer serves new queries (a tablet shutting down lets open transactions finish), else
     * {@link #queryService(Target)}.
     */
    default QueryService transactionService(Target target, TabletAlias alias) {
        return queryService(target);
    }
}
