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
    int COM_RESET_CONNECTION = 0x1F;

    record ComQuit() implements Command {}

    record ComInitDb(String schema) implements Command {}

    record ComQuery(String sql) implements Command {}

    record ComFieldList(String table, String wildcard) implements Command {}

    record ComPing() implements Command {}

    record ComResetConnection() implements Command {}

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
            default -> new ComUnknown(code);
        };
    }
}
