package io.tessel.vtgate.vindex;

import java.util.Arrays;

/**
 * The collation elements of one valid UTF-8 string, computed as Go's x/text does for
 * {@code collate.New(language.English)}: a port of {@code internal/colltab}'s {@code Table.appendNext}
 * (trie value, implicit weights, Hangul, expansions, contractions including discontiguous ones, NFKD
 * "decompose" elements) and {@code Iter.Next} (canonical reordering of elements by combining class). Elements
 * are x/text's 32-bit {@code Elem} encodings; see {@link #primary}. Single-use and not thread-safe.
 */
final class CollationElements {
    private static final int MAX_COMBINING_CHARACTERS = 30;

    private final UnicodeLooseTable table;
    private int[] elems = new int[64];
    private int size;

    private CollationElements(UnicodeLooseTable table) {
        this.table = table;
    }

    /** All elements of {@code s[0, end)}, in x/text's order; {@code s} must be valid UTF-8. */
    static CollationElements of(UnicodeLooseTable table, byte[] s, int end) {
        CollationElements out = new CollationElements(table);
        new Iter(out, s, end).run();
        return out;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return elems[i];
    }

    /** {@code Elem.Primary}: the primary weight, 0 if none. */
    static int primary(int ce) {
        if (Integer.compareUnsigned(ce, 0x80000000) >= 0) {
            return Integer.compareUnsigned(ce, 0xA0000000) > 0 ? 0 : ce & 0xFFFF;
        }
        return (ce & 0x3FFFFE00) >>> 9;
    }

    /** {@code Elem.CCC}: the canonical combining class carried by the element. */
    static int ccc(int ce) {
        if ((ce & 0x80000000) != 0) {
            return (ce & 0xA0000000) == 0x80000000 ? (ce >>> 16) & 0xFF : (ce >>> 20) & 0xFF;
        }
        return 0;
    }

    /** {@code Elem.updateTertiary}, including its quirks (it can touch primary bits of odd type-1 elements). */
    static int updateTertiary(int ce, int t) {
        if ((ce & 0xC0000000) == 0x40000000) {
            int nce = ce & 0x3FFFFE00;
            nce |= (((ce & 0xFF) - 0x1C) & 0xFF) << 5;
            ce = nce;
        } else if ((ce & 0xE0000000) == 0x80000000) {
            ce &= ~(0x1F << 24);
            return ce | (t << 24);
        } else {
            ce &= ~0x1F;
        }
        return ce | t;
    }

    private void add(int ce) {
        if (size == elems.length) {
            elems = Arrays.copyOf(elems, size * 2);
        }
        elems[size++] = ce;
    }

    /** {@code Table.appendNext}: appends the elements of the text at {@code s[p, end)}; returns bytes consumed. */
    int appendNext(byte[] s, int p, int end) {
        int cp = Utf8.decode(s, p);
        int sz = Utf8.length(s[p]);
        int ce = table.element(cp);
        if (Integer.compareUnsigned(ce, 0xAFFFFFFF) <= 0) {
            if (ce == 0) {
                if (cp >= 0xAC00 && cp <= 0xD7A3) {
                    appendHangul(cp);
                    return sz;
                }
                ce = implicitElement(cp);
            }
            add(ce);
        } else if (Integer.compareUnsigned(ce, 0xDFFFFFFF) <= 0) {
            sz += new Contraction(this, s, p + sz, end).match(ce);
        } else if (Integer.compareUnsigned(ce, 0xEFFFFFFF) <= 0) {
            appendExpansion(ce);
        } else {
            appendDecomposition(cp, ce);
        }
        return sz;
    }

    void appendElement(int ce) {
        if (Integer.compareUnsigned(ce, 0xAFFFFFFF) <= 0) {
            add(ce);
        } else {
            appendExpansion(ce);
        }
    }

    int contractElement(int i) {
        return table.contractElem[i];
    }

    UnicodeLooseTable table() {
        return table;
    }

    private void appendExpansion(int ce) {
        int i = ce & 0xFFFF;
        int n = table.expandElem[i];
        for (int k = 1; k <= n; k++) {
            add(table.expandElem[i + k]);
        }
    }

    /** Hangul syllables without an entry: the elements of their conjoining jamo (raw trie values). */
    private void appendHangul(int cp) {
        int s = cp - 0xAC00;
        add(table.element(0x1100 + s / 588));
        add(table.element(0x1161 + (s % 588) / 28));
        if (s % 28 != 0) {
            add(table.element(0x11A7 + s % 28));
        }
    }

    private void appendDecomposition(int cp, int ce) {
        int first = size;
        byte[] nfkd = table.nfkd(cp);
        for (int q = 0; q < nfkd.length; ) {
            q += Math.max(1, appendNext(nfkd, q, nfkd.length));
        }
        if (first >= size) {
            return; // x/text would index past the end here; no table entry leads to it
        }
        elems[first] = updateTertiary(elems[first], ce & 0xFF);
        int i = first + 1;
        if (i < size) {
            elems[i] = updateTertiary(elems[i], (ce >>> 8) & 0xFF);
            for (i++; i < size; i++) {
                elems[i] = updateTertiary(elems[i], 0x1F);
            }
        }
    }

    /** {@code makeImplicitCE(implicitPrimary(r))}: primary from the code point, by Ideographic block. */
    private int implicitElement(int cp) {
        int primary;
        if (table.isIdeographic(cp)) {
            boolean common = (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
            primary = cp + (common ? 0x10000 : 0x20000);
        } else {
            primary = cp + 0x50000;
        }
        return 0x40000000 | (primary << 9) | 0x20;
    }

    /** {@code colltab.Iter} run to the end: appends elements and reorders them by combining class. */
    private static final class Iter {
        private final CollationElements w;
        private final byte[] s;
        private final int end;
        private int n;
        private int pNext;

        Iter(CollationElements w, byte[] s, int end) {
            this.w = w;
            this.s = s;
            this.end = end;
        }

        void run() {
            while (next()) {
                // all elements are kept in w
            }
        }

        private boolean appendNext() {
            if (pNext >= end) {
                return false;
            }
            pNext += Math.max(1, w.appendNext(s, pNext, end));
            return true;
        }

        private boolean next() {
            if (n == w.size && !appendNext()) {
                return false;
            }
            int prevCcc = ccc(w.elems[w.size - 1]);
            if (prevCcc == 0) {
                n = w.size;
                return true;
            } else if (ccc(w.elems[n]) == 0) {
                for (n++; n < w.size && ccc(w.elems[n]) == 0; n++) {
                    // skip starters
                }
                return true;
            }
            while (true) {
                int p = w.size;
                if (!appendNext()) {
                    break;
                }
                int ccc = p < w.size ? ccc(w.elems[p]) : 0;
                if (ccc == 0 || w.size - n > MAX_COMBINING_CHARACTERS) {
                    n = p;
                    return true;
                } else if (ccc < prevCcc) {
                    doNorm(p, ccc);
                } else {
                    prevCcc = ccc;
                }
            }
            boolean done = w.size != n;
            n = w.size;
            return done;
        }

        /** Moves the elements from {@code p} on before the preceding ones of higher combining class. */
        private void doNorm(int p, int ccc) {
            int total = w.size;
            int k = p;
            for (p--; p > n && ccc < ccc(w.elems[p - 1]); p--) {
                // find the insertion point
            }
            int[] moved = Arrays.copyOfRange(w.elems, p, k);
            System.arraycopy(w.elems, k, w.elems, p, total - k);
            System.arraycopy(moved, 0, w.elems, p + total - k, moved.length);
        }
    }
}
