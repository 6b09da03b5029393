package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code select next N values from seq}: reserves N values of a sequence and returns the first in a column
 * named {@code nextval}, as Vitess's "Next" route.
 */
public record SequenceNext(String keyspace, String table, PlanValue count, SequenceCache sequences)
        implements Primitive {
    private static final Field NEXTVAL = Field.newBuilder().setName("nextval").setType(Type.INT64).setColumnLength(20)
            .setCharset(63).build();

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        Value n = count.resolve(bindVars);
        long values;
        try {
            values = Long.parseLong(n.text());
        } catch (NumberFormatException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "NEXT value count must be an integer, got " + n.text());
        }
        long first = sequences.next(vcursor, keyspace, table, values);
        ByteString text = ByteString.copyFromUtf8(Long.toString(first));
        return QueryResult.newBuilder().addFields(NEXTVAL)
                .addRows(Row.newBuilder().addLengths(text.size()).setValues(text)).build();
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Table", table);
        other.put("Count", count.describe());
        return PlanDescription.of("Route", "Next", keyspace, other);
    }
}
