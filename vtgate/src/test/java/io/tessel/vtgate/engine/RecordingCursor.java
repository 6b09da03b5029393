package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.VindexCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A VCursor over shards {@code -80, 80-} and its vindex cursor, recording everything in one list, in order:
 * "begin"/"commit"/"rollback" of implicit transactions, "-80: sql {vars}" for shard queries, "session|outside:
 * sql {vars}" for lookup queries (VARBINARY variables in hex). Answers come from {@link #answer}, by a prefix
 * of "sql {vars}"; other queries affect one row.
 */
final class RecordingCursor implements VCursor {
    final List<String> log = new ArrayList<>();
    private final Map<String, Object> answers = new LinkedHashMap<>();
    private final ShardResolver resolver = ShardResolver.of(List.of("-80", "80-"));

    /** Answers queries whose "sql {vars}" starts with {@code sqlPrefix} with a result, or throws a RuntimeException. */
    RecordingCursor answer(String sqlPrefix, Object answer) {
        answers.put(sqlPrefix, answer);
        return this;
    }

    static QueryResult rows(List<Type> types, String... rows) {
        QueryResult.Builder out = QueryResult.newBuilder();
        types.forEach(t -> out.addFields(Field.newBuilder().setType(t)));
        for (String row : rows) {
            byte[][] cells = java.util.Arrays.stream(row.split("\\|")).map(c -> c.startsWith("0x")
                    ? HexFormat.of().parseHex(c.substring(2)) : c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            out.addRows(ResultRows.encode(cells));
        }
        return out.build();
    }

    private QueryResult respond(String line) {
        for (Map.Entry<String, Object> e : answers.entrySet()) {
            if (line.startsWith(e.getKey())) {
                if (e.getValue() instanceof RuntimeException failure) {
                    throw failure;
                }
                return (QueryResult) e.getValue();
            }
        }
        return QueryResult.newBuilder().setRowsAffected(1).build();
    }

    static String format(Map<String, BindVariable> vars) {
        Map<String, String> sorted = new TreeMap<>();
        vars.forEach((k, v) -> sorted.put(k, switch (v.getType()) {
            case VARBINARY -> "0x" + HexFormat.of().formatHex(v.getValue().toByteArray());
            case TUPLE -> v.getValuesList().stream().map(x -> x.getValue().toStringUtf8()).toList().toString();
            default -> v.getValue().toStringUtf8();
        }));
        return sorted.toString();
    }

    @Override
    public ShardResolver resolver(String keyspace) {
        return resolver;
    }

    @Override
    public List<QueryResult> executeMultiShard(List<ShardQuery> queries, boolean isWrite) {
        List<QueryResult> out = new ArrayList<>();
        for (ShardQuery q : queries) {
            String line = q.query().getSql() + " " + format(q.query().getBindVariablesMap());
            log.add(q.shard() + ": " + line);
            out.add(respond(line));
        }
        return out;
    }

    @Override
    public QueryResult executeStandalone(String keyspace, String shard, BoundQuery query) {
        throw VtException.of(ErrorCode.INTERNAL, "not used");
    }

    @Override
    public long maxMemoryRows() {
        return 1000;
    }

    @Override
    public void setLastInsertId(long id) {}

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        log.add("begin");
        try {
            T result = work.get();
            log.add("commit");
            return result;
        } catch (RuntimeException e) {
            log.add("rollback");
            throw e;
        }
    }

    @Override
    public VindexCursor vindexCursor() {
        return new VindexCursor() {
            @Override
            public QueryResult execute(String sql, Map<String, BindVariable> bindVars, boolean isAutocommitOutsideTx) {
                String line = sql + " " + format(bindVars);
                log.add((isAutocommitOutsideTx ? "outside: " : "session: ") + line);
                return respond(line);
            }

            @Override
            public QueryResult executeKeyspaceId(String keyspace, byte[] ksid, String sql,
                    Map<String, BindVariable> bindVars) {
                String line = sql + " " + format(bindVars);
                log.add(resolver.shardFor(ksid) + ": " + line);
                return respond(line);
            }
        };
    }

    static BindVariable text(String value) {
        return BindVariable.newBuilder().setType(Type.VARCHAR).setValue(ByteString.copyFromUtf8(value)).build();
    }
}
