package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.Arrays;
import java.util.List;

/** Keyspace-id byte helpers shared by the functional vindexes: 8-byte big-endian forms and argument checks. */
final class Ksids {
    private Ksids() {}

    /** {@code value} as 8 bytes, big-endian. */
    static byte[] bigEndian(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    /** An 8-byte keyspace id read big-endian; the caller has checked the length. */
    static long readBigEndian(byte[] ksid) {
        long value = 0;
        for (byte b : ksid) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    /** Byte equality where a null keyspace id equals the empty one, as Go's {@code bytes.Equal}. */
    static boolean isEqual(byte[] a, byte[] b) {
        return Arrays.equals(a == null ? new byte[0] : a, b == null ? new byte[0] : b);
    }

    /** Verify's precondition: one keyspace id per value. */
    static void requireSameSize(String vindex, List<Value> ids, List<byte[]> ksids) {
        if (ids.size() != ksids.size()) {
            throw invalid(vindex + ".Verify: length of ids " + ids.size() + " doesn't match length of ksids "
                    + ksids.size());
        }
    }

    static VtException invalid(String message) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** {@code e}'s message behind a prefix, as Go's {@code vterrors.Wrap(err, prefix)}. */
    static VtException wrap(String prefix, VtException e) {
        return VtException.of(e.code(), prefix + ": " + e.getMessage(), e);
    }
}
