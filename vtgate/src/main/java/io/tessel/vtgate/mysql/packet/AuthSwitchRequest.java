package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import io.tessel.vtgate.mysql.MysqlBuf;

/**
 * Asks the client to authenticate again with another plugin and fresh plugin data.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">Protocol::AuthSwitchRequest</a>
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) {
    public void write(ByteBuf buf) {
        buf.writeByte(0xFE);
        MysqlBuf.writeNulString(buf, pluginName);
        buf.writeBytes(pluginData);
        buf.writeByte(0);
    }
}
