package io.tessel.vtgate.evalengine;

import java.math.BigDecimal;

/**
 * DOUBLE values as MySQL writes and reads them in text. Writing follows Vitess's {@code format.FormatFloat}:
 * the shortest digits that read back to the same double, plain ({@code 0.1}, {@code 3},
 * {@code 100000000000000}) when {@code 1e-15 <= |x| < 1e15}, else exponent form without a plus sign
 * ({@code 1e15}, {@code 1.5e-16}). Reading takes the longest numeric prefix of a string, as MySQL does when
 * a string is used as a number ({@code '12abc'} is 12, {@code 'abc'} is 0). Stateless.
 */
public final class DoubleText {
    private static final double UPPER = 1e15;
    private static final double LOWER = 1e-15;

    private DoubleText() {}

    public static String format(double value) {
        if (value == 0) {
            return (1 / value) < 0 ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude < UPPER && magnitude >= LOWER) {
            return shortest.toPlainString();
        }
        return exponentForm(shortest);
    }

    private static String exponentForm(BigDecimal shortest) {
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (shortest.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        return out.append('e').append(exponent).toString();
    }

    /** The number at the start of {@code text} (after leading spaces); 0 when there is none. */
    public static double parsePrefix(String text) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        int end = numberEnd(text, start);
        if (end == start) {
            return 0;
        }
        try {
            return Double.parseDouble(text.substring(start, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The end of the longest {@code [+-]digits[.digits][e[+-]digits]} at {@code start}; start if none. */
    private static int numberEnd(String text, int start) {
        int i = start;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digitsStart = i;
        i = skipDigits(text, i);
        int mantissaDigits = i - digitsStart;
        if (i < text.length() && text.charAt(i) == '.') {
            int fractionEnd = skipDigits(text, i + 1);
            mantissaDigits += fractionEnd - i - 1;
            i = fractionEnd;
        }
        if (mantissaDigits == 0) {
            return start;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                j++;
            }
            int exponentEnd = skipDigits(text, j);
            if (exponentEnd > j) {
                i = exponentEnd;
            }
        }
        return i;
    }

    private static int skipDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
