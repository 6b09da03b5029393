package io.tessel.vttablet.server;

import com.google.protobuf.UnsafeByteOperations;
import io.tessel.common.sqltypes.MysqlTypes;
import io.tessel.proto.Query.ExecuteOptions.IncludedFields;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Row;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Connector/J result set into Vitess's wire shapes without converting values: each value is the
 * raw MySQL text-protocol bytes from {@link ResultSet#getBytes}, and fields come from Connector/J's own
 * column definitions. One instance per result set, used by one thread.
 */
final class ResultReader {
    private final ResultSet rs;
    private final int columns;

    ResultReader(ResultSet rs) throws SQLException {
        this.rs = rs;
        this.columns = rs.getMetaData().getColumnCount();
    }

    /**
     * The columns as Vitess fields. As in Vitess, {@code TYPE_AND_NAME} (the proto default) keeps only name
     * and type, {@code TYPE_ONLY} only the type, and {@code ALL} every column attribute.
     */
    List<Field> fields(IncludedFields included) throws SQLException {
        com.mysql.cj.result.Field[] defs = mysqlFields(rs.getMetaData());
        List<Field> out = new ArrayList<>(defs.length);
        for (com.mysql.cj.result.Field f : defs) {
            out.add(field(f, included));
        }
        return out;
    }

    private static com.mysql.cj.result.Field[] mysqlFields(ResultSetMetaData md) throws SQLException {
        if (md instanceof com.mysql.cj.jdbc.result.ResultSetMetaData cj) {
            return cj.getFields();
        }
        return md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
    }

    private static Field field(com.mysql.cj.result.Field f, IncludedFields included) {
        int flags = f.getFlags() & 0xFFFF;
        int charset = f.getCollationIndex();
        Field.Builder b = Field.newBuilder().setType(MysqlTypes.toVitess(f.getMysqlTypeId(), flags, charset));
        if (included == IncludedFields.TYPE_ONLY) {
            return b.build();
        }
        b.setName(nz(f.getName()));
        if (included != IncludedFields.ALL) {
            return b.build();
        }
        // Expressions (count(*), literals) have no table, database or original name: null in Connector/J.
        return b.setTable(nz(f.getTableName()))
                .setOrgTable(nz(f.getOriginalTableName()))
                .setDatabase(nz(f.getDatabaseName()))
                .setOrgName(nz(f.getOriginalName()))
                .setColumnLength((int) f.getLength())
                .setCharset(charset)
                .setDecimals(f.getDecimals())
                .setFlags(flags)
                .build();
    }

    /** The current row: values concatenated, lengths[i] = -1 for NULL. */
    Row row() throws SQLException {
        if (columns == 1) {
            return single(rs.getBytes(1));
        }
        byte[][] values = new byte[columns][];
        int total = 0;
        for (int i = 0; i < columns; i++) {
            byte[] v = rs.getBytes(i + 1);
            values[i] = v;
            total += v == null ? 0 : v.length;
        }
        byte[] joined = new byte[total];
        Row.Builder b = Row.newBuilder();
        int pos = 0;
        for (byte[] v : values) {
            if (v == null) {
                b.addLengths(-1);
            } else {
                System.arraycopy(v, 0, joined, pos, v.length);
                pos += v.length;
                b.addLengths(v.length);
            }
        }
        // The array is never written again, so the row may share it rather than copy it.
        return b.setValues(UnsafeByteOperations.unsafeWrap(joined)).build();
    }

    private static Row single(byte[] v) {
        if (v == null) {
            return Row.newBuilder().addLengths(-1).build();
        }
        // Connector/J hands out a row's bytes and never writes them again (read-only result sets).
        return Row.newBuilder().addLengths(v.length).setValues(UnsafeByteOperations.unsafeWrap(v)).build();
    }

    int columns() {
        return columns;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
