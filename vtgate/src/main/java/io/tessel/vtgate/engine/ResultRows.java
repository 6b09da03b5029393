package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between Vitess's packed rows (lengths plus concatenated values, -1 for NULL) and arrays of
 * column values (null for SQL NULL), for primitives that look inside rows. Stateless.
 */
public final class ResultRows {
    private ResultRows() {}

    /** Every row of {@code result} as column arrays; a NULL column is {@code null}. */
    public static List<byte[][]> decode(QueryResult result) {
        List<byte[][]> rows = new ArrayList<>(result.getRowsCount());
        for (Row row : result.getRowsList()) {
            rows.add(decode(row));
        }
        return rows;
    }

    public static byte[][] decode(Row row) {
        byte[][] columns = new byte[row.getLengthsCount()][];
        ByteString values = row.getValues();
        int offset = 0;
        for (int i = 0; i < columns.length; i++) {
            long length = row.getLengths(i);
            if (length >= 0) {
                columns[i] = values.substring(offset, offset + (int) length).toByteArray();
                offset += (int) length;
            }
        }
        return columns;
    }

    /** Every row of {@code result} as values typed by its fields (VARBINARY past the last field); NULL as {@link Value#NULL}. */
    public static List<List<Value>> values(QueryResult result) {
        List<List<Value>> rows = new ArrayList<>(result.getRowsCount());
        for (Row row : result.getRowsList()) {
            byte[][] columns = decode(row);
            List<Value> values = new ArrayList<>(columns.length);
            for (int i = 0; i < columns.length; i++) {
                Type type = i < result.getFieldsCount() ? result.getFields(i).getType() : Type.VARBINARY;
                values.add(columns[i] == null ? Value.NULL : new Value(type, columns[i]));
            }
            rows.add(values);
        }
        return rows;
    }

    /** One packed row from column values; {@code null} columns become NULL. */
    public static Row encode(byte[][] columns) {
        Row.Builder row = Row.newBuilder();
        int size = 0;
        for (byte[] c : columns) {
            size += c == null ? 0 : c.length;
        }
        byte[] values = new byte[size];
        int offset = 0;
        for (byte[] c : columns) {
            if (c == null) {
                row.addLengths(-1);
            } else {
                row.addLengths(c.length);
                System.arraycopy(c, 0, values, offset, c.length);
                offset += c.length;
            }
        }
        return row.setValues(ByteString.copyFrom(values)).build();
    }
}
