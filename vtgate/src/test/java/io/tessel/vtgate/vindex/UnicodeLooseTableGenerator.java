package io.tessel.vtgate.vindex;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code xtext-collate-loose.bin}, the table {@link UnicodeLooseTable} reads, from Go's x/text collation
 * tables and the Unicode Character Database. Not part of the build: run it by hand when the inputs change.
 *
 * <pre>
 * apt-get install -y golang-golang-x-text-dev unicode-data
 * java vtgate/src/test/java/io/tessel/vtgate/vindex/UnicodeLooseTableGenerator.java \
 *     /usr/share/gocode/src/golang.org/x/text/collate/tables.go /usr/share/unicode \
 *     vtgate/src/main/resources/io/tessel/vtgate/vindex/xtext-collate-loose.bin
 * </pre>
 *
 * <p>From {@code tables.go} it takes the trie of locale "en" (what {@code collate.New(language.English)}
 * selects), evaluated for every code point into a two-stage table, plus the expansion, contraction-trie and
 * contraction-element arrays verbatim (their indices are global). From the UCD (UnicodeData.txt,
 * DerivedNormalizationProps.txt, PropList.txt; Unicode 15.0 as in the x/text and Go releases Vitess builds
 * with) it takes what x/text's {@code norm} package and Go's {@code unicode.Ideographic} contribute: the NFD
 * lead/trail combining classes and leading non-starter counts used by discontiguous contraction matching,
 * the NFKD decomposition of every code point the table marks "decompose", and the Ideographic ranges used
 * for implicit weights. The output layout is documented in {@link UnicodeLooseTable}.
 */
public final class UnicodeLooseTableGenerator {
    static final int MAGIC = 0x544C554B; // "TLUK"
    static final int VERSION = 1;
    private static final String LOCALE = "en";

