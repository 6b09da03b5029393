package io.tessel.vtgate.gateway;

import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.Target;

/**
 * Finds the tablet that serves a target (keyspace, shard, tablet type). Implementations are
 * thread-safe; a missing tablet is a VtException with code UNAVAILABLE.
 */
public interface TabletGateway {
    QueryService queryService(Target target);
}
