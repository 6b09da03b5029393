package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import io.tessel.vtgate.mysql.MysqlBuf;

/**
 * A client command, decoded from its packet at the edge; nothing past the decoder sees a ByteBuf.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html">Command phase</a>
 */
public sealed interface Command {
    int COM_QUIT = 0x01;
    int COM_INIT_DB = 0x02;
    int COM_QUERY = 0x03;
    int COM_FIELD_LIST = 0x04;
    int COM_PING = 0x0E;
    int COM_STMT_PREPARE = 0x16;
    int COM_STMT_EXECUTE = 0x17;
    int COM_STMT_SEND_LONG_DATA = 0x18;
    int COM_STMT_CLOSE = 0x19;
    int COM_STMT_RESET = 0x1A;
    int COM_SET_OPTION = 0x1B;
    int COM_STMT_FETCH = 0x1C;
    int COM_RESET_CONNECTION = 0x1F;

    record ComQuit() implements Command {}

    record ComInitDb(String schema) implements Command {}

    record ComQuery(String sql) implements Command {}

    record ComFieldList(String table, String wildcard) implements Command {}

    record ComPing() implements Command {}

    record ComResetConnection() implements Command {}

    record ComStmtPrepare(String sql) implements Command {}

    /**
     * COM_STMT_EXECUTE. The parameter section ({@code params}: NULL bitmap, new-params-bound flag, types,
     * values) can only be read knowing the statement's parameter count, so it is kept as bytes and read by
     * {@link BinaryParams} when the statement is looked up.
     */
    record ComStmtExecute(int statementId, int flags, byte[] params) implements Command {
        public static final int CURSOR_TYPE_READ_ONLY = 1;
    }

    /** COM_STMT_SEND_LONG_DATA: a chunk of one parameter's value; never answered. */
    record ComStmtSendLongData(int statementId, int paramId, byte[] data) implements Command {}

    /** COM_STMT_CLOSE: never answered. */
    record ComStmtClose(int statementId) implements Command {}

    record ComStmtReset(int statementId) implements Command {}

    record ComStmtFetch(int statementId, long rows) implements Command {}

    /** COM_SET_OPTION: {@link #MYSQL_OPTION_MULTI_STATEMENTS_ON} or {@link #MYSQL_OPTION_MULTI_STATEMENTS_OFF}. */
    record ComSetOption(int option) implements Command {
        public static final int MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
        public static final int MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;
    }

    /** A command vtgate does not handle; answered with ER_UNKNOWN_COM_ERROR. */
    record ComUnknown(int code) implements Command {}

    /** Decodes one command packet payload; throws ER_MALFORMED_PACKET on a bad one. */
    static Command read(ByteBuf buf) {
        int code = MysqlBuf.readInt1(buf, "command byte");
        return switch (code) {
            case COM_QUIT -> new ComQuit();
            case COM_INIT_DB -> new ComInitDb(MysqlBuf.readRestString(buf));
            case COM_QUERY -> new ComQuery(io.tessel.vtgate.sql.SqlText.decode(buf));
            case COM_FIELD_LIST -> new ComFieldList(MysqlBuf.readNulString(buf, "COM_FIELD_LIST table"),
                    MysqlBuf.readRestString(buf));
            case COM_PING -> new ComPing();
            case COM_RESET_CONNECTION -> new ComResetConnection();
            case COM_STMT_PREPARE -> new ComStmtPrepare(io.tessel.vtgate.sql.SqlText.decode(buf));
            case COM_STMT_EXECUTE -> readExecute(buf);
            case COM_STMT_SEND_LONG_DATA -> new ComStmtSendLongData(statementId(buf),
                    MysqlBuf.readInt2(buf, "COM_STMT_SEND_LONG_DATA parameter"), rest(buf));
            case COM_STMT_CLOSE -> new ComStmtClose(statementId(buf));
            case COM_STMT_RESET -> new ComStmtReset(statementId(buf));
            case COM_STMT_FETCH -> new ComStmtFetch(statementId(buf), MysqlBuf.readInt4(buf, "COM_STMT_FETCH rows"));
            case COM_SET_OPTION -> new ComSetOption(MysqlBuf.readInt2(buf, "COM_SET_OPTION option"));
            default -> new ComUnknown(code);
        };
    }

    private static ComStmtExecute readExecute(ByteBuf buf) {
        int id = statementId(buf);
        int flags = MysqlBuf.readInt1(buf, "COM_STMT_EXECUTE flags");
        MysqlBuf.readInt4(buf, "COM_STMT_EXECUTE iteration count");
        return new ComStmtExecute(id, flags, rest(buf));
    }

    private static int statementId(ByteBuf buf) {
        return (int) MysqlBuf.readInt4(buf, "statement id");
    }

    private static byte[] rest(ByteBuf buf) {
        return MysqlBuf.readFixedBytes(buf, buf.readableBytes(), "rest of packet");
    }
}
