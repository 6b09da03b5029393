package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Query.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindVarSubstituterTest {
    static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static BindVariable tuple(Value... values) {
        return BindVariable.newBuilder().setType(Type.TUPLE).addAllValues(java.util.List.of(values)).build();
    }

    static Value v(Type type, String value) {
        return Value.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static String sub(String sql, Map<String, BindVariable> vars) {
        return BindVarSubstituter.substitute(sql, vars);
    }

    @Test
    void withoutVariablesTheSqlPassesThroughUntouched() {
        String sql = "select ':a', 1 from t where x = :a";
        assertSame(sql, sub(sql, Map.of()));
        String noColon = "select 1";
        assertSame(noColon, sub(noColon, Map.of("a", bv(Type.INT64, "1"))));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "INT64     | -42                  | -42",
        "UINT64    | 18446744073709551615 | 18446744073709551615",
        "INT8      | 7                    | 7",
        "FLOAT64   | 1.5e-10              | 1.5e-10",
        "DECIMAL   | -12345.670           | -12345.670",
        "YEAR      | 2024                 | 2024",
        "VARCHAR   | abc                  | 'abc'",
        "TEXT      | héllo                | 'héllo'",
        "DATETIME  | 2024-02-29 23:59:59.123450 | '2024-02-29 23:59:59.123450'",
        "TIME      | -838:59:59           | '-838:59:59'",
        "HEXNUM    | 0x1F                 | 0x1F",
        "HEXVAL    | x'1F'                | x'1F'",
        "BITNUM    | 0b101                | 0b101",
        "ENUM      | b                    | 'b'",
    })
    void valuesAreEncodedByType(Type type, String value, String expected) {
        assertEquals("select " + expected, sub("select :v", Map.of("v", bv(type, value))));
    }

    @Test
    void jsonIsQuotedText() {
        assertEquals("select '{\\\"a\\\": 1}'", sub("select :j", Map.of("j", bv(Type.JSON, "{\"a\": 1}"))));
    }

    @Test
    void nullTypeIsNull() {
        assertEquals("insert into t values (null)", sub("insert into t values (:v)", Map.of("v", bv(Type.NULL_TYPE, ""))));
    }

    @Test
    void stringsAreBackslashEscapedLikeVitess() {
        String raw = "a'b\"c\\d\ne\rf\tg\u0000h\u001ai\bj";
        assertEquals("select 'a\\'b\\\"c\\\\d\\ne\\rf\\tg\\0h\\Zi\\bj'", sub("select :s", Map.of("s", bv(Type.VARCHAR, raw))));
    }

    @Test
    void binaryThatIsNotUtf8BecomesAHexLiteral() {
        BindVariable b = BindVariable.newBuilder().setType(Type.VARBINARY)
                .setValue(ByteString.copyFrom(new byte[] {0, (byte) 0xFF, 0x27})).build();
        assertEquals("select X'00FF27'", sub("select :b", Map.of("b", b)));
        BindVariable empty = BindVariable.newBuilder().setType(Type.BLOB).build();
        assertEquals("select ''", sub("select :b", Map.of("b", empty)));
    }

    @Test
    void tuplesExpandToParenthesisedLists() {
        Map<String, BindVariable> vars = Map.of("ids", tuple(v(Type.INT64, "1"), v(Type.VARCHAR, "x"), v(Type.NULL_TYPE, "")));
        assertEquals("select * from t where id in (1, 'x', null)", sub("select * from t where id in ::ids", vars));
        assertEquals("select * from t where id in (1, 'x', null)", sub("select * from t where id in :ids", vars));
    }

    @Test
    void quotedTextAndCommentsAreSkipped() {
        Map<String, BindVariable> vars = Map.of("a", bv(Type.INT64, "1"));
        String sql = "select ':a', \":a\", `:a`, 'it''s :a', 'x\\':a' -- :a\n, :a # :a\n /* :a */ from t where b = :a";
        String expected = "select ':a', \":a\", `:a`, 'it''s :a', 'x\\':a' -- :a\n, 1 # :a\n /* :a */ from t where b = 1";
        assertEquals(expected, sub(sql, vars));
    }

    @Test
    void doubleDashWithoutSpaceIsNotAComment() {
        assertEquals("select 5--1", sub("select 5--:a", Map.of("a", bv(Type.INT64, "1"))));
    }

    @Test
    void colonsThatAreNotVariablesStay() {
        Map<String, BindVariable> vars = Map.of("a", bv(Type.INT64, "3"));
        assertEquals("set @x := 3, @y := '10:30'", sub("set @x := :a, @y := '10:30'", vars));
        assertEquals("select 3:", sub("select :a:", vars));
        assertEquals("select a_1, 3", sub("select a_1, :a", vars));
    }

    @Test
    void namesMayHoldDigitsAndUnderscores() {
        Map<String, BindVariable> vars = Map.of("v_1", bv(Type.INT64, "1"), "v_10", bv(Type.INT64, "10"));
        assertEquals("select 1, 10", sub("select :v_1, :v_10", vars));
    }

    @Test
    void unterminatedQuoteOrCommentRunsToTheEnd() {
        Map<String, BindVariable> vars = Map.of("a", bv(Type.INT64, "1"));
        assertEquals("select 1, 'open :a", sub("select :a, 'open :a", vars));
        assertEquals("select 1 /* :a", sub("select :a /* :a", vars));
    }

    @Test
    void missingVariableIsInvalidArgument() {
        VtException e = assertThrows(VtException.class, () -> sub("select :b", Map.of("a", bv(Type.INT64, "1"))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("missing bind var b", e.getMessage());
    }

    @Test
    void listSyntaxNeedsATuple() {
        VtException e = assertThrows(VtException.class, () -> sub("select ::a", Map.of("a", bv(Type.INT64, "1"))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void emptyTupleIsRejected() {
        assertThrows(VtException.class, () -> sub("select ::a", Map.of("a", tuple())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INT64   | 1 or 1=1",
        "INT64   | 1; drop table t",
        "FLOAT64 | 1e5)",
        "DECIMAL | ''",
        "HEXNUM  | 0x1F or 1",
        "HEXVAL  | x'1F' or 'a'",
        "BITNUM  | 0b102",
    })
    void bareValuesThatAreNotNumbersAreRejected(Type type, String value) {
        VtException e = assertThrows(VtException.class, () -> sub("select :v", Map.of("v", bv(type, value))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void expressionCannotBeEncoded() {
        assertThrows(VtException.class, () -> sub("select :v", Map.of("v", bv(Type.EXPRESSION, "1+1"))));
    }
}
