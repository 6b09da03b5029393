package io.tessel.vtgate.evalengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.expr.SQLAggregateExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.dialect.mysql.parser.MySqlExprParser;
import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expressions parsed by druid, translated and evaluated over one row: the translator and evaluator together. */
class ExprTest {
    private static final List<String> NAMES = List.of("i", "n", "u", "d", "f", "s", "big", "neg", "dt", "b", "total");
    static final List<Field> FIELDS = List.of(
            field("i", Type.INT64, 0, 63), field("n", Type.INT64, 0, 63), field("u", Type.UINT64, 0, 63),
            field("d", Type.DECIMAL, 2, 63), field("f", Type.FLOAT64, 31, 63), field("s", Type.VARCHAR, 0, 45),
            field("big", Type.INT64, 0, 63), field("neg", Type.INT64, 0, 63), field("dt", Type.DATE, 0, 63),
            field("b", Type.VARBINARY, 0, 63), field("sum(x)", Type.DECIMAL, 0, 63));
    static final byte[][] ROW = row("7", null, "18446744073709551615", "2.50", "1.5", "abc", "9223372036854775807",
            "-9223372036854775808", "2024-01-02", "ABC", "10");
    private static final Map<String, BindVariable> BIND_VARS = Map.of(
            "v1", bv(Type.INT64, "3"), "v2", bv(Type.VARCHAR, "ABC"), "vnull", bv(Type.NULL_TYPE, ""),
            "vdec", bv(Type.DECIMAL, "1.5"), "list", BindVariable.newBuilder().setType(Type.TUPLE).build());

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        // integer arithmetic gives BIGINT; / gives DECIMAL with the dividend's scale + 4, rounded half up
        "i + 1|INT64:8", "i - 10|INT64:-3", "i * :v1|INT64:21", "true + 1|INT64:2",
        "i / 2|DECIMAL:3.5000", "1 / 3|DECIMAL:0.3333", "2 / 3|DECIMAL:0.6667", "-2 / 3|DECIMAL:-0.6667",
        "d / 3|DECIMAL:0.833333", "d * d|DECIMAL:6.2500", "d + 1|DECIMAL:3.50", "d - 2.505|DECIMAL:-0.005",
        "sum(x) / 4|DECIMAL:2.5000", ":vdec * 2|DECIMAL:3.0", "-d|DECIMAL:-2.50",
        "i div 2|INT64:3", "-7 div 2|INT64:-3", "7.5 div 2|INT64:3", "u div 2|UINT64:9223372036854775807",
        "i % 3|INT64:1", "-7 % 3|INT64:-1", "7 mod -3|INT64:1", "d % 1|DECIMAL:0.50", "u % 10|UINT64:5",
        // doubles when a float or a string takes part
        "f * 2|FLOAT64:3", "f + i|FLOAT64:8.5", "0.1e0 + 0.2e0|FLOAT64:0.30000000000000004", "-f|FLOAT64:-1.5",
        "s + 1|FLOAT64:1", "'12abc' + 1|FLOAT64:13", "5.5 % 2e0|FLOAT64:1.5",
        // unsigned, dates and hex in arithmetic
        "u + 0|UINT64:18446744073709551615", "u - 1|UINT64:18446744073709551614", "dt + 0|INT64:20240102",
        "0x10 + 1|UINT64:17", "-i|INT64:-7", "- -9223372036854775807|INT64:9223372036854775807",
        // NULLs and division by zero
        "i / 0|NULL", "i div 0|NULL", "i % 0|NULL", "f / 0|NULL", "d / 0.0|NULL", "n + 1|NULL", ":vnull + 1|NULL",
        "-n|NULL",
        // comparisons
        "i = 7|INT64:1", "i <> 7|INT64:0", "i != 8|INT64:1", "n = 1|NULL", "n <=> null|INT64:1", "i <=> null|INT64:0",
        "n <=> :vnull|INT64:1", "s = 'ABC'|INT64:1", "s = :v2|INT64:1", "b = 'abc'|INT64:0", "s < 'abd'|INT64:1",
        "u > big|INT64:1", "neg < big|INT64:1", "i = '7'|INT64:1", "d = 2.5|INT64:1", "dt = '2024-01-02'|INT64:1",
        "dt < '2024-01-10'|INT64:1", "i >= 7|INT64:1", "i <= 6|INT64:0",
        // three-valued logic
        "i > 5 and n = 1|NULL", "i < 5 and n = 1|INT64:0", "i > 5 or n = 1|INT64:1", "i < 5 or n = 1|NULL",
        "i > 5 && s = 'abc'|INT64:1", "not n|NULL", "not i|INT64:0", "not 0|INT64:1", "!0|INT64:1",
        "i xor 0|INT64:1", "i xor n|NULL", "i xor 1|INT64:0", "s and 1|INT64:0",
        "n is null|INT64:1", "i is null|INT64:0", "n is not null|INT64:0",
        "i between 1 and 7|INT64:1", "i not between 1 and 6|INT64:1", "n between 1 and 2|NULL",
        "i in (1, 7)|INT64:1", "i in (1, 2)|INT64:0", "i in (1, null)|NULL", "i not in (1, null)|NULL",
        "i not in (1, 2)|INT64:1",
        // CASE, IFNULL, COALESCE take the merged type of their branches
        "case when i > 5 then 'big' else 'small' end|VARCHAR:big", "case i when 7 then 1 when 8 then 2.50 end|DECIMAL:1.00",
        "case i when 8 then 1 end|NULL", "case when n then 1 else 2 end|INT64:2", "case n when null then 1 else 0 end|INT64:0",
        "ifnull(n, 5)|INT64:5", "ifnull(i, 2.5)|DECIMAL:7.0", "coalesce(n, null, 'x')|VARCHAR:x", "ifnull(n, f)|FLOAT64:1.5",
        "ifnull(i, f)|FLOAT64:7", "coalesce(n, :vnull)|NULL",
    })
    void evaluates(String sql, String expected) {
        assertEquals(expected, show(translate(sql).evaluate(ROW, FIELDS, BIND_VARS)));
    }

    @ParameterizedTest(name = "{0} fails")
    @CsvSource(delimiter = '|', value = {
        "big + 1|BIGINT value is out of range in '(`big` + 1)'",
        "neg - 1|BIGINT value is out of range in '(`neg` - 1)'",
        "big * 2|BIGINT value is out of range in '(`big` * 2)'",
        "-neg|BIGINT value is out of range in '-(`neg`)'",
        "neg div -1|BIGINT value is out of range in '(`neg` div -1)'",
        "u + 1|BIGINT UNSIGNED value is out of range in '(`u` + 1)'",
        "i - u|BIGINT UNSIGNED value is out of range in '(`i` - `u`)'",
        "0 - u|BIGINT UNSIGNED value is out of range in '(0 - `u`)'",
        "-u|BIGINT value is out of range in '-(`u`)'",
        "1e308 * 10|DOUBLE value is out of range in '(1e308 * 10)'",
    })
    void overflowFailsLikeMysql(String sql, String message) {
        VtException e = assertThrows(VtException.class, () -> translate(sql).evaluate(ROW, FIELDS, BIND_VARS));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertEquals(1690, e.errno());
        assertEquals("22003", e.sqlState());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1} decimals {2}")
    @CsvSource(delimiter = '|', value = {
        "i + 1|INT64|0", "i / 2|DECIMAL|4", "d / 2|DECIMAL|6", "d * d|DECIMAL|4", "d + 1.125|DECIMAL|3",
        "i + u|UINT64|0", "-u|INT64|0", "u % i|UINT64|0", "i % u|INT64|0", "i div d|INT64|0",
        "f + 1|FLOAT64|31", "s * 1|FLOAT64|31", "i = 1|INT64|0", "n is null|INT64|0", "s|VARCHAR|0", "d|DECIMAL|2",
        "case i when 7 then 1 else 2.50 end|DECIMAL|2", "ifnull(n, 5)|INT64|0", "ifnull(i, u)|DECIMAL|0",
        "ifnull(s, b)|VARBINARY|0", "ifnull(s, i)|VARCHAR|0", "case when i then null end|NULL_TYPE|0",
        ":vdec * :v1|DECIMAL|1", "sum(x) / 4|DECIMAL|4", "dt + 1|INT64|0",
    })
    void resultTypes(String sql, Type type, int decimals) {
        ResultType result = translate(sql).resultType(FIELDS, BIND_VARS);
        assertEquals(type, result.type());
        assertEquals(decimals, result.decimals());
    }

    @Test
    void resultTypeMakesAField() {
        Field field = translate("s").resultType(FIELDS, BIND_VARS).toField("name");
        assertEquals("name", field.getName());
        assertEquals(Type.VARCHAR, field.getType());
        assertEquals(45, field.getCharset());
        assertEquals(63, translate("i + 1").resultType(FIELDS, BIND_VARS).toField("x").getCharset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "count(*)|aggregate function count(*)",
        "concat(s, 'x')|function concat()",
        "s like 'a%'|operator LIKE",
        "?|variable ?",
        "@x + 1|variable @x",
        "i is true|IS test",
        "~i|unary operator Compl",
        "zzz|column zzz",
        "t.zzz|column t.zzz",
        "exists (select 1)|SQLExistsExpr",
        "i & 1|operator &",
    })
    void unsupportedConstructsAreNamed(String sql, String named) {
        VtException e = assertThrows(VtException.class, () -> translate(sql));
        assertEquals(ErrorCode.UNIMPLEMENTED, e.code());
        assertEquals(1235, e.errno());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void bindVariableErrors() {
        var missing = assertThrows(VtException.class,
                () -> translate(":nope + 1").evaluate(ROW, FIELDS, BIND_VARS));
        assertEquals("missing bind var nope", missing.getMessage());
        var list = assertThrows(VtException.class, () -> translate(":list").evaluate(ROW, FIELDS, BIND_VARS));
        assertEquals(ErrorCode.INVALID_ARGUMENT, list.code());
    }

    @Test
    void literalsKeepMysqlTypes() {
        assertEquals("UINT64:18446744073709551615", show(translate("18446744073709551615").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("DECIMAL:18446744073709551616", show(translate("18446744073709551616").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("INT64:-9223372036854775808", show(translate("-9223372036854775808").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("DECIMAL:1.50", show(translate("1.50").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("FLOAT64:1000", show(translate("1e3").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("VARBINARY:x", show(translate("_binary'x'").evaluate(ROW, FIELDS, BIND_VARS)));
        assertEquals("VARCHAR:x", show(translate("_utf8mb4'x'").evaluate(ROW, FIELDS, BIND_VARS)));
    }

    @Test
    void describesWithColumnOffsets() {
        assertEquals("(([COLUMN 0] + 1) > :v1)", translate("i + 1 > :v1").toSql());
        assertEquals("(([COLUMN 10] / [COLUMN 0]) is not null)", translate("sum(x) / i is not null").toSql());
        assertEquals("case [COLUMN 0] when 1 then 'a' else -([COLUMN 3]) end",
                translate("case i when 1 then 'a' else -d end").toSql());
    }

    @Test
    void rejectsBadTrees() {
        assertThrows(IllegalArgumentException.class, () -> new Expr.Column(-1));
        assertThrows(IllegalArgumentException.class, () -> new Expr.Case(null, List.of(), null));
        assertThrows(IllegalStateException.class, () -> new Expr.Column(20).evaluate(ROW, FIELDS, BIND_VARS));
    }

    /** Identifiers name columns of {@link #FIELDS}; the aggregate {@code sum(x)} is the last column. */
    static Expr translate(String sql) {
        SQLExpr parsed = new MySqlExprParser(sql).expr();
        return ExprTranslator.translate(parsed, ExprTest::resolve);
    }

    private static OptionalInt resolve(SQLExpr e) {
        if (e instanceof SQLIdentifierExpr id && NAMES.contains(id.getName())) {
            return OptionalInt.of(NAMES.indexOf(id.getName()));
        }
        if (e instanceof SQLAggregateExpr a && a.toString().equals("sum(x)")) {
            return OptionalInt.of(NAMES.indexOf("total"));
        }
        return OptionalInt.empty();
    }

    static String show(Value value) {
        return value.isNull() ? "NULL" : value.type() + ":" + value.text();
    }

    static Field field(String name, Type type, int decimals, int charset) {
        return Field.newBuilder().setName(name).setType(type).setDecimals(decimals).setCharset(charset).build();
    }

    static byte[][] row(String... values) {
        byte[][] row = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            row[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return row;
    }

    private static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }
}
