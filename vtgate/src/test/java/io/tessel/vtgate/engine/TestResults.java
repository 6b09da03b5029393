package io.tessel.vtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds and reads results in operator tests: fields as {@code name:TYPE}, rows as strings, NULL as null. */
final class TestResults {
    private TestResults() {}

    /** Fields from {@code name:TYPE} or {@code name:TYPE:decimals}; text types get utf8mb4_general_ci. */
    static List<Field> fields(String... specs) {
        List<Field> out = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split(":");
            Type type = Type.valueOf(parts[1]);
            boolean isText = type == Type.VARCHAR || type == Type.CHAR || type == Type.TEXT;
            out.add(Field.newBuilder().setName(parts[0]).setType(type)
                    .setDecimals(parts.length > 2 ? Integer.parseInt(parts[2]) : 0).setCharset(isText ? 45 : 63).build());
        }
        return out;
    }

    /** A result of {@code fields} and rows of strings ({@code null} for NULL). */
    static QueryResult result(List<Field> fields, String[]... rows) {
        List<byte[][]> decoded = new ArrayList<>();
        for (String[] row : rows) {
            byte[][] columns = new byte[row.length][];
            for (int i = 0; i < row.length; i++) {
                columns[i] = row[i] == null ? null : row[i].getBytes(StandardCharsets.UTF_8);
            }
            decoded.add(columns);
        }
        return Results.of(fields, decoded);
    }

    static String[] row(String... values) {
        return values;
    }

    /** Each row as its values joined by {@code |}, NULL written as {@code NULL}. */
    static List<String> rows(QueryResult result) {
        List<String> out = new ArrayList<>();
        for (byte[][] row : ResultRows.decode(result)) {
            List<String> values = new ArrayList<>();
            for (byte[] value : row) {
                values.add(value == null ? "NULL" : new String(value, StandardCharsets.UTF_8));
            }
            out.add(String.join("|", values));
        }
        return out;
    }

    /** The fields' names. */
    static List<String> names(QueryResult result) {
        return result.getFieldsList().stream().map(Field::getName).toList();
    }

    static BindVariable int64(long value) {
        return BindVariable.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8(Long.toString(value)))
                .build();
    }

    static BindVariable bindVar(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static void assertRows(QueryResult result, String... expected) {
        assertEquals(List.of(expected), rows(result));
    }
}
