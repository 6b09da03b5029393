package io.tessel.vtgate.vindex;

/**
 * Matching of one contraction, a port of x/text's {@code Table.matchContraction} and {@code ctScanner}: the
 * bytes after a rune that starts contractions are scanned through the contraction trie; combining marks that
 * block a longer match are skipped (discontiguous matching within one normalization segment) and collated
 * after the contraction. Positions are relative to the suffix start. Single-use.
 */
final class Contraction {
    private static final int NO_INDEX = 0xFF;
    private static final int MAX_SEGMENT_SIZE = 128; // x/text norm.MaxSegmentSize
    private static final int MAX_NON_STARTERS = 30;

    private final CollationElements w;
    private final UnicodeLooseTable table;
    private final byte[] s;
    private final int start;
    private final int length;
    // ctScanner state
    private int states;
    private int n;
    private int limit;
    private int index;
    private int pindex;
    private boolean done;

    Contraction(CollationElements w, byte[] s, int start, int end) {
        this.w = w;
        this.table = w.table();
        this.s = s;
        this.start = start;
        this.length = end - start;
        this.limit = length;
    }

    /** Appends the contraction's elements (and any skipped marks'); returns the suffix bytes consumed. */
    int match(int ce) {
        int trieIndex = (ce >>> 4) & 0xFFF;
        int offset = (ce >>> 16) & 0x1FFF;
        states = trieIndex;
        n = ce & 0xF;
        byte[] buf = new byte[MAX_SEGMENT_SIZE];
        int bufp = 0;
        int p = scan(0);
        if (!done && p < length && (s[start + p] & 0xFF) >= 0x80) {
            int p0 = p;
            int bufn = 0;
            int r = Utf8.decode(s, start + p);
            p += Utf8.length(s[start + p]);
            if (table.leadCcc(r) != 0) {
                int prevCc = table.trailCcc(r);
                int boundary = firstBoundary(p);
                if (boundary != -1) {
                    limit = p + boundary;
                }
                while (p < length && !done && (s[start + p] & 0xFF) >= 0x80) {
                    r = Utf8.decode(s, start + p);
                    int ccc = table.leadCcc(r);
                    if (ccc == 0 || prevCc >= ccc) {
                        break;
                    }
                    prevCc = table.trailCcc(r);
                    int pp = scan(p);
                    if (pp != p) {
                        int copied = Math.min(p - p0, MAX_SEGMENT_SIZE - bufn);
                        System.arraycopy(s, start + p0, buf, bufn, copied);
                        bufn += copied;
                        if (pindex == pp) {
                            bufp = bufn;
                        }
                        p = pp;
                        p0 = pp;
                    } else {
                        p += Utf8.length(s[start + p]);
                    }
                }
            }
        }
        w.appendElement(w.contractElement(index + offset));
        for (int q = 0; q < bufp; ) {
            q += Math.max(1, w.appendNext(buf, q, bufp));
        }
        return pindex;
    }

    /** {@code ctScanner.scan}: advances through the trie from {@code p}; returns the last rune boundary reached. */
    private int scan(int p) {
        int pr = p;
        int st = states;
        int count = n;
        byte[] ct = table.ctEntries;
        for (int i = 0; i < count && p < limit; ) {
            int e = (st + i) * 4;
            int lo = ct[e] & 0xFF;
            int hi = ct[e + 1] & 0xFF;
            int next = ct[e + 2] & 0xFF;
            int idx = ct[e + 3] & 0xFF;
            int c = s[start + p] & 0xFF;
            if (c >= lo) {
                if (lo == c) {
                    p++;
                    if (idx != NO_INDEX) {
                        index = idx;
                        pindex = p;
                    }
                    if (next == 0) {
                        done = true;
                        return p;
                    }
                    st = st + hi + count;
                    count = next;
                    i = 0;
                    if (p >= limit || (s[start + p] & 0xC0) != 0x80) {
                        states = st;
                        n = count;
                        pr = p;
                    }
                    continue;
                } else if (next == 0 && c <= hi) {
                    p++;
                    done = true;
                    index = c - lo + idx;
                    pindex = p;
                    return p;
                }
            }
            i++;
        }
        return pr;
    }

    /**
     * {@code norm.NFD.FirstBoundary(suffix[p:])}: offset of the first rune that starts a new segment (no
     * leading non-starters, or the stream-safe limit reached), or -1 when the rest is one segment.
     */
    private int firstBoundary(int p) {
        int nonStarters = 0;
        for (int i = p; i < length; ) {
            int lead = table.leadingNonStarters(Utf8.decode(s, start + i));
            nonStarters += lead;
            if (nonStarters > MAX_NON_STARTERS || lead == 0) {
                return i - p;
            }
            i += Utf8.length(s[start + i]);
        }
        return -1;
    }
}
