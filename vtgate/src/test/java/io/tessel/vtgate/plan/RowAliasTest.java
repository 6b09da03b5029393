package io.tessel.vtgate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowAliasTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "insert into t (a, b) values (:vtg1, :vtg2) as new on duplicate key update b = new.b"
                + " | insert into t (a, b) values (:vtg1, :vtg2) on duplicate key update b = values(b)",
        "INSERT INTO t(a,b) VALUES (1,2),(3,4) AS `n` ON DUPLICATE KEY UPDATE b = n.b + t.b, a = `n`.`a`"
                + " | INSERT INTO t(a,b) VALUES (1,2),(3,4) ON DUPLICATE KEY UPDATE b = values(b) + t.b, a = values(`a`)",
        "insert into t (a) values (:vtg1) on duplicate key update a = values(a)"
                + " | insert into t (a) values (:vtg1) on duplicate key update a = values(a)",
        "select * from t as new | select * from t as new",
    })
    void rowAliasBecomesValues(String sql, String expected) {
        assertEquals(expected, RowAlias.rewrite(sql));
    }
}
