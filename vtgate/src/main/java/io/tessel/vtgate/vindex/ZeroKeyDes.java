package io.tessel.vtgate.vindex;

/**
 * DES (FIPS 46-3) of one 64-bit block under the all-zero key, the block cipher of Vitess's hash vindex.
 * With that key every round key is zero, so the round function is just S-boxes and P over the expansion,
 * and the cipher is its own inverse: decrypting is encrypting again. Allocation-free and thread-safe; the
 * tests check it against the JDK's {@code DES/ECB/NoPadding}.
 */
final class ZeroKeyDes {
    // Bit positions are 1-based from the most significant bit, as in the standard.
    private static final byte[] IP = {
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7};
    private static final byte[] P = {
        16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25};
    private static final byte[][] S = {
        {14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
            4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
            15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13},
        {15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
            0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9},
        {10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
            13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12},
        {7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
            10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14},
        {2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
            4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3},
        {12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
            9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13},
        {4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
            1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12},
        {13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
            7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
            2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11}};

    /** The final permutation, the inverse of IP. */
    private static final byte[] FP = inverse(IP);
    /** SP[box][six input bits]: the S-box output already placed and permuted by P. */
    private static final int[][] SP = spTables();

    private ZeroKeyDes() {}

    /** Encrypts (equally: decrypts) one block. */
    static long apply(long block) {
        long permuted = permute(block, IP, 64);
        int left = (int) (permuted >>> 32);
        int right = (int) permuted;
        for (int round = 0; round < 16; round++) {
            int next = left ^ feistel(right);
            left = right;
            right = next;
        }
        long preOutput = ((long) right << 32) | (left & 0xFFFFFFFFL);
        return permute(preOutput, FP, 64);
    }

    /** The round function with a zero round key: expansion E, S-boxes, P. */
    private static int feistel(int right) {
        int out = 0;
        for (int box = 0; box < 8; box++) {
            // E gives box i the bits 4i .. 4i+5 (1-based, wrapping), i.e. the top 6 bits after this rotation.
            int six = Integer.rotateLeft(right, 4 * box - 1) >>> 26;
            out |= SP[box][six];
        }
        return out;
    }

    private static long permute(long in, byte[] table, int width) {
        long out = 0;
        for (byte position : table) {
            out = (out << 1) | ((in >>> (width - position)) & 1);
        }
        return out;
    }

    private static byte[] inverse(byte[] table) {
        byte[] inverse = new byte[table.length];
        for (int i = 0; i < table.length; i++) {
            inverse[table[i] - 1] = (byte) (i + 1);
        }
        return inverse;
    }

    private static int[][] spTables() {
        int[][] sp = new int[8][64];
        for (int box = 0; box < 8; box++) {
            for (int six = 0; six < 64; six++) {
                int row = ((six >>> 4) & 2) | (six & 1);
                int column = (six >>> 1) & 0xF;
                int placed = S[box][row * 16 + column] << (28 - 4 * box);
                sp[box][six] = (int) permute(placed & 0xFFFFFFFFL, P, 32);
            }
        }
        return sp;
    }
}
