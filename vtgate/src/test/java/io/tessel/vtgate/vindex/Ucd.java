package io.tessel.vtgate.vindex;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unicode Character Database facts {@link UnicodeLooseTableGenerator} needs, read from UnicodeData.txt,
 * DerivedNormalizationProps.txt and PropList.txt: combining classes, full decompositions, NFKC_QC=Maybe
 * (x/text's "combines backward") and the Ideographic ranges.
 */
final class Ucd {
    private static final int CE_DECOMPOSE_MIN = 0xF0000000;

    private final int[] ccc = new int[0x110000];
    private final Map<Integer, int[]> canonical = new HashMap<>();
    private final Map<Integer, int[]> compatibility = new HashMap<>();
    private final BitSet combinesBackward = new BitSet();
    private final List<int[]> ideographic = new ArrayList<>();
    private final List<Integer> listed = new ArrayList<>();

    private Ucd() {}

    static Ucd load(Path dir) throws IOException {
        Ucd ucd = new Ucd();
        for (String line : Files.readAllLines(dir.resolve("UnicodeData.txt"))) {
            ucd.readUnicodeData(line.split(";", -1));
        }
        for (String line : Files.readAllLines(dir.resolve("DerivedNormalizationProps.txt"))) {
            String[] f = fields(line);
            if (f.length >= 3 && f[1].equals("NFKC_QC") && f[2].equals("M")) {
                int[] range = range(f[0]);
                ucd.combinesBackward.set(range[0], range[1] + 1);
            }
        }
        for (String line : Files.readAllLines(dir.resolve("PropList.txt"))) {
            String[] f = fields(line);
            if (f.length >= 2 && f[1].equals("Ideographic")) {
                ucd.ideographic.add(range(f[0]));
            }
        }
        return ucd;
    }

    private void readUnicodeData(String[] f) {
        int cp = Integer.parseInt(f[0], 16);
        listed.add(cp);
        ccc[cp] = Integer.parseInt(f[3]);
        if (f[5].isEmpty()) {
            return;
        }
        boolean compat = f[5].startsWith("<");
        String mapping = compat ? f[5].substring(f[5].indexOf('>') + 1).strip() : f[5];
        int[] decomposition = java.util.Arrays.stream(mapping.split(" ")).mapToInt(s -> Integer.parseInt(s, 16))
                .toArray();
        (compat ? compatibility : canonical).put(cp, decomposition);
    }

    /**
     * Per code point with a non-zero value: the NFD lead and trail combining class (of the first and last
     * character of its canonical decomposition, or its own class) and its number of leading non-starters
     * (characters of its compatibility decomposition with class != 0 or NFKC_QC=M), as x/text's norm tables.
     */
    void writeNfdProperties(DataOutputStream out) throws IOException {
        List<int[]> rows = new ArrayList<>();
        for (int cp : listed) {
            int[] nfd = decompose(cp, false);
            int lead = ccc[nfd[0]];
            int trail = ccc[nfd[nfd.length - 1]];
            int nLead = 0;
            for (int c : decompose(cp, true)) {
                if (ccc[c] == 0 && !combinesBackward.get(c)) {
                    break;
                }
                nLead++;
            }
            if (lead != 0 || trail != 0 || nLead != 0) {
                rows.add(new int[] {cp, lead, trail, Math.min(nLead, 3)});
            }
        }
        out.writeInt(rows.size());
        for (int[] row : rows) {
            out.writeInt(row[0]);
            out.writeByte(row[1]);
            out.writeByte(row[2]);
            out.writeByte(row[3]);
        }
    }

    /** The NFKD decomposition (UTF-8) of every code point whose collation value is of type "decompose". */
    void writeNfkd(DataOutputStream out, int[] values) throws IOException {
        List<Integer> cps = new ArrayList<>();
        for (int cp = 0; cp < values.length; cp++) {
            if (Integer.compareUnsigned(values[cp], CE_DECOMPOSE_MIN) >= 0) {
                cps.add(cp);
            }
        }
        out.writeInt(cps.size());
        for (int cp : cps) {
            StringBuilder s = new StringBuilder();
            for (int c : decompose(cp, true)) {
                s.appendCodePoint(c);
            }
            byte[] utf8 = s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(cp);
            out.writeByte(utf8.length);
            out.write(utf8);
        }
    }

    /** Ideographic ranges as start, end (inclusive) pairs. */
    int[] ideographic() {
        return ideographic.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** The full canonical (or compatibility) decomposition of {@code cp}, canonically ordered. */
    int[] decompose(int cp, boolean compat) {
        List<Integer> out = new ArrayList<>();
        append(out, cp, compat);
        for (int i = 1; i < out.size(); i++) { // canonical ordering: stable insertion sort of non-starter runs
            for (int j = i; j > 0; j--) {
                int a = ccc[out.get(j - 1)];
                int b = ccc[out.get(j)];
                if (b == 0 || a <= b) {
                    break;
                }
                out.set(j, out.set(j - 1, out.get(j)));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void append(List<Integer> out, int cp, boolean compat) {
        if (cp >= 0xAC00 && cp <= 0xD7A3) {
            int s = cp - 0xAC00;
            out.add(0x1100 + s / 588);
            out.add(0x1161 + (s % 588) / 28);
            if (s % 28 != 0) {
                out.add(0x11A7 + s % 28);
            }
            return;
        }
        int[] d = canonical.get(cp);
        if (d == null && compat) {
            d = compatibility.get(cp);
        }
        if (d == null) {
            out.add(cp);
            return;
        }
        for (int c : d) {
            append(out, c, compat);
        }
    }

    private static String[] fields(String line) {
        int hash = line.indexOf('#');
        String code = hash >= 0 ? line.substring(0, hash) : line;
        if (code.isBlank()) {
            return new String[0];
        }
        String[] f = code.split(";");
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
        }
        return f;
    }

    private static int[] range(String s) {
        int dots = s.indexOf("..");
        if (dots < 0) {
            int cp = Integer.parseInt(s, 16);
            return new int[] {cp, cp};
        }
        return new int[] {Integer.parseInt(s.substring(0, dots), 16), Integer.parseInt(s.substring(dots + 2), 16)};
    }
}
