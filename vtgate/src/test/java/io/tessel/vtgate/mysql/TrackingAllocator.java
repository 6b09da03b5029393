package io.tessel.vtgate.mysql;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a fuzz execution can check exactly (no
 * garbage collection, no sampling) that all of them were released. Set it on an EmbeddedChannel with
 * {@code ch.config().setAllocator(..)} and build the inbound buffers with {@link #copyOf}. A composite
 * buffer is not itself recorded, but its components are, so leaking one shows through them.
 * Heap buffers only; one execution, one thread.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(b);
        return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A recorded buffer holding {@code bytes[from, to)}. */
    ByteBuf copyOf(byte[] bytes, int from, int to) {
        return heapBuffer(to - from).writeBytes(bytes, from, to - from);
    }

    /** How many buffers were handed out and are not yet released. */
    int unreleased() {
        int n = 0;
        for (ByteBuf b : allocated) {
            if (b.refCnt() != 0) {
                n++;
            }
        }
        return n;
    }

    /** Fails unless every buffer handed out was released. */
    void assertAllReleased(String what) {
        int n = unreleased();
        if (n != 0) {
            throw new AssertionError(what + ": " + n + " of " + allocated.size() + " buffers were not released");
        }
    }
}
