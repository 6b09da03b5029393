package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a query to the shards its opcode picks and combines their results, as Vitess's {@code engine.Route}:
 * one shard's result as it is; several shards' results concatenated, or merge-sorted when the query orders
 * its rows, with the extra sort columns (weight strings, hidden order-by columns) cut off at the end.
 */
public final class Route implements Primitive {
    private final RouteParams params;

    public Route(RouteParams params) {
        this.params = params;
    }

    public RouteParams params() {
        return params;
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        List<ShardQuery> queries = shardQueries(vcursor, bindVars);
        if (queries.isEmpty()) {
            return noShards(vcursor, bindVars);
        }
        List<QueryResult> results = vcursor.executeMultiShard(queries, params.isWrite());
        if (results.size() > 1) {
            long rows = 0;
            for (QueryResult r : results) {
                rows += r.getRowsCount();
            }
            if (rows > vcursor.maxMemoryRows()) {
                throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED,
                        "in-memory row count exceeded allowed limit of " + vcursor.maxMemoryRows());
            }
        }
        QueryResult combined = results.size() == 1 ? results.getFirst()
                : params.orderBy().isEmpty() ? Results.concatenate(results) : MergeSort.merge(results, params.orderBy());
        return slice(combined);
    }

    /**
     * Streams the shards' results (Vitess's {@code StreamExecute} of a route): one shard's parts as they come,
     * several shards' parts as each arrives, or merged in order through their bounded queues when the query
     * orders its rows; no memory row limit applies. Writes are not streamed.
     */
    @Override
    public void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        if (params.isWrite()) {
            sink.accept(execute(vcursor, bindVars));
            return;
        }
        List<ShardQuery> queries = shardQueries(vcursor, bindVars);
        if (queries.isEmpty()) {
            sink.accept(noShards(vcursor, bindVars));
            return;
        }
        ResultSink sliced = params.columns().isAll() ? sink : part -> sink.accept(slice(part));
        try (ShardStreams streams = vcursor.streamMultiShard(queries)) {
            if (queries.size() > 1 && !params.orderBy().isEmpty()) {
                MergeSort.stream(streams, params.orderBy(), sliced);
            } else {
                concatenate(streams, sliced);
            }
        }
    }

    /** The parts of every shard as they arrive; the fields only once, from the first shard to send them. */
    private static void concatenate(ShardStreams streams, ResultSink sink) {
        boolean isFieldsSent = false;
        for (ShardStreams.Part p = streams.nextAny(); p != null; p = streams.nextAny()) {
            QueryResult part = p.result();
            if (isFieldsSent && part.getFieldsCount() > 0) {
                if (part.getRowsCount() == 0) {
                    continue;
                }
                part = part.toBuilder().clearFields().build();
            }
            isFieldsSent |= part.getFieldsCount() > 0;
            if (!sink.accept(part)) {
                return;
            }
        }
    }

    private QueryResult slice(QueryResult result) {
        return params.columns().isAll() ? result
                : SimpleProjection.slice(result, params.columns().from(), params.columns().to());
    }

    /** The query for each shard this execution reaches, with per-shard values for IN routes. */
    List<ShardQuery> shardQueries(VCursor vcursor, Map<String, BindVariable> bindVars) {
        ShardResolver resolver = vcursor.resolver(params.keyspace());
        return switch (params.opcode()) {
            case UNSHARDED, REFERENCE -> List.of(query(resolver.shardNames().getFirst(), bindVars));
            case SCATTER -> resolver.shardNames().stream().map(shard -> query(shard, bindVars)).toList();
            case BY_DESTINATION -> params.targetShards().stream().map(shard -> query(shard, bindVars)).toList();
            case NONE -> List.of();
            case EQUAL_UNIQUE, EQUAL -> equal(vcursor, resolver, bindVars);
            case IN -> in(vcursor, resolver, bindVars);
        };
    }

    private List<ShardQuery> equal(VCursor vcursor, ShardResolver resolver, Map<String, BindVariable> bindVars) {
        Value value = params.values().resolve(bindVars);
        List<String> shards = resolver.shards(VindexMapping.map(params.vindex(), vcursor, List.of(value)).getFirst());
        return shards.stream().map(shard -> query(shard, bindVars)).toList();
    }

    private List<ShardQuery> in(VCursor vcursor, ShardResolver resolver, Map<String, BindVariable> bindVars) {
        List<Value> values = params.values().resolveList(bindVars);
        var destinations = VindexMapping.map(params.vindex(), vcursor, values);
        Map<String, BindVariable.Builder> perShard = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            for (String shard : resolver.shards(destinations.get(i))) {
                perShard.computeIfAbsent(shard, s -> BindVariable.newBuilder().setType(Type.TUPLE))
                        .addValues(values.get(i).toProto());
            }
        }
        List<ShardQuery> out = new ArrayList<>(perShard.size());
        for (String shard : resolver.shardNames()) { // shard order keeps results deterministic
            BindVariable.Builder vals = perShard.get(shard);
            if (vals != null) {
                Map<String, BindVariable> vars = new LinkedHashMap<>(bindVars);
                vars.put(RouteParams.LIST_VAR, vals.build());
                out.add(new ShardQuery(params.keyspace(), shard,
                        BoundQuery.newBuilder().setSql(params.query()).putAllBindVariables(vars).build()));
            }
        }
        return out;
    }

    private ShardQuery query(String shard, Map<String, BindVariable> bindVars) {
        return new ShardQuery(params.keyspace(), shard,
                BoundQuery.newBuilder().setSql(params.query()).putAllBindVariables(bindVars).build());
    }

    /** No shard holds a matching row: an empty result, with the fields of the field query when there is one. */
    private QueryResult noShards(VCursor vcursor, Map<String, BindVariable> bindVars) {
        if (params.fieldQuery().isEmpty()) {
            return QueryResult.getDefaultInstance();
        }
        String shard = vcursor.resolver(params.keyspace()).shardNames().getFirst();
        BoundQuery q = BoundQuery.newBuilder().setSql(params.fieldQuery()).putAllBindVariables(bindVars).build();
        QueryResult fields = vcursor.executeMultiShard(List.of(new ShardQuery(params.keyspace(), shard, q)), false)
                .getFirst();
        return slice(QueryResult.newBuilder().addAllFields(fields.getFieldsList()).build());
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public boolean isWrite() {
        return params.isWrite();
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        if (!params.fieldQuery().isEmpty()) {
            other.put("FieldQuery", params.fieldQuery());
        }
        if (!params.orderBy().isEmpty()) {
            other.put("OrderBy", params.orderBy().stream().map(OrderBy::describe).toList());
        }
        other.put("Query", params.query());
        if (!params.table().isEmpty()) {
            other.put("Table", params.table());
        }
        if (params.vindex() != null) {
            other.put("Values", List.of(params.values().describe()));
            other.put("Vindex", params.vindex().name());
        }
        if (!params.targetShards().isEmpty()) {
            other.put("TargetDestination", params.targetShards());
        }
        if (!params.columns().isAll()) {
            other.put("ResultColumns", params.columns().toString());
        }
        return PlanDescription.of(operator(), params.opcode().vitessName(), params.keyspace(), other);
    }

    /** "Route" for reads; "Insert", "Update" or "Delete" (by the statement's first word) for writes, as Vitess prints them. */
    private String operator() {
        if (!params.isWrite()) {
            return "Route";
        }
        String sql = params.query().stripLeading();
        int end = 0;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        String verb = sql.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        return switch (verb) {
            case "insert", "replace" -> "Insert";
            case "delete" -> "Delete";
            default -> "Update";
        };
    }
}