    private UnicodeLooseTableGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: UnicodeLooseTableGenerator <x/text collate/tables.go> <UCD dir> <out.bin>");
            System.exit(2);
        }
        byte[] table = generate(Path.of(args[0]), Path.of(args[1]));
        Files.write(Path.of(args[2]), table);
        System.out.println("wrote " + table.length + " bytes to " + args[2]);
    }

    /** The gzip-compressed table built from x/text's {@code tables.go} and the UCD directory. */
    static byte[] generate(Path tablesGo, Path ucdDir) throws IOException {
        GoTables go = GoTables.parse(Files.readString(tablesGo, StandardCharsets.UTF_8), LOCALE);
        Ucd ucd = Ucd.load(ucdDir);
        int[] values = new int[0x110000];
        for (int cp = 0; cp < values.length; cp++) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                values[cp] = go.lookup(utf8(cp));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes); DataOutputStream out = new DataOutputStream(gzip)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writeTwoStage(out, values);
            writeInts(out, go.expandElem);
            writeInts(out, go.contractElem);
            out.writeInt(go.ctEntries.length / 4);
            out.write(go.ctEntries);
            ucd.writeNfdProperties(out);
            ucd.writeNfkd(out, values);
            writeInts(out, ucd.ideographic());
        }
        return bytes.toByteArray();
    }

    /** Code point values in 64-entry blocks, identical blocks stored once: a char index per block, then the blocks. */
    private static void writeTwoStage(DataOutputStream out, int[] values) throws IOException {
        Map<List<Integer>, Integer> blockIds = new HashMap<>();
        List<int[]> blocks = new ArrayList<>();
        char[] index = new char[values.length >> 6];
        for (int b = 0; b < index.length; b++) {
            int[] block = Arrays.copyOfRange(values, b << 6, (b + 1) << 6);
            List<Integer> blockKey = Arrays.stream(block).boxed().toList();
            Integer id = blockIds.get(blockKey);
            if (id == null) {
                id = blocks.size();
                blockIds.put(blockKey, id);
                blocks.add(block);
            }
            index[b] = (char) id.intValue();
        }
        out.writeInt(index.length);
        for (char c : index) {
            out.writeChar(c);
        }
        out.writeInt(blocks.size());
        for (int[] block : blocks) {
            for (int v : block) {
                out.writeInt(v);
            }
        }
    }

    static void writeInts(DataOutputStream out, int[] ints) throws IOException {
        out.writeInt(ints.length);
        for (int v : ints) {
            out.writeInt(v);
        }
    }

    static byte[] utf8(int cp) {
        return new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    }

    /** The arrays of x/text's {@code collate/tables.go} and the trie lookup of {@code internal/colltab/trie.go}. */
    static final class GoTables {
        int[] expandElem;
        int[] contractElem;
        int[] values;
        int[] lookup;
        byte[] ctEntries;
        int lookupOffset;
        int valuesOffset;

        static GoTables parse(String src, String locale) {
            GoTables t = new GoTables();
            t.expandElem = array(src, "mainExpandElem");
            t.contractElem = array(src, "mainContractElem");
            t.values = array(src, "mainValues");
            t.lookup = array(src, "mainLookup");
            t.ctEntries = ctEntries(src);
            t.selectLocale(src, locale);
            return t;
        }

        private void selectLocale(String src, String locale) {
            String names = between(src, "var availableLocales = \"", "\"");
            int position = Arrays.asList(names.split(",")).indexOf(locale);
            String body = between(src, "var locales = [...]tableIndex{", "\n}\n");
            String[] entries = body.split("\\{ // ");
            String entry = entries[position + 1];
            if (!entry.startsWith(locale + "\n")) {
                throw new IllegalStateException("locale table order mismatch at " + locale + ": " + entry);
            }
            lookupOffset = Integer.decode(between(entry, "lookupOffset: ", ","));
            valuesOffset = Integer.decode(between(entry, "valuesOffset: ", ","));
        }

        /** {@code Trie.lookup} for the complete UTF-8 encoding of one code point. */
        int lookup(byte[] s) {
            int c0 = s[0] & 0xFF;
            if (c0 < 0x80) {
                return values[(valuesOffset << 6) + c0];
            }
            if (c0 < 0xC0) {
                return 0;
            }
            int i = lookup[(lookupOffset << 6) + c0];
            for (int k = 1; k < s.length - 1; k++) {
                i = lookup[(i << 6) + (s[k] & 0xFF)];
            }
            return values[(i << 6) + (s[s.length - 1] & 0xFF)];
        }

        private static int[] array(String src, String name) {
            String head = "var " + name + " = [";
            int start = src.indexOf(head);
            int size = Integer.parseInt(src.substring(start + head.length(), src.indexOf(']', start)));
            String body = between(src.substring(start), "{\n", "\n}\n");
            int[] out = new int[size];
            int next = 0;
            for (String line : body.split("\n")) {
                String code = line.contains("//") ? line.substring(0, line.indexOf("//")) : line;
                for (String item : code.split(",")) {
                    String trimmed = item.strip();
                    if (trimmed.isEmpty()) {
                        continue;
                    }
                    int colon = trimmed.indexOf(':');
                    if (colon >= 0) {
                        next = Integer.decode(trimmed.substring(0, colon).strip());
                        trimmed = trimmed.substring(colon + 1).strip();
                    }
                    out[next++] = (int) Long.parseLong(trimmed.substring(2), 16);
                }
            }
            return out;
        }

        private static byte[] ctEntries(String src) {
            String body = between(src, "var mainCTEntries = [", "\n}\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String line : body.split("\n")) {
                String t = line.strip();
                if (t.startsWith("{") && t.endsWith("},")) {
                    for (String field : t.substring(1, t.length() - 2).split(",")) {
                        out.write(Integer.decode(field.strip()));
                    }
                }
            }
            return out.toByteArray();
        }

        private static String between(String s, String from, String to) {
            int start = s.indexOf(from);
            if (start < 0) {
                throw new IllegalStateException("not found in tables.go: " + from);
            }
            start += from.length();
            return s.substring(start, s.indexOf(to, start));
        }
    }
}
