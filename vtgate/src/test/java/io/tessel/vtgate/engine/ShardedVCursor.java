package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cursor over scripted shards for route, insert and sequence tests: keyspaces have fixed shard names, every
 * shard query is recorded (with its bind variables substituted by name for readable assertions), and answers
 * come from a function of the query.
 */
final class ShardedVCursor implements VCursor {
    /** One recorded shard call: keyspace/shard, the SQL and its bind variables' values as text. */
    record Call(String target, String sql, Map<String, String> vars) {}

    final List<Call> calls = new ArrayList<>();
    final List<Call> standalone = new ArrayList<>();
    long lastInsertId;
    private final Map<String, List<String>> shards;
    private final Function<ShardQuery, QueryResult> answer;
    private final long maxMemoryRows;

    ShardedVCursor(Map<String, List<String>> shards, Function<ShardQuery, QueryResult> answer, long maxMemoryRows) {
        this.shards = shards;
        this.answer = answer;
        this.maxMemoryRows = maxMemoryRows;
    }

    @Override
    public ShardResolver resolver(String keyspace) {
        return ShardResolver.of(shards.get(keyspace));
    }

    @Override
    public List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite) {
        List<QueryResult> out = new ArrayList<>();
        for (ShardQuery q : queries) {
            calls.add(call(q));
            out.add(answer.apply(q));
        }
        return out;
    }

    @Override
    public QueryResult executeStandalone(String keyspace, String shard, BoundQuery query) {
        ShardQuery q = new ShardQuery(keyspace, shard, query);
        standalone.add(call(q));
        return answer.apply(q);
    }

    @Override
    public long maxMemoryRows() {
        return maxMemoryRows;
    }

    @Override
    public void setLastInsertId(long id) {
        lastInsertId = id;
    }

    @Override
    public VindexCursor vindexCursor() {
        throw new UnsupportedOperationException("these tests route by functional vindexes only");
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        throw new UnsupportedOperationException("these tests write no lookup vindexes");
    }

    private static Call call(ShardQuery q) {
        Map<String, String> vars = new java.util.TreeMap<>();
        q.query().getBindVariablesMap().forEach((k, v) -> vars.put(k, v.getValuesCount() > 0
                ? v.getValuesList().stream().map(x -> x.getValue().toStringUtf8()).toList().toString()
                : v.getValue().toStringUtf8()));
        return new Call(q.keyspace() + "/" + q.shard(), q.query().getSql(), vars);
    }
}
