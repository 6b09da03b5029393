package io.tessel.vttablet.server;

import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: splits Vitess rows back into values. Stateless. */
public final class Rows {
    private Rows() {}

    /** The row's values as byte arrays, null for SQL NULL. */
    public static List<byte[]> bytes(Row row) {
        List<byte[]> out = new ArrayList<>(row.getLengthsCount());
        byte[] all = row.getValues().toByteArray();
        int pos = 0;
        for (long len : row.getLengthsList()) {
            if (len < 0) {
                out.add(null);
            } else {
                out.add(Arrays.copyOfRange(all, pos, pos + (int) len));
                pos += (int) len;
            }
        }
        return out;
    }

    /** The row's values as UTF-8 text, null for SQL NULL. */
    public static List<String> text(Row row) {
        return bytes(row).stream().map(b -> b == null ? null : new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** Every row of a result as text. */
    public static List<List<String>> text(QueryResult result) {
        return result.getRowsList().stream().map(Rows::text).toList();
    }
}
