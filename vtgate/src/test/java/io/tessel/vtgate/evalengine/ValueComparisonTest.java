package io.tessel.vtgate.evalengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueComparisonTest {
    /** type:text|type:text|expected sign; NULL is written as the type NULL_TYPE with any text. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // NULLs first, equal to each other
        "NULL_TYPE:|INT64:-5|-1",
        "INT64:-5|NULL_TYPE:|1",
        "NULL_TYPE:|NULL_TYPE:|0",
        "NULL_TYPE:|VARCHAR:|-1",
        // integers, negative and 64-bit edges
        "INT64:-10|INT64:9|-1",
        "INT64:9223372036854775807|INT64:-9223372036854775808|1",
        "INT32:7|INT64:7|0",
        "INT64:00042|INT64:42|0",
        // unsigned above 2^63 against signed
        "UINT64:18446744073709551615|INT64:9223372036854775807|1",
        "UINT64:9223372036854775808|UINT64:9223372036854775807|1",
        "UINT64:18446744073709551615|UINT64:1|1",
        "INT64:-1|UINT64:18446744073709551615|-1",
        "UINT64:0|INT64:-1|1",
        "UINT64:5|INT64:5|0",
        "YEAR:2024|INT64:2024|0",
        // decimals exactly, scale ignored
        "DECIMAL:1.50|DECIMAL:1.5|0",
        "DECIMAL:-0.001|DECIMAL:0.000|-1",
        "DECIMAL:12345678901234567890.123456789|DECIMAL:12345678901234567890.123456788|1",
        "DECIMAL:18446744073709551616|UINT64:18446744073709551615|1",
        "INT64:3|DECIMAL:2.999999999999999999999|1",
        "DECIMAL:-2.5|INT64:-2|-1",
        // floats, and floats against other numbers
        "FLOAT64:1.5|FLOAT64:1.25|1",
        "FLOAT64:-0|FLOAT64:0|0",
        "FLOAT32:1.5|DECIMAL:1.50|0",
        "FLOAT64:1e20|INT64:9223372036854775807|1",
        "FLOAT64:-1e-300|INT64:0|-1",
        // numbers against strings compare as doubles
        "VARCHAR:10|INT64:9|1",
        "VARCHAR:10abc|INT64:10|0",
        "VARCHAR:abc|INT64:0|0",
        "VARCHAR: 1.5e1|DECIMAL:15|0",
        // dates and times
        "DATE:2024-01-02|DATE:2023-12-31|1",
        "DATETIME:2024-01-02 00:00:00|DATE:2024-01-02|0",
        "DATETIME:2024-01-02 10:00:00.500000|DATETIME:2024-01-02 10:00:00.5|0",
        "DATETIME:2024-01-02 10:00:00|DATETIME:2024-01-02 10:00:00.000001|-1",
        "TIMESTAMP:2024-01-02 10:00:00|VARCHAR:2024-01-02 10:00:00|0",
        "DATE:2024-01-02|INT64:20240102|0",
        "TIME:-01:00:00|TIME:00:00:00|-1",
        "TIME:100:00:00|TIME:99:59:59|1",
        "TIME:-838:59:59|TIME:-1:00:00|-1",
        "TIME:10:00:00.5|TIME:10:00:00.50|0",
        // binary strings bytewise (unsigned bytes, shorter prefix first)
        "VARBINARY:abc|VARBINARY:abd|-1",
        "VARBINARY:a|VARBINARY:A|1",
        "VARBINARY:ab|VARBINARY:abc|-1",
        "'VARBINARY:a '|VARBINARY:a|1",
        "VARCHAR:a|VARBINARY:A|1",
        // hex literals: bytes against strings, numbers against numbers
        "HEXNUM:0x41|VARBINARY:A|0",
        "HEXVAL:X'4142'|VARCHAR:AB|0",
        "HEXNUM:0x10|INT64:16|0",
        "BITNUM:0b101|INT64:5|0",
    })
    void compares(String left, String right, int expected) {
        assertEquals(expected, Integer.signum(ValueComparison.compare(value(left), value(right), 0)));
        assertEquals(-expected, Integer.signum(ValueComparison.compare(value(right), value(left), 0)));
    }

    @ParameterizedTest(name = "{0} vs {1} under {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // utf8mb4_general_ci (45) and unknown (0): case- and accent-insensitive, trailing spaces ignored
        "abc|ABC|45|0",
        "abc|ABD|45|-1",
        "Zebra|apple|45|1",
        "résumé|RESUME|45|0",
        "Ärger|arger|0|0",
        "'a  '|a|45|0",
        "a|ab|45|-1",
        "_|a|45|1",
        // utf8mb4_bin (46): bytes, PAD SPACE
        "a|A|46|1",
        "'a '|a|46|0",
        // binary (63): bytes, trailing spaces count
        "'a '|a|63|1",
        // utf8mb4_0900_ai_ci (255): NO PAD
        "'a '|a|255|1",
        "ABC|abc|255|0",
        // MariaDB utf8mb4_nopad_bin (1070): bytes, NO PAD
        "'a '|a|1070|1",
        "a|A|1070|1",
        // latin1_swedish_ci (8): approximated as general_ci
        "abc|ABC|8|0",
    })
    void comparesTextUnderCollation(String left, String right, int collation, int expected) {
        Value a = Value.ofVarchar(left);
        Value b = Value.ofVarchar(right);
        assertEquals(expected, Integer.signum(ValueComparison.compare(a, b, collation)));
        assertEquals(-expected, Integer.signum(ValueComparison.compare(b, a, collation)));
    }

    @Test
    void columnValuesUseTheTextFieldsCollation() {
        Field ci = Field.newBuilder().setType(Type.VARCHAR).setCharset(45).build();
        Field bin = Field.newBuilder().setType(Type.VARCHAR).setCharset(46).build();
        byte[] lower = "abc".getBytes(StandardCharsets.UTF_8);
        byte[] upper = "ABC".getBytes(StandardCharsets.UTF_8);
        assertEquals(0, ValueComparison.compare(lower, ci, upper, ci));
        assertEquals(1, Integer.signum(ValueComparison.compare(lower, bin, upper, bin)));
        assertEquals(-1, ValueComparison.compare(null, ci, upper, ci));
        assertEquals(0, ValueComparison.compare(null, ci, null, bin));
    }

    @Test
    void tuplesCannotBeCompared() {
        assertThrows(VtException.class,
                () -> ValueComparison.compare(new Value(Type.TUPLE, new byte[0]), Value.ofInt64(1), 0));
    }

    static Value value(String typed) {
        int colon = typed.indexOf(':');
        Type type = Type.valueOf(typed.substring(0, colon));
        return type == Type.NULL_TYPE ? Value.NULL : Value.of(type, typed.substring(colon + 1));
    }
}
