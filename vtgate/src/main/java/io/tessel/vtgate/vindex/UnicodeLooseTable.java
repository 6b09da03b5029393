package io.tessel.vtgate.vindex;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The collation data of Go's {@code golang.org/x/text/collate} for locale "en" (CLDR 23 root order, UCA
 * 6.2), with the few normalization facts x/text's collation iterator consults, as read from the resource
 * {@code xtext-collate-loose.bin} that {@code UnicodeLooseTableGenerator} (test sources) writes. The data is
 * derived from x/text (BSD-3-Clause, see {@code xtext-LICENSE.txt}) and the Unicode Character Database.
 *
 * <p>Resource layout, gzip-compressed, big-endian: magic {@code "TLUK"}, version; the x/text collation element
 * of every code point as a two-stage table (int count + char block index per 64 code points, int count +
 * 64-int blocks); x/text's expansion elements, contraction elements (int count + ints) and contraction trie
 * states (int count + 4 bytes L, H, N, I each); NFD properties (int count + rows of int code point, byte lead
 * class, byte trail class, byte leading non-starters); NFKD decompositions of the "decompose" elements (int
 * count + rows of int code point, byte length, UTF-8); Ideographic ranges (int count + start/end pairs).
 *
 * <p>Loaded once, on first use; immutable and thread-safe afterwards.
 */
final class UnicodeLooseTable {
    static final String RESOURCE = "xtext-collate-loose.bin";
    private static final int MAGIC = 0x544C554B;
    private static final int VERSION = 1;

    private final char[] blockIndex;
    private final int[] blocks;
    final int[] expandElem;
    final int[] contractElem;
    final byte[] ctEntries;
    private final int[] propCodePoints;
    private final int[] props;
    private final int[] nfkdCodePoints;
    private final byte[][] nfkd;
    private final int[] ideographic;

    private static final class Holder {
        static final UnicodeLooseTable INSTANCE = load();
    }

    private UnicodeLooseTable(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException(RESOURCE + ": bad magic or version");
        }
        blockIndex = new char[in.readInt()];
        for (int i = 0; i < blockIndex.length; i++) {
            blockIndex[i] = in.readChar();
        }
        blocks = readInts(in, in.readInt() * 64);
        expandElem = readInts(in, in.readInt());
        contractElem = readInts(in, in.readInt());
        ctEntries = in.readNBytes(in.readInt() * 4);
        int propCount = in.readInt();
        propCodePoints = new int[propCount];
        props = new int[propCount];
        for (int i = 0; i < propCount; i++) {
            propCodePoints[i] = in.readInt();
            props[i] = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        }
        int nfkdCount = in.readInt();
        nfkdCodePoints = new int[nfkdCount];
        nfkd = new byte[nfkdCount][];
        for (int i = 0; i < nfkdCount; i++) {
            nfkdCodePoints[i] = in.readInt();
            nfkd[i] = in.readNBytes(in.readUnsignedByte());
        }
        ideographic = readInts(in, in.readInt());
        if (in.read() != -1) {
            throw new IOException(RESOURCE + ": trailing data");
        }
    }

    /** The shared table, loaded from the class path on first use. */
    static UnicodeLooseTable get() {
        return Holder.INSTANCE;
    }

    private static UnicodeLooseTable load() {
        try (InputStream raw = UnicodeLooseTable.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("BUG: resource " + RESOURCE + " is missing from the class path");
            }
            return new UnicodeLooseTable(new DataInputStream(new GZIPInputStream(raw, 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static int[] readInts(DataInputStream in, int count) throws IOException {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = in.readInt();
        }
        return out;
    }

    /** x/text's collation element for code point {@code cp} (0 when the trie has none). */
    int element(int cp) {
        return blocks[(blockIndex[cp >>> 6] << 6) | (cp & 63)];
    }

    /** NFD lead combining class of {@code cp}, as x/text's {@code norm.Properties.LeadCCC}. */
    int leadCcc(int cp) {
        return (prop(cp) >>> 16) & 0xFF;
    }

    /** NFD trail combining class of {@code cp}, as {@code norm.Properties.TrailCCC}. */
    int trailCcc(int cp) {
        return (prop(cp) >>> 8) & 0xFF;
    }

    /** Number of leading non-starters of {@code cp}, as {@code norm.Properties.nLeadingNonStarters}. */
    int leadingNonStarters(int cp) {
        return prop(cp) & 0xFF;
    }

    private int prop(int cp) {
        int i = Arrays.binarySearch(propCodePoints, cp);
        return i < 0 ? 0 : props[i];
    }

    /** The NFKD decomposition (UTF-8) of a code point whose element is of type "decompose"; empty if none. */
    byte[] nfkd(int cp) {
        int i = Arrays.binarySearch(nfkdCodePoints, cp);
        return i < 0 ? new byte[0] : nfkd[i];
    }

    /** Whether {@code cp} has the Unicode property Ideographic (as Go's {@code unicode.Ideographic}). */
    boolean isIdeographic(int cp) {
        for (int i = 0; i < ideographic.length; i += 2) {
            if (cp < ideographic[i]) {
                return false;
            }
            if (cp <= ideographic[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
