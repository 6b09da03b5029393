package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Query.BindVariable;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalizerTest {
    /** The variables as "name=TYPE:value" joined by "; ", in order. */
    static String describe(Map<String, BindVariable> vars) {
        return vars.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().getType() + ":" + e.getValue().getValue().toStringUtf8())
                .collect(Collectors.joining("; "));
    }

    static Arguments row(String in, String sql, String vars) {
        return Arguments.of(in, sql, vars);
    }

    static Stream<Arguments> literalKinds() {
        return Stream.of(
            row("select c from sbtest1 where id = 5012", "select c from sbtest1 where id = :vtg1", "vtg1=INT64:5012"),
            row("select * from t where a = 9223372036854775807", "select * from t where a = :vtg1", "vtg1=INT64:9223372036854775807"),
            row("select * from t where a = 9223372036854775808", "select * from t where a = :vtg1", "vtg1=UINT64:9223372036854775808"),
            row("select * from t where a = 18446744073709551615", "select * from t where a = :vtg1", "vtg1=UINT64:18446744073709551615"),
            row("select * from t where a = 18446744073709551616", "select * from t where a = :vtg1", "vtg1=DECIMAL:18446744073709551616"),
            row("select * from t where a = 007", "select * from t where a = :vtg1", "vtg1=INT64:7"),
            row("select * from t where a = 0", "select * from t where a = :vtg1", "vtg1=INT64:0"),
            row("select * from t where a = 1.5", "select * from t where a = :vtg1", "vtg1=DECIMAL:1.5"),
            row("select * from t where a = .5", "select * from t where a = :vtg1", "vtg1=DECIMAL:.5"),
            row("select * from t where a = 5.", "select * from t where a = :vtg1", "vtg1=DECIMAL:5."),
            row("select * from t where a = 1e5", "select * from t where a = :vtg1", "vtg1=FLOAT64:1e5"),
            row("select * from t where a = 1.5E-3", "select * from t where a = :vtg1", "vtg1=FLOAT64:1.5E-3"),
            row("select * from t where a = 2.5e+10", "select * from t where a = :vtg1", "vtg1=FLOAT64:2.5e+10"),
            row("select * from t where a = 'abc'", "select * from t where a = :vtg1", "vtg1=VARCHAR:abc"),
            row("select * from t where a = \"abc\"", "select * from t where a = :vtg1", "vtg1=VARCHAR:abc"),
            row("select * from t where a = ''", "select * from t where a = :vtg1", "vtg1=VARCHAR:"),
            row("select * from t where a = 'héllo'", "select * from t where a = :vtg1", "vtg1=VARCHAR:héllo"),
            row("select * from t where a = X'0A'", "select * from t where a = :vtg1", "vtg1=HEXVAL:X'0A'"),
            row("select * from t where a = x'0a'", "select * from t where a = :vtg1", "vtg1=HEXVAL:x'0a'"),
            row("insert into t values (_binary X'0A', _BINARY  0x0b, _binary b'01')", "insert into t values (:vtg1, :vtg2, :vtg3)",
                "vtg1=HEXVAL:X'0A'; vtg2=HEXNUM:0x0b; vtg3=BITNUM:b'01'"),
            row("select _binary X'0A' from t", "select :vtg1 from t", "vtg1=HEXVAL:X'0A'"),
            row("select * from t where a = 0x0A", "select * from t where a = :vtg1", "vtg1=HEXNUM:0x0A"),
            row("select * from t where a = b'01'", "select * from t where a = :vtg1", "vtg1=BITNUM:b'01'"),
            row("select * from t where a = B'01'", "select * from t where a = :vtg1", "vtg1=BITNUM:B'01'"),
            row("select * from t where a = 0b01", "select * from t where a = :vtg1", "vtg1=BITNUM:0b01"),
            row("insert into t (a, b, c) values (1, 'x', 2.5)", "insert into t (a, b, c) values (:vtg1, :vtg2, :vtg3)",
                "vtg1=INT64:1; vtg2=VARCHAR:x; vtg3=DECIMAL:2.5"),
            row("update t set a = a + 1, b = 'y' where id = 3", "update t set a = a + :vtg1, b = :vtg2 where id = :vtg3",
                "vtg1=INT64:1; vtg2=VARCHAR:y; vtg3=INT64:3"),
            row("delete from t where id = 4", "delete from t where id = :vtg1", "vtg1=INT64:4"),
            row("replace into t values (1)", "replace into t values (:vtg1)", "vtg1=INT64:1"),
            row("select 1", "select :vtg1", "vtg1=INT64:1"),
            row("select * from t where id in (1,2,3)", "select * from t where id in (:vtg1,:vtg2,:vtg3)",
                "vtg1=INT64:1; vtg2=INT64:2; vtg3=INT64:3"),
            row("select * from t where id in (1, 2, 3)", "select * from t where id in (:vtg1, :vtg2, :vtg3)",
                "vtg1=INT64:1; vtg2=INT64:2; vtg3=INT64:3"),
            row("select * from t where a between 1 and 10 or b like 'x%' and not 0",
                "select * from t where a between :vtg1 and :vtg2 or b like :vtg3 and not :vtg4",
                "vtg1=INT64:1; vtg2=INT64:10; vtg3=VARCHAR:x%; vtg4=INT64:0"),
            row("select case when a then 'p' else 'q' end from t", "select case when a then :vtg1 else :vtg2 end from t",
                "vtg1=VARCHAR:p; vtg2=VARCHAR:q"),
            row("select date_add(d, interval 5 day) from t", "select date_add(d, interval :vtg1 day) from t", "vtg1=INT64:5"),
            row("with c as (select 1) select * from c", "with c as (select :vtg1) select * from c", "vtg1=INT64:1"),
            row("(select 1) union (select 2)", "(select :vtg1) union (select :vtg2)", "vtg1=INT64:1; vtg2=INT64:2"),
            row("values row(1, 2)", "values row(:vtg1, :vtg2)", "vtg1=INT64:1; vtg2=INT64:2"),
            row("select @x := 5", "select @x := :vtg1", "vtg1=INT64:5"),
            row("select a from t where b=5", "select a from t where b=:vtg1", "vtg1=INT64:5"));
    }

    static Stream<Arguments> negativeNumbers() {
        return Stream.of(
            row("select * from t where id = -5", "select * from t where id = :vtg1", "vtg1=INT64:-5"),
            row("select * from t where id = - 5", "select * from t where id = :vtg1", "vtg1=INT64:-5"),
            row("select -1.5, -2e3", "select :vtg1, :vtg2", "vtg1=DECIMAL:-1.5; vtg2=FLOAT64:-2e3"),
            row("select * from t where id in (-1, -2)", "select * from t where id in (:vtg1, :vtg2)", "vtg1=INT64:-1; vtg2=INT64:-2"),
            row("select * from t where id = -9223372036854775808", "select * from t where id = :vtg1",
                "vtg1=INT64:-9223372036854775808"),
            row("select * from t where id = -9223372036854775809", "select * from t where id = :vtg1",
                "vtg1=DECIMAL:-9223372036854775809"),
            // the sign of -0 is not in its value, so the minus stays an operator (else "- -0" would come back as "- 0")
            row("select * from t where id = -0", "select * from t where id = -:vtg1", "vtg1=INT64:0"),
            row("select a - 5 from t", "select a - :vtg1 from t", "vtg1=INT64:5"),
            row("select a -5 from t", "select a -:vtg1 from t", "vtg1=INT64:5"),
            row("select a-5 from t", "select a-:vtg1 from t", "vtg1=INT64:5"),
            row("select a--5 from t", "select a-:vtg1 from t", "vtg1=INT64:-5"),
            row("select a - -5 from t", "select a - :vtg1 from t", "vtg1=INT64:-5"),
            row("select (a) - 5, 3 - 5 from t", "select (a) - :vtg1, :vtg2 - :vtg1 from t", "vtg1=INT64:5; vtg2=INT64:3"),
            row("select * from t where a = 1 and -2 < b", "select * from t where a = :vtg1 and :vtg2 < b",
                "vtg1=INT64:1; vtg2=INT64:-2"),
            row("select * from t where a = -x'0a'", "select * from t where a = -:vtg1", "vtg1=HEXVAL:x'0a'"),
            row("select * from t where a = -0x0a", "select * from t where a = -:vtg1", "vtg1=HEXNUM:0x0a"),
            row("select null - 1, status - 1 from t", "select null - :vtg1, status - :vtg1 from t", "vtg1=INT64:1"));
    }

    static Stream<Arguments> dedupeAndLimits() {
        String long257 = "x".repeat(257);
        String long256 = "y".repeat(256);
        return Stream.of(
            row("select * from t where a = 1 and b = 1", "select * from t where a = :vtg1 and b = :vtg1", "vtg1=INT64:1"),
            row("select * from t where a = 1 and b = '1'", "select * from t where a = :vtg1 and b = :vtg2",
                "vtg1=INT64:1; vtg2=VARCHAR:1"),
            row("select * from t where a = 1 and b = 1.0", "select * from t where a = :vtg1 and b = :vtg2",
                "vtg1=INT64:1; vtg2=DECIMAL:1.0"),
            row("select * from t where a = 'x' and b = \"x\"", "select * from t where a = :vtg1 and b = :vtg1", "vtg1=VARCHAR:x"),
            row("select * from t where a = '" + long257 + "' and b = '" + long257 + "'",
                "select * from t where a = :vtg1 and b = :vtg2", "vtg1=VARCHAR:" + long257 + "; vtg2=VARCHAR:" + long257),
            row("select * from t where a = '" + long256 + "' and b = '" + long256 + "'",
                "select * from t where a = :vtg1 and b = :vtg1", "vtg1=VARCHAR:" + long256),
            row("select * from t where a = 10 limit 10", "select * from t where a = :vtg1 limit :vtg2",
                "vtg1=INT64:10; vtg2=INT64:10"),
            row("select * from t limit 10, 10", "select * from t limit :vtg1, :vtg2", "vtg1=INT64:10; vtg2=INT64:10"),
            row("select * from t limit 5 offset 5", "select * from t limit :vtg1 offset :vtg2", "vtg1=INT64:5; vtg2=INT64:5"),
            row("select * from t limit 5 offset 5 for update", "select * from t limit :vtg1 offset :vtg2 for update",
                "vtg1=INT64:5; vtg2=INT64:5"),
            row("select * from t limit 2 union select * from u where a = 2",
                "select * from t limit :vtg1 union select * from u where a = :vtg2", "vtg1=INT64:2; vtg2=INT64:2"),
            row("select * from t where a in (1, 2, 1)", "select * from t where a in (:vtg1, :vtg2, :vtg1)",
                "vtg1=INT64:1; vtg2=INT64:2"),
            row("select offset - 1 from t", "select offset - :vtg1 from t", "vtg1=INT64:1"),
            row("select :vtg1, 5 from t", "select :vtg1, :vtg2 from t", "vtg2=INT64:5"),
            row("select 7, :vtg2 from t where a = 8", "select :vtg1, :vtg2 from t where a = :vtg3", "vtg1=INT64:7; vtg3=INT64:8"));
    }

    static Stream<Arguments> keptLiterals() {
        return Stream.of(
            row("select a from t order by 1", "select a from t order by 1", ""),
            row("select a, b from t order by 2 desc, 1 limit 3", "select a, b from t order by 2 desc, 1 limit :vtg1", "vtg1=INT64:3"),
            row("select a, count(*) from t group by 1 having count(*) > 1 order by 2",
                "select a, count(*) from t group by 1 having count(*) > :vtg1 order by 2", "vtg1=INT64:1"),
            row("select a from t group by a, 1 with rollup", "select a from t group by a, 1 with rollup", ""),
            row("select a from t order by field(a, 3, 1)", "select a from t order by field(a, :vtg1, :vtg2)",
                "vtg1=INT64:3; vtg2=INT64:1"),
            row("select * from (select a from t order by 1) x where a = 1",
                "select * from (select a from t order by 1) x where a = :vtg1", "vtg1=INT64:1"),
            row("select row_number() over (order by 1), 2 from t", "select row_number() over (order by 1), :vtg1 from t",
                "vtg1=INT64:2"),
            row("select null, true, false from t where a is null", "select null, true, false from t where a is null", ""),
            row("select _utf8mb4'x', _binary'y', _latin1 'z', N'w' from t", "select _utf8mb4'x', _binary'y', _latin1 'z', N'w' from t", ""),
            row("select _utf8mb4 0x41, _latin1 X'41' from t", "select _utf8mb4 0x41, _latin1 X'41' from t", ""),
            row("select * from t where d = date '2024-01-01' and t = time '10:00' and s = timestamp '2024-01-01 00:00:00'",
                "select * from t where d = date '2024-01-01' and t = time '10:00' and s = timestamp '2024-01-01 00:00:00'", ""),
            row("select 1 as 'one', 2 'two' from t", "select :vtg1 as 'one', :vtg2 'two' from t", "vtg1=INT64:1; vtg2=INT64:2"),
            row("select cast(a as char(10)), convert(b, decimal(10, 2)) from t",
                "select cast(a as char(10)), convert(b, decimal(10, 2)) from t", ""),
            row("select /*!40001 SQL_NO_CACHE */ a from t where b = 1 /*!50000 and c = 2 */",
                "select /*!40001 SQL_NO_CACHE */ a from t where b = :vtg1 /*!50000 and c = 2 */", "vtg1=INT64:1"),
            row("select /*+ MAX_EXECUTION_TIME(1000) */ 5 from t", "select /*+ MAX_EXECUTION_TIME(1000) */ :vtg1 from t", "vtg1=INT64:5"),
            row("select group_concat(a separator ',') from t", "select group_concat(a separator ',') from t", ""),
            row("select j->'$.a', j->>'$.b' from t where j->'$.c' = 1", "select j->'$.a', j->>'$.b' from t where j->'$.c' = :vtg1",
                "vtg1=INT64:1"),
            row("select t.1a, 1abc, 1e5x from t", "select t.1a, 1abc, 1e5x from t", ""),
            row("select t.order from t where t.limit = 5", "select t.order from t where t.limit = :vtg1", "vtg1=INT64:5"),
            row("select * from t where a = ? and b = :name and c in ::list limit ?",
                "select * from t where a = ? and b = :name and c in ::list limit ?", ""),
            row("select * from t where a = 1.e5", "select * from t where a = 1.e5", ""),
            row("select * from t where a = x'zz'", "select * from t where a = x'zz'", ""),
            // found by NormalizerFuzzTest: a comment between _binary and its literal is space
            row("select * from t where a = _binary # c\n 0x0A and b = _binary /* c */ X'0B'",
                "select * from t where a = :vtg1 and b = :vtg2", "vtg1=HEXNUM:0x0A; vtg2=HEXVAL:X'0B'"),
            // found by NormalizerFuzzTest: 0x without digits is a name, so the _binary before it stays
            row("select _binary 0x, _binary _binary 0xg from t", "select _binary 0x, _binary _binary 0xg from t", ""),
            // found by NormalizerFuzzTest: a malformed bit literal with a backslash leaves the whole input alone
            row("select 'a' from t where c = b'2\\' and d = 0", "select 'a' from t where c = b'2\\' and d = 0", ""),
            row("select @`a b`, @@global.max_connections, @'x' from t", "select @`a b`, @@global.max_connections, @'x' from t", ""));
    }

    static Stream<Arguments> textShape() {
        return Stream.of(
            row("  select\n\ta ,\r\n  b   from t  ", "select a , b from t", ""),
            row("select a from t;", "select a from t", ""),
            row("select a from t ; ;  ", "select a from t", ""),
            row("/* leading */ select a /* mid */ from t -- tail", "select a from t", ""),
            row("select a# hash comment\nfrom t", "select a from t", ""),
            row("select a/**/from/* x */t", "select a from t", ""),
            row("select 5--1", "select :vtg1-:vtg2", "vtg1=INT64:5; vtg2=INT64:-1"),
            row("select 5 -- 1\n, 2", "select :vtg1 , :vtg2", "vtg1=INT64:5; vtg2=INT64:2"),
            row("SELECT `My Col`, Id FROM `T` WHERE X = 1", "SELECT `My Col`, Id FROM `T` WHERE X = :vtg1", "vtg1=INT64:1"),
            row("select 'it''s', 'a\\'b', \"say \"\"hi\"\"\", 'x\\\\y', '\\n\\t\\0\\Z', '\\%\\_\\q'",
                "select :vtg1, :vtg2, :vtg3, :vtg4, :vtg5, :vtg6",
                "vtg1=VARCHAR:it's; vtg2=VARCHAR:a'b; vtg3=VARCHAR:say \"hi\"; vtg4=VARCHAR:x\\y; "
                    + "vtg5=VARCHAR:\n\t\0\u001a; vtg6=VARCHAR:\\%\\_q"),
            row("select 'a -- b', '/* c */', '#d', \"'\", '\"', '`' from t", "select :vtg1, :vtg2, :vtg3, :vtg4, :vtg5, :vtg6 from t",
                "vtg1=VARCHAR:a -- b; vtg2=VARCHAR:/* c */; vtg3=VARCHAR:#d; vtg4=VARCHAR:'; vtg5=VARCHAR:\"; vtg6=VARCHAR:`"),
            row("select 'a'  'b' \"c\", 'd' /* x */ 'e' from t", "select :vtg1, :vtg2 from t", "vtg1=VARCHAR:abc; vtg2=VARCHAR:de"),
            row("select `a``b`, `'` from t where c = 1", "select `a``b`, `'` from t where c = :vtg1", "vtg1=INT64:1"),
            row("select 1; select 2", "select :vtg1; select :vtg2", "vtg1=INT64:1; vtg2=INT64:2"),
            row("select '/*vt+ A=1 */', 'x\\\\' from t", "select :vtg1, :vtg2 from t", "vtg1=VARCHAR:/*vt+ A=1 */; vtg2=VARCHAR:x\\"),
            row("select /*+ BKA(t) */ -5 from t", "select /*+ BKA(t) */ :vtg1 from t", "vtg1=INT64:-5"),
            row("select a from t where b = 1 -- c = 2\n and d = 3 # e = 4", "select a from t where b = :vtg1 and d = :vtg2",
                "vtg1=INT64:1; vtg2=INT64:3"),
            // found by NormalizerFuzzTest: a word right after a literal used to extend the variable's name (:vtg1and)
            row("select 'x'a from t where b = 'y'and c = X'0A'or d = b'1'", "select :vtg1 a from t where b = :vtg2 and c = :vtg3 or d = :vtg4",
                "vtg1=VARCHAR:x; vtg2=VARCHAR:y; vtg3=HEXVAL:X'0A'; vtg4=BITNUM:b'1'"),
            // found by NormalizerFuzzTest: a colon right before a literal made a list variable (::vtg1)
            row("delete from t where a = b:0 and c = x:'y'", "delete from t where a = b: :vtg1 and c = x: :vtg2",
                "vtg1=INT64:0; vtg2=VARCHAR:y"),
            // found by NormalizerFuzzTest: strings around a directive or hint were not joined, so b's value was ''
            row("select a from t where b = '' /*vt+ A=1 */ 'y' and c = 'x' /*+ H */ 'z'", "select a from t where b = :vtg1 and c = :vtg2",
                "vtg1=VARCHAR:y; vtg2=VARCHAR:xz"),
            // found by NormalizerFuzzTest: "a---- x" (minus, minus, comment) became "a-- x", where "-- " is a comment
            row("select a---- x\n b from t", "select a- - b from t", ""),
            // found by NormalizerFuzzTest: the value put back joined what came before it (2.5e+/**/0 read 2.5e+0)
            row("select a from t where b = 2.5e+/**/0", "select a from t where b = 2.5e+ :vtg1", "vtg1=INT64:0"),
            // found by NormalizerFuzzTest: -0 took the minus but lost the sign, so a-- -0 came back as a - 0
            row("select a from t where b = c - -00", "select a from t where b = c - -:vtg1", "vtg1=INT64:0"),
            // found by NormalizerFuzzTest: a comment between a unary minus and its number kept them apart
            row("select a from t where b = - /* c */ 1 and d = -# e\n2", "select a from t where b = :vtg1 and d = :vtg2",
                "vtg1=INT64:-1; vtg2=INT64:-2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"literalKinds", "negativeNumbers", "dedupeAndLimits", "keptLiterals", "textShape"})
    void normalizes(String in, String sql, String vars) {
        NormalizedQuery q = Normalizer.normalize(in);
        assertEquals(sql, q.sql());
        assertEquals(vars, describe(q.bindVars()));
    }

    @Test
    void directivesAreReadAndDropped() {
        NormalizedQuery q = Normalizer.normalize(
                "/*vt+ QUERY_TIMEOUT_MS=100 allow_scatter */ select /*vt+ WORKLOAD_NAME='my job' PLANNER=\"gen4\" */ a from t where b = 1");
        assertEquals("select a from t where b = :vtg1", q.sql());
        assertEquals(Map.of("QUERY_TIMEOUT_MS", "100", "ALLOW_SCATTER", "true", "WORKLOAD_NAME", "my job", "PLANNER", "gen4"),
                q.directives());
    }

    @Test
    void directiveBetweenJoinedStringsIsRead() {
        NormalizedQuery q = Normalizer.normalize("select a from t where b = 'x' /*vt+ QUERY_TIMEOUT_MS=5 */ 'y'");
        assertEquals("select a from t where b = :vtg1", q.sql());
        assertEquals(Map.of("QUERY_TIMEOUT_MS", "5"), q.directives());
    }

    @Test
    void directiveInsideAStringIsText() {
        assertTrue(Normalizer.normalize("select '/*vt+ A=1 */' from t").directives().isEmpty());
    }

    @Test
    void laterDirectiveWins() {
        NormalizedQuery q = Normalizer.normalize("select /*vt+ A=1 */ /*vt+ a=2 =x */ 1");
        assertEquals(Map.of("A", "2"), q.directives());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "set autocommit = 1", "begin", "commit", "use ks", "show tables", "create table t (a int default 5)",
        "explain select * from t where a = 1", "/*!40101 SET NAMES utf8 */", "", "   ", "-- only a comment",
        "select_x = 1", "call p(1)", "alter table t add column c int"})
    void otherStatementsPassThrough(String sql) {
        NormalizedQuery q = Normalizer.normalize(sql);
        assertSame(sql, q.sql());
        assertTrue(q.bindVars().isEmpty());
    }

    @Test
    void passThroughStillReadsLeadingDirectives() {
        NormalizedQuery q = Normalizer.normalize("/*vt+ DDL_STRATEGY=online */ alter table t add c int default 1");
        assertEquals("/*vt+ DDL_STRATEGY=online */ alter table t add c int default 1", q.sql());
        assertEquals(Map.of("DDL_STRATEGY", "online"), q.directives());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select 'open", "select * from t where a = \"x", "select `t", "select 1 /* open", "/* open select 1",
        "select 'a\\'", "select x'0a", "select 1)", "select (1", "select @'x", "select 'a' 'b"})
    void malformedInputPassesThroughWithoutVariables(String sql) {
        NormalizedQuery q = Normalizer.normalize(sql);
        if (sql.equals("select (1")) {
            // an unclosed parenthesis scans fine; the parser reports it
            assertEquals("select (:vtg1", q.sql());
            return;
        }
        assertSame(sql, q.sql());
        assertTrue(q.bindVars().isEmpty());
        assertTrue(q.directives().isEmpty());
    }

    @Test
    void deepNestingPassesThrough() {
        String sql = "select " + "(".repeat(70) + "1" + ")".repeat(70);
        assertSame(sql, Normalizer.normalize(sql).sql());
        String ok = "select " + "(".repeat(60) + "1" + ")".repeat(60);
        assertEquals("select " + "(".repeat(60) + ":vtg1" + ")".repeat(60), Normalizer.normalize(ok).sql());
    }

    @Test
    void manyLiteralsDedupeBeyondTheLinearScan() {
        StringBuilder in = new StringBuilder("insert into t values ");
        StringBuilder expected = new StringBuilder("insert into t values ");
        for (int k = 0; k < 100; k++) {
            String sep = k == 0 ? "" : ", ";
            in.append(sep).append('(').append(k % 40).append(", 'v").append(k % 40).append("')");
            expected.append(sep).append("(:vtg").append(2 * (k % 40) + 1).append(", :vtg").append(2 * (k % 40) + 2).append(')');
        }
        NormalizedQuery q = Normalizer.normalize(in.toString());
        assertEquals(expected.toString(), q.sql());
        assertEquals(80, q.bindVars().size());
        assertEquals("v39", q.bindVars().get("vtg80").getValue().toStringUtf8());
    }

    @Test
    void formattingVariantsShareTheirText() {
        String a = Normalizer.normalize("select c from sbtest1 where id = 1").sql();
        String b = Normalizer.normalize("  select  c\nfrom sbtest1 /* x */ where id =   99999 ;").sql();
        assertEquals(a, b);
    }
}
