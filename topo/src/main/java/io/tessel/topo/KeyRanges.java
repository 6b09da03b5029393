package io.tessel.topo;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.KeyRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Vitess's key-range arithmetic ({@code go/vt/key/key.go}) over {@link KeyRange}: shard names, keyspace-id
 * containment, sharding specs and generated shard sets. A range is [start, end) with an empty side
 * unbounded; keys compare as unsigned bytes after stripping trailing 0x00 bytes, so {@code -80},
 * {@code 00-80} and {@code 0000-8000} are the same range. A {@code null} range means the full range.
 * Stateless and thread-safe; malformed input throws {@link VtException} with {@code INVALID_ARGUMENT}.
 */
public final class KeyRanges {
    /** Valid shard names: {@code 0} (unsharded), or hex start and end of whole bytes around a '-'. */
    public static final Pattern SHARD_NAME = Pattern.compile("^(0|([0-9a-fA-F]{2})*-([0-9a-fA-F]{2})*)$");

    /** Orders ranges by start key (unbounded first), then by end key (unbounded last). */
    public static final Comparator<KeyRange> BY_START = Comparator
            .<KeyRange, byte[]>comparing(r -> start(r), KeyRanges::compareKeys)
            .thenComparing(r -> end(r), KeyRanges::compareEnds);

    /** The full range, {@code -}. */
    public static final KeyRange FULL = KeyRange.getDefaultInstance();

    private static final HexFormat HEX = HexFormat.of();

    private KeyRanges() {}

    /** True when {@code name} is a valid shard name (see {@link #SHARD_NAME}) with start before end. */
    public static boolean isValidShardName(String name) {
        try {
            parseShardName(name);
            return true;
        } catch (VtException e) {
            return false;
        }
    }

    /**
     * The key range a shard name stands for: {@code 0} and {@code -} give the full range, {@code 40-80}
     * gives [0x40, 0x80).
     *
     * @throws VtException INVALID_ARGUMENT if the name is malformed or its start is not before its end
     */
    public static KeyRange parseShardName(String name) {
        if (name == null || !SHARD_NAME.matcher(name).matches()) {
            throw invalid("invalid shard name: '" + name + "'");
        }
        if (name.equals("0")) {
            return FULL;
        }
        int dash = name.indexOf('-');
        byte[] start = HEX.parseHex(name, 0, dash);
        byte[] end = HEX.parseHex(name, dash + 1, name.length());
        if (!isUnbounded(end) && compareKeys(start, end) >= 0) {
            throw invalid("invalid shard name: '" + name + "': start must be before end");
        }
        return KeyRange.newBuilder().setStart(ByteString.copyFrom(start)).setEnd(ByteString.copyFrom(end)).build();
    }

    /** The canonical name of a range: lowercase {@code hex(start)-hex(end)}, {@code -} for the full range. */
    public static String format(@Nullable KeyRange range) {
        return HEX.formatHex(start(range)) + "-" + HEX.formatHex(end(range));
    }

    /** True when {@code range} contains the keyspace id: {@code start <= ksid < end}. */
    public static boolean contains(@Nullable KeyRange range, byte[] ksid) {
        byte[] start = start(range);
        byte[] end = end(range);
        return compareKeys(ksid, start) >= 0 && (isUnbounded(end) || compareKeys(ksid, end) < 0);
    }

    /** True when both ranges have a keyspace id in common. */
    public static boolean intersects(@Nullable KeyRange a, @Nullable KeyRange b) {
        return (isUnbounded(end(a)) || compareKeys(start(b), end(a)) < 0)
                && (isUnbounded(end(b)) || compareKeys(start(a), end(b)) < 0);
    }

    /** True when both ranges hold the same keyspace ids ({@code -80} equals {@code 00-8000}). */
    public static boolean isEqual(@Nullable KeyRange a, @Nullable KeyRange b) {
        return compareKeys(start(a), start(b)) == 0 && compareEnds(end(a), end(b)) == 0;
    }

    /** True when the range is the full range (or null). */
    public static boolean isFull(@Nullable KeyRange range) {
        return isUnbounded(start(range)) && isUnbounded(end(range));
    }

