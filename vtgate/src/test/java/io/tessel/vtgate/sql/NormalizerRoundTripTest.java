package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.vttablet.server.BindVarSubstituter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tablet puts the normalizer's variables back into the SQL with {@link BindVarSubstituter}. Each literal
 * must come back as a literal MySQL reads as the same value and type: normalizing the substituted SQL
 * again gives the same text and the same variables.
 */
class NormalizerRoundTripTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "select c from sbtest1 where id = 5012",
        "select * from t where a = 'it''s' and b = \"say \"\"hi\"\"\" and c = 'a\\'b\\\\c\\n\\t\\0\\Z\\%\\_\\q'",
        "select * from t where a = 'héllo 😀' and b = '' and c = 'x' 'y'",
        "select * from t where a = -5 and b = - 7 and c = a--5 and d = a - -1.5 and e = -.5e3",
        "select * from t where a = 9223372036854775807 and b = 9223372036854775808 and c = 18446744073709551616",
        "select * from t where a = -9223372036854775808 and b = -9223372036854775809 and c = 007",
        "select * from t where a = 1.5 and b = .5 and c = 5. and d = 1e5 and e = 1.5E-3 and f = 2.5e+10",
        "select * from t where a = X'0A' and b = x'ff' and c = 0x0A and d = b'0101' and e = 0b11 and f = x''",
        "select * from t where id in (1, 2, 1, 'a', 'a') limit 10 offset 10",
        "insert into t (a, b) values (1, 'x'), (2, 'y') on duplicate key update b = 'z'",
        "update t set a = a + 1, b = null where id = 3 order by id limit 1",
        "select a, count(*) from t where b like 'x\\_%' group by 1 having count(*) > 1 order by 2 desc limit 5",
        "select cast(a as char(10)), _utf8mb4'k', date '2024-01-01', 1 as 'one' from t where x = 2",
        "select 'x'a from t where b = 'y'and c = X'0A'or d = -1", // found by NormalizerFuzzTest
        "delete from t where a = b:0 and c = x:'y'", // found by NormalizerFuzzTest
        "select a from t where b = ''/*vt+ A=1 */'y' and c = 'x' /*+ H */ 'z'", // found by NormalizerFuzzTest
    })
    void substitutedSqlNormalizesToTheSameQuery(String sql) {
        NormalizedQuery first = Normalizer.normalize(sql);
        String substituted = BindVarSubstituter.substitute(first.sql(), first.bindVars());
        NormalizedQuery again = Normalizer.normalize(substituted);
        assertEquals(first.sql(), again.sql(), substituted);
        assertEquals(first.bindVars(), again.bindVars(), substituted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "select * from t where a = 'it''s'           | select * from t where a = 'it\\'s'",
        "select * from t where a = -5                | select * from t where a = -5",
        "select * from t where a = 18446744073709551615 | select * from t where a = 18446744073709551615",
        "select * from t where a = 1.50              | select * from t where a = 1.50",
        "select * from t where a = -1.5e-3           | select * from t where a = -1.5e-3",
        "select * from t where a = X'0A'             | select * from t where a = X'0A'",
        "select * from t where a = 0x0a              | select * from t where a = 0x0a",
        "select * from t where a = b'01'             | select * from t where a = b'01'",
        "select * from t where a = 0b01              | select * from t where a = 0b01",
        "select * from t where a = '\\%'             | select * from t where a = '\\\\%'",
        "select * from t where a = 007 limit 2, 3    | select * from t where a = 7 limit 2, 3",
    })
    void tabletSeesTheLiteralBack(String sql, String expected) {
        NormalizedQuery q = Normalizer.normalize(sql);
        assertEquals(expected, BindVarSubstituter.substitute(q.sql(), q.bindVars()));
    }
}
