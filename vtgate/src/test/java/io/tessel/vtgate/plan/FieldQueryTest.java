package io.tessel.vtgate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldQueryTest {
    @Test
    void everyTopLevelBlockGetsAnImpossibleWhere() {
        assertEquals(Optional.of("select c from t where (id = :v1) and 1 != 1"),
                FieldQuery.of("select c from t where id = :v1"));
        assertEquals(Optional.of("select a from t where (x = 1 or y = 2) and 1 != 1"),
                FieldQuery.of("select a from t where x = 1 or y = 2"));
        assertEquals(Optional.of("select a from t where 1 != 1 union all select b from u where 1 != 1"),
                FieldQuery.of("select a from t union all select b from u"));
        assertEquals(Optional.of("select sum(k) from t where id between :v1 and :v2 and 1 != 1 group by c "
                + "order by c limit :v3"), FieldQuery.of("select sum(k) from t where id between :v1 and :v2 "
                + "group by c order by c limit :v3").map(s -> s.replaceAll("\\s+", " ")));
    }

    @Test
    void notASelectHasNone() {
        assertEquals(Optional.empty(), FieldQuery.of("update t set a = 1"));
        assertEquals(Optional.empty(), FieldQuery.of("select from where"));
    }
}
