package io.tessel.vttablet.txserializer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotRowKeyTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "update t set v = v + 1 where id = 5|t where id=5",
        "UPDATE t SET v = 2 WHERE ID=5|t where id=5",
        "update `T` set v = 2 where `id` = 5 limit 1|t where id=5",
        "update low_priority ignore ks.t set v = 2 where t.id = 5|ks.t where id=5",
        "update t set v = (select max(x) from u where u.y = 1) where id = 5|t where id=5",
        "update t set s = 'where id = 6' where id = 5|t where id=5",
        "update t set v = 1 where b = 'x' and a = -3|t where a=-3 and b='x'",
        "update t set v = 1 where a = -3 and b = 'x' order by a|t where a=-3 and b='x'",
        "delete from t where id = 5|t where id=5",
        "DELETE QUICK FROM t WHERE id = 5 /* vtgate comment */|t where id=5",
        "update t set v = 1 where id = 5 -- trailing\\n|t where id=5",
        "update t set v = 1 where id > 5|NONE",
        "update t set v = 1 where id = 5 or id = 6|NONE",
        "update t set v = 1 where id in (5, 6)|NONE",
        "update t set v = 1 where id = other_col|NONE",
        "update t set v = 1|NONE",
        "update t, u set t.v = 1 where t.id = 5|NONE",
        "update t x set v = 1 where id = 5|NONE",
        "delete t from t join u on t.id = u.id where t.id = 5|NONE",
        "insert into t values (5)|NONE",
        "select * from t where id = 5|NONE",
        "update t set v = 1 where id = lower('A')|NONE",
    })
    void findsTheRow(String sql, String key) {
        assertEquals(key, HotRowKey.of(sql.replace("\\n", "\n")));
    }
}
