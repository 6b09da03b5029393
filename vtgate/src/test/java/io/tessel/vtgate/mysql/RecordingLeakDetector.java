package io.tessel.vtgate.mysql;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A leak detector that remembers every leak Netty reports, so tests can fail on them. Installed for
 * the whole test JVM with {@code -Dio.netty.customResourceLeakDetector} (see vtgate/pom.xml).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + ": " + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType);
        super.reportUntracedLeak(resourceType);
    }

    /** Forces collection and leak polling, then returns (and forgets) everything reported so far. */
    public static List<String> collectLeaks() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.runFinalization();
            for (int j = 0; j < 64; j++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(8).release();
                io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.buffer(8).release();
            }
        }
        List<String> out = List.copyOf(LEAKS);
        LEAKS.clear();
        return out;
    }
}
