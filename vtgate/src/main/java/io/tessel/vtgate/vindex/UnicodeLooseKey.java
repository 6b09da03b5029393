package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.io.ByteArrayOutputStream;

/**
 * The normalized key of Vitess's {@code unicode_loose_*} vindexes: the collation key of Go's
 * {@code collate.New(language.English, collate.Loose)} (primary weights only, so case-, accent- and
 * width-insensitive) of the value with trailing ASCII spaces removed. Invalid UTF-8 is refused as Vitess does.
 * Weights are x/text's own (see {@link UnicodeLooseTable}), so keys match Vitess byte for byte. Stateless and
 * thread-safe; the table is loaded once, on first use.
 */
public final class UnicodeLooseKey {
    private UnicodeLooseKey() {}

    /**
     * The loose collation key of UTF-8 text {@code in}.
     *
     * @throws VtException INVALID_ARGUMENT if {@code in} is not valid UTF-8
     */
    public static byte[] of(byte[] in) {
        if (!Utf8.isValid(in)) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "cannot normalize string containing invalid UTF-8: " + Utf8.goQuote(in));
        }
        int end = in.length;
        while (end > 0 && in[end - 1] == ' ') {
            end--;
        }
        CollationElements elements = CollationElements.of(UnicodeLooseTable.get(), in, end);
        ByteArrayOutputStream key = new ByteArrayOutputStream(elements.size() * 2);
        for (int i = 0; i < elements.size(); i++) {
            appendPrimary(key, CollationElements.primary(elements.get(i)));
        }
        return key.toByteArray();
    }

    /** x/text's {@code appendPrimary}: two bytes up to 0x7FFF, else three with the top bit set. */
    private static void appendPrimary(ByteArrayOutputStream key, int p) {
        if (p <= 0) {
            return;
        }
        if (p > 0x7FFF) {
            key.write((p >>> 16) | 0x80);
        }
        key.write(p >>> 8);
        key.write(p);
    }
}
