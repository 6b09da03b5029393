package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BoundQuery;
import java.util.Objects;

/** A query bound for one shard of a keyspace. */
public record ShardQuery(String keyspace, String shard, BoundQuery query) {
    public ShardQuery {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(query, "query");
    }
}