    /**
     * True when the ranges, in any order, tile the whole keyspace-id space exactly: the first starts
     * unbounded, each ends where the next starts, the last ends unbounded. Empty input is not complete.
     */
    public static boolean isCompleteCover(Collection<KeyRange> ranges) {
        List<KeyRange> sorted = ranges.stream().sorted(BY_START).toList();
        byte[] next = new byte[0];
        for (KeyRange range : sorted) {
            if (next == null || compareKeys(start(range), next) != 0) {
                return false;
            }
            next = isUnbounded(end(range)) ? null : end(range);
        }
        return !sorted.isEmpty() && next == null;
    }

    /**
     * Parses a sharding spec such as {@code -40-80-c0-} into its consecutive ranges (here four). Only the
     * first and last boundary may be empty, and boundaries must increase.
     *
     * @throws VtException INVALID_ARGUMENT if the spec is malformed
     */
    public static List<KeyRange> parseShardingSpec(String spec) {
        String[] parts = spec.split("-", -1);
        if (parts.length == 1) {
            throw invalid("malformed sharding spec '" + spec + "': doesn't define a range");
        }
        List<KeyRange> ranges = new ArrayList<>(parts.length - 1);
        byte[] previous = parseHexKey(spec, parts[0]);
        for (int i = 1; i < parts.length; i++) {
            boolean isLast = i == parts.length - 1;
            if (parts[i].isEmpty() && !isLast) {
                throw invalid("malformed sharding spec '" + spec + "': MinKey/MaxKey cannot be in the middle");
            }
            byte[] boundary = parseHexKey(spec, parts[i]);
            if (!parts[i].isEmpty() && compareKeys(boundary, previous) <= 0) {
                throw invalid("malformed sharding spec '" + spec + "': shard limits should be in order");
            }
            ranges.add(KeyRange.newBuilder()
                    .setStart(ByteString.copyFrom(previous)).setEnd(ByteString.copyFrom(boundary)).build());
            previous = boundary;
        }
        return ranges;
    }

    /**
     * The names of {@code n} shards splitting the keyspace-id space as evenly as whole boundaries allow:
     * 2-hex-digit boundaries for {@code n <= 256}, 4 digits up to 65536. Integer division spreads the
     * rounding loss over all shards, so {@code n = 3} gives {@code -55, 55-aa, aa-}.
     *
     * @throws VtException INVALID_ARGUMENT unless {@code 1 <= n <= 65536}
     */
    public static List<String> generateShardRanges(int n) {
        if (n <= 0 || n > 65536) {
            throw invalid("shard count must be between 1 and 65536, got " + n);
        }
        int digits = n <= 256 ? 2 : 4;
        long max = n <= 256 ? 256 : 65536;
        List<String> names = new ArrayList<>(n);
        long start = 0;
        for (long i = 1; i <= n; i++) {
            long end = i * max / n;
            names.add(boundary(start, max, digits) + "-" + boundary(end, max, digits));
            start = end;
        }
        return names;
    }

    /**
     * Compares two keys as unsigned bytes after stripping trailing 0x00 bytes (Vitess's {@code Normalize}),
     * so the empty key is the smallest.
     */
    public static int compareKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, normalizedLength(a), b, 0, normalizedLength(b));
    }

    /** A key as lowercase hex. */
    public static String toHex(byte[] key) {
        return HEX.formatHex(key);
    }

    private static int compareEnds(byte[] a, byte[] b) {
        boolean isAUnbounded = isUnbounded(a);
        boolean isBUnbounded = isUnbounded(b);
        if (isAUnbounded || isBUnbounded) {
            return Boolean.compare(isAUnbounded, isBUnbounded);
        }
        return compareKeys(a, b);
    }

    private static String boundary(long value, long max, int digits) {
        if (value == 0 || value == max) {
            return "";
        }
        String hex = Long.toHexString(value);
        return "0".repeat(digits - hex.length()) + hex;
    }

    private static byte[] parseHexKey(String spec, String hex) {
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw invalid("malformed sharding spec '" + spec + "': bad hex '" + hex + "'");
        }
    }

    private static boolean isUnbounded(byte[] key) {
        return normalizedLength(key) == 0;
    }

    private static int normalizedLength(byte[] key) {
        int n = key.length;
        while (n > 0 && key[n - 1] == 0) {
            n--;
        }
        return n;
    }

    private static byte[] start(@Nullable KeyRange range) {
        return range == null ? new byte[0] : range.getStart().toByteArray();
    }

    private static byte[] end(@Nullable KeyRange range) {
        return range == null ? new byte[0] : range.getEnd().toByteArray();
    }

    private static VtException invalid(String message) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, message);
    }
}
