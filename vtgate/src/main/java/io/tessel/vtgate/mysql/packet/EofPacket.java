package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;

/**
 * EOF_Packet, the legacy marker after column definitions and rows when the client did not set
 * CLIENT_DEPRECATE_EOF.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>
 */
public record EofPacket(int warnings, int statusFlags) {
    public void write(ByteBuf buf) {
        buf.writeByte(0xFE);
        buf.writeShortLE(warnings);
        buf.writeShortLE(statusFlags);
    }
}
