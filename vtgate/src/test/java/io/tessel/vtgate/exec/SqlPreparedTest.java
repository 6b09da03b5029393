package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.StaticGateway;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQL-level PREPARE / EXECUTE / DEALLOCATE through the executor, against recording fake tablets. */
class SqlPreparedTest {
    private final FakeQueryService low = new FakeQueryService();
    private final FakeQueryService high = new FakeQueryService();
    private final StaticGateway gateway = StaticGateway.builder()
            .tablet("ks", "-80", TabletType.PRIMARY, low)
            .tablet("ks", "80-", TabletType.PRIMARY, high)
            .build();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26);
    private final Session session = executor.newSession(1, "root", List.of());

    @Test
    void executeBindsUserVariablesToTheMarkers() {
        executor.useDatabase(session, "ks:-80");
        executor.query(session, "set @a = 5, @n = 'five'");
        assertEquals("Statement prepared",
                executor.query(session, "PREPARE s FROM 'select * from t where id = ? and name = ?'").getInfo());
        executor.query(session, "execute S using @a, @n");
        executor.query(session, "set @a = 6");
        executor.query(session, "execute s using @a, @never");
        assertEquals(List.of("execute select * from t where id = 5 and name = 'five' tx=0",
                "execute select * from t where id = 6 and name = null tx=0"), low.calls);
    }

    @Test
    void theTextMayComeFromAVariableAndNeedNotHaveMarkers() {
        executor.useDatabase(session, "ks:80-");
        executor.query(session, "set @q = 'delete from t where id = 3'");
        executor.query(session, "prepare d from @q");
        executor.query(session, "execute d");
        executor.query(session, "execute immediate 'update t set a = ? where id = 4' using @q");
        assertEquals(List.of("execute delete from t where id = 3 tx=0",
                "execute update t set a = 'delete from t where id = 3' where id = 4 tx=0"), high.calls);
    }

    @Test
    void deallocatedStatementsAreGoneAndResetForgetsAll() {
        executor.query(session, "prepare a from 'select 1'");
        executor.query(session, "prepare b from 'select 2'");
        executor.query(session, "deallocate prepare a");
        assertEquals(1243, assertThrows(VtException.class, () -> executor.query(session, "execute a")).errno());
        executor.query(session, "drop prepare b");
        assertEquals(1243, assertThrows(VtException.class, () -> executor.query(session, "drop prepare b")).errno());
        executor.query(session, "prepare c from 'select 3'");
        executor.resetSession(session);
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "execute c"));
        assertEquals("Unknown prepared statement handler (c) given to EXECUTE", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prepare p from 'select ?' ; execute p                  | 1210 | HY000",
        "prepare p from 'select 1' ; execute p using @a         | 1210 | HY000",
        "prepare p from ''                                      | 1065 | 42000",
        "prepare p from 'select 1; select 2'                    | 1295 | HY000",
        "prepare p from 'prepare q from ''select 1'''           | 1295 | HY000",
        "prepare p from @unset                                  | 1064 | 42000",
        "prepare p 'select 1'                                   | 1064 | 42000",
        "prepare p from 'select 1' ; execute p using 1          | 1064 | 42000",
        "execute nope                                           | 1243 | HY000",
    })
    void mistakesGetMySqlsErrors(String statements, int errno, String sqlState) {
        String[] parts = statements.split(" ; ");
        for (int i = 0; i < parts.length - 1; i++) {
            executor.query(session, parts[i]);
        }
        VtException e = assertThrows(VtException.class, () -> executor.query(session, parts[parts.length - 1]));
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(sqlState, e.sqlState());
    }

    @Test
    void dropTableIsStillDdl() {
        assertTrue(SqlPrepared.isDropPrepare("DROP /* c */ PREPARE s"));
        assertEquals(false, SqlPrepared.isDropPrepare("drop table prepare"));
    }
}
