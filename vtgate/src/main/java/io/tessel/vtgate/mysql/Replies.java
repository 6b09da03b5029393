package io.tessel.vtgate.mysql;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.tessel.common.errors.VtException;
import io.tessel.common.sqltypes.MysqlTypes;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.mysql.packet.EofPacket;
import io.tessel.vtgate.mysql.packet.ErrPacket;
import io.tessel.vtgate.mysql.packet.OkPacket;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes replies into packets: OK, ERR, and text result sets straight from {@link QueryResult}
 * (row values are copied as the MySQL text bytes they arrived as; nothing is converted), binary result sets
 * for prepared statements ({@link BinaryRows}), cursors and COM_STMT_PREPARE_OK. Handles both
 * the CLIENT_DEPRECATE_EOF and the legacy EOF framing of result sets. Stateless.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html">Text Resultset</a>
 */
public final class Replies {
    private static final byte[] DEF = {3, 'd', 'e', 'f'};
    /** How a parameter of a prepared statement is described: MySQL sends a binary VAR_STRING named "?". */
    private static final Field PARAMETER = Field.newBuilder().setName("?").setType(Type.VARBINARY).build();

    private Replies() {}

    public static void ok(PacketWriter w, long affectedRows, long insertId, int status, int warnings, String info) {
        ByteBuf buf = w.begin(16 + info.length());
        new OkPacket(OkPacket.HEADER_OK, affectedRows, insertId, status, warnings, info).write(buf);
        w.end();
    }

    public static void error(PacketWriter w, VtException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        ByteBuf buf = w.begin(16 + msg.length());
        new ErrPacket(e.errno(), e.sqlState(), msg).write(buf);
        w.end();
    }

    /** A whole reply to COM_QUERY: a result set when there are fields, else OK. */
    public static void result(PacketWriter w, QueryResult r, Capabilities caps, int status) {
        resultSet(w, r, caps, status, false);
    }

    /** A whole reply to COM_STMT_EXECUTE: a result set with binary rows when there are fields, else OK. */
    public static void binaryResult(PacketWriter w, QueryResult r, Capabilities caps, int status) {
        resultSet(w, r, caps, status, true);
    }

    private static void resultSet(PacketWriter w, QueryResult r, Capabilities caps, int status, boolean binary) {
        int warnings = r.getWarningsCount();
        if (r.getFieldsCount() == 0) {
            ok(w, r.getRowsAffected(), r.getInsertId(), status, warnings, r.getInfo());
            return;
        }
        columns(w, r.getFieldsList(), caps, warnings, status);
        if (binary) {
            binaryRows(w, r, 0, r.getRowsCount());
        } else {
            int columns = r.getFieldsCount();
            for (Row row : r.getRowsList()) {
                textRow(w, row, columns);
            }
        }
        endOfRows(w, caps, warnings, status);
    }

    /**
     * The start of a streamed text result set: the column count, the column definitions and, without
     * CLIENT_DEPRECATE_EOF, the EOF after them. Rows follow with {@link #textRows}, then {@link #endOfRows}.
     */
    public static void resultSetStart(PacketWriter w, List<Field> fields, Capabilities caps, int status) {
        columns(w, fields, caps, 0, status);
    }

    /** Text rows of a result or of a part of a streamed one, each of {@code columns} values. */
    public static void textRows(PacketWriter w, QueryResult part, int columns) {
        for (Row row : part.getRowsList()) {
            textRow(w, row, columns);
        }
    }

    /** The column count, the column definitions and, without CLIENT_DEPRECATE_EOF, the EOF after them. */
    private static void columns(PacketWriter w, List<Field> fields, Capabilities caps, int warnings, int status) {
        columnDefinitions(w, fields);
        if (!caps.has(Capabilities.CLIENT_DEPRECATE_EOF)) {
            eof(w, warnings, status);
        }
    }

    /**
     * The reply to COM_STMT_EXECUTE that opens a cursor: the column count and definitions, then an end
     * packet (EOF, or OK with header 0xFE) whose status has SERVER_STATUS_CURSOR_EXISTS. Rows follow on
     * COM_STMT_FETCH.
     */
    public static void cursorOpened(PacketWriter w, List<Field> fields, Capabilities caps, int status) {
        columnDefinitions(w, fields);
        endOfRows(w, caps, 0, status | ServerStatus.SERVER_STATUS_CURSOR_EXISTS);
    }

    private static void columnDefinitions(PacketWriter w, List<Field> fields) {
        ByteBuf buf = w.begin(9);
        MysqlBuf.writeLenencInt(buf, fields.size());
        w.end();
        for (Field f : fields) {
            columnDefinition(w, f, false);
        }
    }

