package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import io.tessel.vtgate.mysql.MysqlBuf;

/**
 * OK_Packet, also used with header 0xFE as the end of a result set under CLIENT_DEPRECATE_EOF.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>
 */
public record OkPacket(int header, long affectedRows, long lastInsertId, int statusFlags, int warnings, String info) {
    public static final int HEADER_OK = 0x00;
    public static final int HEADER_EOF = 0xFE;

    public void write(ByteBuf buf) {
        buf.writeByte(header);
        MysqlBuf.writeLenencInt(buf, affectedRows);
        MysqlBuf.writeLenencInt(buf, lastInsertId);
        buf.writeShortLE(statusFlags);
        buf.writeShortLE(warnings);
        if (!info.isEmpty()) {
            // The manual says string<EOF>, but servers send, and clients (Connector/J, libmariadb) read, lenenc.
            MysqlBuf.writeLenencString(buf, info);
        }
    }
}
