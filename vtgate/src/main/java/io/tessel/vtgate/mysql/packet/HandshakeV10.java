package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import io.tessel.vtgate.mysql.MysqlBuf;

/**
 * The server's initial handshake packet, protocol version 10.
 *
 * @param scramble 20 random bytes, none of them NUL
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">Protocol::HandshakeV10</a>
 */
public record HandshakeV10(String serverVersion, int connectionId, byte[] scramble, int capabilities,
                           int characterSet, int statusFlags, String authPluginName) {

    public void write(ByteBuf buf) {
        buf.writeByte(10);
        MysqlBuf.writeNulString(buf, serverVersion);
        buf.writeIntLE(connectionId);
        buf.writeBytes(scramble, 0, 8);
        buf.writeByte(0);
        buf.writeShortLE(capabilities & 0xFFFF);
        buf.writeByte(characterSet);
        buf.writeShortLE(statusFlags);
        buf.writeShortLE(capabilities >>> 16);
        buf.writeByte(scramble.length + 1);
        buf.writeZero(10);
        buf.writeBytes(scramble, 8, scramble.length - 8);
        buf.writeByte(0);
        MysqlBuf.writeNulString(buf, authPluginName);
    }
}
