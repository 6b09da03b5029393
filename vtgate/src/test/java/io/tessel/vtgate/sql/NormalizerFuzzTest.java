package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessel.vttablet.server.BindVarSubstituter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes {@link Normalizer} with arbitrary text (the bytes read as UTF-8, as COM_QUERY text is). Invariants:
 * it never throws; its output normalizes to itself with no new variables; and putting the variables back
 * with the tablet's {@link BindVarSubstituter} gives SQL that normalizes to the same text and the same
 * variables, i.e. every literal it took out comes back as a literal of the same value and type (skipped
 * when the input has {@code :name} placeholders of its own, which only a caller with values could fill).
 * Seeds: the SQL files in {@code NormalizerFuzzTestInputs/normalizesAnySql/}.
 */
class NormalizerFuzzTest {
    @FuzzTest
    @DictionaryEntries({"select ", " from ", " where ", "insert into ", " values ", "update ", " set ", "delete ",
        " limit ", " offset ", " order by ", " group by ", " and ", " in (", " like ", " as ", "cast(", "char(",
        "decimal(", "date ", "interval ", "/*!", "/*+", "/*vt+ ", "*/", "-- ", "#", "X'", "b'", "0x", "0b", "e+",
        ":vtg1", "::", "`", "''", "\"\"", "\\", "_utf8mb4", "->", "->>", "@@", ":=", ";", "null", ".5",
        "18446744073709551616", "9223372036854775808", "-"})
    void normalizesAnySql(byte[] input) {
        String sql = new String(input, StandardCharsets.UTF_8);
        NormalizedQuery first = Normalizer.normalize(sql);

        NormalizedQuery again = Normalizer.normalize(first.sql());
        assertEquals(first.sql(), again.sql(), "normalizing the output again");
        assertEquals(Map.of(), again.bindVars(), "variables from normalizing the output again");

        if (!first.bindVars().isEmpty() && !hasPlaceholders(sql)) {
            String substituted = BindVarSubstituter.substitute(first.sql(), first.bindVars());
            NormalizedQuery back = Normalizer.normalize(substituted);
            assertEquals(first.sql(), back.sql(), substituted);
            assertEquals(first.bindVars(), back.bindVars(), substituted);
        }
    }

    /** True when {@code sql} has {@code :name} placeholders of its own (not MySQL syntax; nothing to substitute them with). */
    private static boolean hasPlaceholders(String sql) {
        for (int i = sql.indexOf(':'); i >= 0 && i + 1 < sql.length(); i = sql.indexOf(':', i + 1)) {
            char c = sql.charAt(i + 1);
            if (Character.isLetter(c) || c == '_' || c == ':') {
                return true;
            }
        }
        return false;
    }
}
