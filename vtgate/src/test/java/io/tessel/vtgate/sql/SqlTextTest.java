package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    private static String decode(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return SqlText.decode(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void asciiAndUtf8PassThrough() {
        assertEquals("select 1", decode("select 1".getBytes(StandardCharsets.UTF_8)));
        String s = "select 'ünï©ødé 🙂' from t where a = \"é\"";
        assertEquals(s, decode(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void binaryLiteralBecomesHex() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("insert into t values (_binary 'a\\0".getBytes(StandardCharsets.US_ASCII));
        b.write(0xFF);
        b.write(0xFE);
        b.writeBytes("\\'b''c\\\\', 'é')".getBytes(StandardCharsets.UTF_8));
        assertEquals("insert into t values (_binary X'6100fffe276227635c', 'é')", decode(b.toByteArray()));
    }
}
