package io.tessel.vtgate.mysql.packet;

import io.netty.buffer.ByteBuf;
import io.tessel.vtgate.mysql.Capabilities;
import io.tessel.vtgate.mysql.MysqlBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's reply to the handshake. Older 3.20 (pre-4.1) clients are refused by the caller.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">Protocol::HandshakeResponse41</a>
 */
public record HandshakeResponse41(int capabilities, long maxPacketSize, int characterSet, String username,
                                  byte[] authResponse, String database, String authPluginName,
                                  Map<String, String> attributes) {

    /** True when the payload is a bare SSLRequest rather than a full response. */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == 32
                && (payload.getIntLE(payload.readerIndex()) & Capabilities.CLIENT_SSL) != 0;
    }

    public static HandshakeResponse41 read(ByteBuf buf) {
        int caps = (int) MysqlBuf.readInt4(buf, "capability flags");
        if ((caps & Capabilities.CLIENT_PROTOCOL_41) == 0) {
            throw MysqlBuf.malformed("client does not speak protocol 4.1");
        }
        long maxPacket = MysqlBuf.readInt4(buf, "max packet size");
        int charset = MysqlBuf.readInt1(buf, "character set");
        MysqlBuf.readFixedBytes(buf, 23, "filler");
        String user = MysqlBuf.readNulString(buf, "username");
        byte[] auth;
        if ((caps & Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            auth = MysqlBuf.readLenencBytes(buf, "auth response");
        } else if ((caps & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            auth = MysqlBuf.readFixedBytes(buf, MysqlBuf.readInt1(buf, "auth response length"), "auth response");
        } else {
            auth = MysqlBuf.readNulString(buf, "auth response").getBytes(StandardCharsets.UTF_8);
        }
        String db = "";
        if ((caps & Capabilities.CLIENT_CONNECT_WITH_DB) != 0 && buf.isReadable()) {
            db = MysqlBuf.readNulOrRestString(buf);
        }
        String plugin = "";
        if ((caps & Capabilities.CLIENT_PLUGIN_AUTH) != 0 && buf.isReadable()) {
            plugin = MysqlBuf.readNulOrRestString(buf);
        }
        Map<String, String> attrs = Map.of();
        if ((caps & Capabilities.CLIENT_CONNECT_ATTRS) != 0 && buf.isReadable()) {
            attrs = readAttributes(buf);
        }
        return new HandshakeResponse41(caps, maxPacket, charset, user, auth, db, plugin, attrs);
    }

    private static Map<String, String> readAttributes(ByteBuf buf) {
        long total = MysqlBuf.readLenencInt(buf, "connection attributes length");
        if (total < 0 || total > buf.readableBytes()) { // 0xFE and 8 bytes can read as negative
            throw MysqlBuf.malformed("connection attributes");
        }
        ByteBuf attrBuf = buf.readSlice((int) total);
        Map<String, String> attrs = new LinkedHashMap<>();
        while (attrBuf.isReadable()) {
            String key = new String(MysqlBuf.readLenencBytes(attrBuf, "attribute key"), StandardCharsets.UTF_8);
            String value = new String(MysqlBuf.readLenencBytes(attrBuf, "attribute value"), StandardCharsets.UTF_8);
            attrs.put(key, value);
        }
        return attrs;
    }
}
