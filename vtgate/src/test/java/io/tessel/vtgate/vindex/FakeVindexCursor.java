package io.tessel.vtgate.vindex;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link VindexCursor} that records each call as text ("session|outside|after|ksid ks:hex" + SQL + sorted
 * bind variables, VARBINARY in hex) and answers with queued results or errors, else an empty result.
 */
final class FakeVindexCursor implements VindexCursor {
    final List<String> calls = new ArrayList<>();
    private final Deque<Object> answers = new ArrayDeque<>();

    /** Queues the answer of the next query: a {@link QueryResult} or a {@link RuntimeException} to throw. */
    FakeVindexCursor answer(Object answer) {
        answers.add(answer);
        return this;
    }

    @Override
    public QueryResult execute(String sql, Map<String, BindVariable> bindVars, boolean isAutocommitOutsideTx) {
        calls.add((isAutocommitOutsideTx ? "outside " : "session ") + sql + " " + format(bindVars));
        return next();
    }

    @Override
    public QueryResult executeKeyspaceId(String keyspace, byte[] ksid, String sql, Map<String, BindVariable> bindVars) {
        calls.add("ksid " + keyspace + ":" + HexFormat.of().formatHex(ksid) + " " + sql + " " + format(bindVars));
        return next();
    }

    @Override
    public void executeAfterStatement(String sql, Map<String, BindVariable> bindVars) {
        calls.add("after " + sql + " " + format(bindVars));
    }

    private QueryResult next() {
        Object answer = answers.poll();
        if (answer instanceof RuntimeException e) {
            throw e;
        }
        return answer == null ? QueryResult.getDefaultInstance() : (QueryResult) answer;
    }

    static String format(Map<String, BindVariable> bindVars) {
        Map<String, String> sorted = new TreeMap<>();
        bindVars.forEach((name, bv) -> sorted.put(name, bv.getType() == Type.VARBINARY
                ? "0x" + HexFormat.of().formatHex(bv.getValue().toByteArray()) : bv.getValue().toStringUtf8()));
        return sorted.toString();
    }

    /** A result with columns of these types and rows of text cells (null for NULL, "0x.." for bytes). */
    static QueryResult result(List<Type> types, String... rows) {
        QueryResult.Builder out = QueryResult.newBuilder();
        for (int i = 0; i < types.size(); i++) {
            out.addFields(Field.newBuilder().setName("c" + i).setType(types.get(i)));
        }
        for (String row : rows) {
            Row.Builder r = Row.newBuilder();
            ByteString.Output values = ByteString.newOutput();
            for (String cell : row.split("\\|", -1)) {
                if (cell.equals("NULL")) {
                    r.addLengths(-1);
                    continue;
                }
                byte[] bytes = cell.startsWith("0x") ? HexFormat.of().parseHex(cell.substring(2))
                        : cell.getBytes(StandardCharsets.UTF_8);
                r.addLengths(bytes.length);
                values.write(bytes, 0, bytes.length);
            }
            out.addRows(r.setValues(values.toByteString()));
        }
        return out.build();
    }
}
