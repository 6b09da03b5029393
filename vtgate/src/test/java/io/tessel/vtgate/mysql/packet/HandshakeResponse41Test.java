package io.tessel.vtgate.mysql.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.mysql.Capabilities;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeResponse41Test {
    private static final int CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_CONNECT_ATTRS;

    /** A response from user "u" with an empty auth response, up to the connection attributes. */
    private static ByteBuf upToAttributes() {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(CAPS).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        b.writeBytes(new byte[] {'u', 0}).writeByte(0);
        return b;
    }

    @Test
    void readsConnectionAttributes() {
        ByteBuf b = upToAttributes();
        b.writeByte(8).writeByte(1).writeByte('k').writeByte(5).writeBytes("value".getBytes());
        HandshakeResponse41 r = HandshakeResponse41.read(b);
        assertEquals("u", r.username());
        assertEquals(Map.of("k", "value"), r.attributes());
    }

    /** Found by HandshakeResponseFuzzTest: an 8-byte length with the top bit set read as negative and threw IllegalArgumentException. */
    @Test
    void negativeAttributesLengthIsMalformed() {
        ByteBuf b = upToAttributes();
        b.writeByte(0xFE).writeLongLE(-16_851_202L).writeZero(4);
        VtException e = assertThrows(VtException.class, () -> HandshakeResponse41.read(b));
        assertEquals(SqlError.ER_MALFORMED_PACKET.errno(), e.errno());
    }
}
