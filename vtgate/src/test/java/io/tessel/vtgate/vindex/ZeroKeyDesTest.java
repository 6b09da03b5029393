package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ZeroKeyDesTest {
    /** The JDK's DES as the oracle: 2000 random blocks plus the edges. */
    @Test
    void matchesJdkDes() throws Exception {
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[8], "DES"));
        SplittableRandom random = new SplittableRandom(42);
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < 2000 + edges.length; i++) {
            long block = i < edges.length ? edges[i] : random.nextLong();
            long expected = ByteBuffer.wrap(des.doFinal(ByteBuffer.allocate(8).putLong(block).array())).getLong();
            assertEquals(expected, ZeroKeyDes.apply(block), () -> "block " + Long.toHexString(block));
        }
    }

    @Test
    void isItsOwnInverse() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            long block = random.nextLong();
            assertEquals(block, ZeroKeyDes.apply(ZeroKeyDes.apply(block)));
        }
    }
}
