package io.tessel.vttablet.consolidate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsolidatableTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "select * from t where id = 1|true",
        "SELECT sleep(1), v FROM t|true",
        "  /* comment */ (select 1) union (select 2)|true",
        "-- leading comment\\nselect 1|true",
        "select * from updates_log|true",
        "select nextvalue from t|true",
        "select * from t for update|false",
        "select * from t lock in share mode|false",
        "select * from t for share|false",
        "select * from t into outfile '/tmp/x'|false",
        "select get_lock('a', 1)|false",
        "select RELEASE_LOCK('a')|false",
        "select last_insert_id()|false",
        "select found_rows()|false",
        "select connection_id()|false",
        "select nextval(s)|false",
        "select next value for s|false",
        "insert into t values (1)|false",
        "update t set v = 1|false",
        "show tables|false",
        "selectx from t|false",
        "with c as (select 1) select * from c|false",
        "''|false",
    })
    void classifies(String sql, boolean isConsolidatable) {
        assertEquals(isConsolidatable, Consolidatable.isConsolidatable(sql.replace("\\n", "\n")));
    }
}
