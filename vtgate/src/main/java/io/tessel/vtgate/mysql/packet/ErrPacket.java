package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * ERR_Packet with the 4.1 SQLSTATE marker.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>
 */
public record ErrPacket(int errno, String sqlState, String message) {
    public void write(ByteBuf buf) {
        buf.writeByte(0xFF);
        buf.writeShortLE(errno);
        buf.writeByte('#');
        String state = sqlState.length() == 5 ? sqlState : "HY000";
        buf.writeCharSequence(state, StandardCharsets.US_ASCII);
        buf.writeCharSequence(message, StandardCharsets.UTF_8);
    }
}
