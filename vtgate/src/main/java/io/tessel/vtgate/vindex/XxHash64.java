package io.tessel.vtgate.vindex;

/**
 * XXH64 (xxHash, 64-bit, by Yann Collet) with seed 0, the hash of Vitess's xxhash vindex
 * ({@code github.com/cespare/xxhash/v2 Sum64}). Allocation-free and thread-safe.
 */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {}

    static long hash(byte[] input) {
        int length = input.length;
        int offset = 0;
        long h;
        if (length >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            for (; offset <= length - 32; offset += 32) {
                v1 = round(v1, longLe(input, offset));
                v2 = round(v2, longLe(input, offset + 8));
                v3 = round(v3, longLe(input, offset + 16));
                v4 = round(v4, longLe(input, offset + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = P5;
        }
        h += length;
        for (; offset <= length - 8; offset += 8) {
            h ^= round(0, longLe(input, offset));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (offset <= length - 4) {
            h ^= (intLe(input, offset) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            offset += 4;
        }
        for (; offset < length; offset++) {
            h ^= (input[offset] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * P2, 31) * P1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }

    private static long longLe(byte[] b, int i) {
        return (intLe(b, i) & 0xFFFFFFFFL) | ((long) intLe(b, i + 4) << 32);
    }

    private static int intLe(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