    /** Binary rows {@code from} (inclusive) to {@code to} (exclusive) of {@code r}. */
    public static void binaryRows(PacketWriter w, QueryResult r, int from, int to) {
        List<Field> fields = r.getFieldsList();
        for (int i = from; i < to; i++) {
            Row row = r.getRows(i);
            BinaryRows.write(w.begin(BinaryRows.sizeHint(row, fields.size())), fields, row);
            w.end();
        }
    }

    /** The end of a result set's rows, or of a reply MySQL ends with EOF: EOF, or OK with header 0xFE. */
    public static void endOfRows(PacketWriter w, Capabilities caps, int warnings, int status) {
        if (caps.has(Capabilities.CLIENT_DEPRECATE_EOF)) {
            ByteBuf end = w.begin(16);
            new OkPacket(OkPacket.HEADER_EOF, 0, 0, status, warnings, "").write(end);
            w.end();
        } else {
            eof(w, warnings, status);
        }
    }

    /**
     * COM_STMT_PREPARE_OK, then a definition per parameter and per column, each group ended by EOF
     * without CLIENT_DEPRECATE_EOF.
     */
    public static void prepareOk(PacketWriter w, int statementId, int params, List<Field> columns, Capabilities caps,
                                 int status) {
        ByteBuf buf = w.begin(12);
        buf.writeByte(0x00).writeIntLE(statementId).writeShortLE(columns.size()).writeShortLE(params)
                .writeByte(0x00).writeShortLE(0);
        w.end();
        boolean deprecateEof = caps.has(Capabilities.CLIENT_DEPRECATE_EOF);
        if (params > 0) {
            for (int k = 0; k < params; k++) {
                columnDefinition(w, PARAMETER, false);
            }
            if (!deprecateEof) {
                eof(w, 0, status);
            }
        }
        if (!columns.isEmpty()) {
            for (Field f : columns) {
                columnDefinition(w, f, false);
            }
            if (!deprecateEof) {
                eof(w, 0, status);
            }
        }
    }

    /** The reply to COM_FIELD_LIST: column definitions with default values, then EOF. */
    public static void fieldList(PacketWriter w, QueryResult r, Capabilities caps, int status) {
        for (Field f : r.getFieldsList()) {
            columnDefinition(w, f, true);
        }
        endOfRows(w, caps, 0, status);
    }

    private static void eof(PacketWriter w, int warnings, int status) {
        ByteBuf buf = w.begin(5);
        new EofPacket(warnings, status).write(buf);
        w.end();
    }

    /** Protocol::ColumnDefinition41. */
    private static void columnDefinition(PacketWriter w, Field f, boolean withDefault) {
        ByteBuf buf = w.begin(64 + f.getName().length() * 2);
        buf.writeBytes(DEF);
        MysqlBuf.writeLenencString(buf, f.getDatabase());
        MysqlBuf.writeLenencString(buf, f.getTable());
        MysqlBuf.writeLenencString(buf, f.getOrgTable());
        MysqlBuf.writeLenencString(buf, f.getName());
        MysqlBuf.writeLenencString(buf, f.getOrgName());
        buf.writeByte(0x0C);
        buf.writeShortLE(charsetOf(f));
        buf.writeIntLE(f.getColumnLength());
        buf.writeByte(MysqlTypes.toMysqlType(f.getType()));
        buf.writeShortLE((f.getFlags() | MysqlTypes.impliedFlags(f.getType())) & 0xFFFF);
        buf.writeByte(f.getDecimals());
        buf.writeShortLE(0);
        if (withDefault) {
            buf.writeByte(0xFB);
        }
        w.end();
    }

    private static int charsetOf(Field f) {
        if (f.getCharset() != 0) {
            return f.getCharset();
        }
        Type t = f.getType();
        boolean text = t == Type.VARCHAR || t == Type.CHAR || t == Type.TEXT || t == Type.ENUM || t == Type.SET
                || t == Type.JSON;
        return text ? MysqlTypes.CHARSET_UTF8MB4_GENERAL_CI : MysqlTypes.CHARSET_BINARY;
    }

    /** ProtocolText::ResultsetRow from a proto row: lenenc strings, 0xFB for NULL. */
    private static void textRow(PacketWriter w, Row row, int columns) {
        ByteString values = row.getValues();
        int size = values.size() + columns * 9;
        ByteBuf buf = w.begin(size);
        ByteBuffer src = values.isEmpty() ? null : values.asReadOnlyByteBuffer();
        // a substring ByteString's buffer starts at its offset in the shared array, not at 0
        int offset = src == null ? 0 : src.position();
        for (int i = 0; i < columns; i++) {
            long len = row.getLengths(i);
            if (len < 0) {
                buf.writeByte(0xFB);
                continue;
            }
            MysqlBuf.writeLenencInt(buf, len);
            if (len > 0) {
                src.limit(offset + (int) len).position(offset);
                buf.writeBytes(src);
                offset += (int) len;
            }
        }
        w.end();
    }
}
