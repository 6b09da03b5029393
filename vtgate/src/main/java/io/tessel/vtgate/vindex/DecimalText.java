package io.tessel.vtgate.vindex;

/**
 * Base-10 integer parsing of ASCII text with Go's {@code strconv.ParseInt(s, 10, 64)} and
 * {@code ParseUint(s, 10, 64)} rules: an optional sign for int64 only, at least one digit, nothing else, no
 * overflow. Parses the bytes in place; a failure throws one shared stackless {@link BadNumber}.
 */
final class DecimalText {
    /** Thrown, as one shared instance without a stack trace, for text that does not parse. */
    static final class BadNumber extends RuntimeException {
        private BadNumber() {
            super("bad number", null, false, false);
        }
    }

    private static final BadNumber BAD = new BadNumber();
    /** The largest magnitude that can take one more digit without passing 2^64 - 1 before the digit is added. */
    private static final long CUTOFF = Long.divideUnsigned(-1L, 10);

    private DecimalText() {}

    static long parseInt64(byte[] text) {
        if (text.length == 0) {
            throw BAD;
        }
        boolean isNegative = text[0] == '-';
        long magnitude = parseMagnitude(text, isNegative || text[0] == '+' ? 1 : 0);
        if (isNegative) {
            if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
                throw BAD;
            }
            return -magnitude;
        }
        if (magnitude < 0) {
            throw BAD;
        }
        return magnitude;
    }

    static long parseUint64(byte[] text) {
        return parseMagnitude(text, 0);
    }

    private static long parseMagnitude(byte[] text, int from) {
        if (from >= text.length) {
            throw BAD;
        }
        long value = 0;
        for (int i = from; i < text.length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || Long.compareUnsigned(value, CUTOFF) > 0) {
                throw BAD;
            }
            long times10 = value * 10;
            value = times10 + digit;
            if (Long.compareUnsigned(value, times10) < 0) {
                throw BAD;
            }
        }
        return value;
    }
}
