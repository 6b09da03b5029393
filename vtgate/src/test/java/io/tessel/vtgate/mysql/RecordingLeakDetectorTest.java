package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the leak guard the codec tests rely on can fail: a dropped buffer is reported. */
class RecordingLeakDetectorTest {
    @Test
    void droppedBufferIsReported() {
        leak();
        assertFalse(RecordingLeakDetector.collectLeaks().isEmpty(), "a leaked ByteBuf must be reported");
    }

    private static void leak() {
        PooledByteBufAllocator.DEFAULT.buffer(32).writeInt(1); // never released
    }
}
