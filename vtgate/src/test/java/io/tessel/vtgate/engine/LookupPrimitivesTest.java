package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.RecordingCursor.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.plan.PlanContext;
import io.tessel.vtgate.plan.Planner;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Insert, LookupDml and Route on a table owning a consistent lookup (name) and a plain lookup (phone, with
 * ignore_nulls), planned by the real planner and run against a recording cursor: which queries run, in which
 * order, inside or outside the transaction. hash(1) = 166b40b44aba4bd6 lives on -80, hash(4) = d2fd8867d50d2dfe
 * on 80-.
 */
class LookupPrimitivesTest {
    private static final String KSID1 = "0x166b40b44aba4bd6";
    private static final String KSID4 = "0xd2fd8867d50d2dfe";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "md5": {"type": "binary_md5"},
               "name_lkp": {"type": "consistent_lookup_unique", "owner": "user",
                            "params": {"table": "name_idx", "from": "name", "to": "keyspace_id"}},
               "phone_lkp": {"type": "lookup", "owner": "user",
                             "params": {"table": "phone_idx", "from": "phone", "to": "keyspace_id", "ignore_nulls": "true"}}},
             "tables": {
               "user": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "name", "name": "name_lkp"},
                                            {"column": "phone", "name": "phone_lkp"}]},
               "name_idx": {"column_vindexes": [{"column": "name", "name": "md5"}]},
               "phone_idx": {"column_vindexes": [{"column": "phone", "name": "md5"}]}}}""";
    private static final PlanContext CONTEXT = new PlanContext("ks",
            new VSchema(Map.of("ks", new VSchemaLoader(VindexRegistry.builtin()).load("ks", VSCHEMA))),
            new ServingGraph() {
                @Override
                public Set<String> keyspaces() {
                    return Set.of("ks");
                }

                @Override
                public Optional<List<String>> shards(String keyspace) {
                    return Optional.of(List.of("-80", "80-"));
                }
            });

    private final RecordingCursor cursor = new RecordingCursor();

    private QueryResult run(String sql, Map<String, BindVariable> bindVars) {
        return new Planner(new SequenceCache()).plan(sql, CONTEXT).root().execute(cursor, bindVars);
    }

    @Test
    void insertWritesLookupRowsFirstConsistentOnesOutsideTheTransaction() {
        run("insert into user(id, name, phone) values (1, 'bob', '555'), (4, 'al', null)", Map.of());
        assertEquals(List.of("begin",
                "outside: insert into name_idx(name, keyspace_id) values (:name_0, :keyspace_id_0), (:name_1, "
                        + ":keyspace_id_1) {keyspace_id_0=" + KSID4 + ", keyspace_id_1=" + KSID1 + ", name_0=al, name_1=bob}",
                "session: insert into phone_idx(phone, keyspace_id) values (:phone_0, :keyspace_id_0) {keyspace_id_0="
                        + KSID1 + ", phone_0=555}",
                "-80: insert into user (id, name, phone) values (1, 'bob', '555') {}",
                "80-: insert into user (id, name, phone) values (4, 'al', null) {}",
                "commit"), cursor.log);
    }

    @Test
    void insertIgnoreDropsRowsWhoseLookupRowPointsElsewhere() {
        cursor.answer("select name from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                + KSID4, rows(List.of(Type.VARCHAR), "al")).answer("select name from name_idx", rows(List.of(Type.VARCHAR)))
                .answer("select phone from phone_idx", rows(List.of(Type.VARCHAR), "555"));
        run("insert ignore into user(id, name, phone) values (1, 'bob', '555'), (4, 'al', '555')", Map.of());
        assertEquals(List.of("begin",
                "outside: insert ignore into name_idx(name, keyspace_id) values (:name_0, :keyspace_id_0), (:name_1, "
                        + ":keyspace_id_1) {keyspace_id_0=" + KSID4 + ", keyspace_id_1=" + KSID1 + ", name_0=al, name_1=bob}",
                "outside: select name from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID1 + ", name=bob}",
                "outside: select name from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID4 + ", name=al}",
                "session: insert ignore into phone_idx(phone, keyspace_id) values (:phone_0, :keyspace_id_0) "
                        + "{keyspace_id_0=" + KSID4 + ", phone_0=555}",
                "session: select phone from phone_idx where phone = :phone and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID4 + ", phone=555}",
                "80-: insert ignore into user (id, name, phone) values (4, 'al', '555') {}",
                "commit"), cursor.log, "name_idx holds bob for another row: that row is not inserted");
    }

    @Test
    void upsertWritesItsLookupRowsLikeInsertIgnore() {
        cursor.answer("select name from name_idx", rows(List.of(Type.VARCHAR), "bob"));
        run("insert into user(id, name) values (1, 'bob') on duplicate key update age = 3", Map.of());
        assertEquals(List.of("begin",
                "outside: insert ignore into name_idx(name, keyspace_id) values (:name_0, :keyspace_id_0) "
                        + "{keyspace_id_0=" + KSID1 + ", name_0=bob}",
                "outside: select name from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID1 + ", name=bob}",
                "-80: insert into user (id, name, phone) values (1, 'bob', null) on duplicate key update age = 3 {}",
                "commit"), cursor.log, "phone is NULL, which phone_lkp ignores");
    }

    @Test
    void deleteSelectsOwnedColumnsThenDeletesLookupRowsConsistentOnesAfterCommit() {
        cursor.answer("select id, name, phone from user", rows(List.of(Type.INT64, Type.VARCHAR, Type.VARCHAR),
                "1|bob|555"));
        run("delete from user where id = 1", Map.of());
        assertEquals(List.of("begin",
                "-80: select id, name, phone from user where id = 1 for update {}",
                "session: delete from phone_idx where phone = :phone and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID1 + ", phone=555}",
                "-80: delete from user where id = 1 {}",
                "commit",
                "outside: delete from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID1 + ", name=bob}"), cursor.log);
    }

    @Test
    void deleteRoutedByTheLookupItDeletesResolvesItsShardsOnce() {
        cursor.answer("select phone, keyspace_id from phone_idx", rows(List.of(Type.VARCHAR, Type.VARBINARY),
                "555|" + KSID4)).answer("select id, name, phone from user", rows(List.of(Type.INT64, Type.VARCHAR,
                Type.VARCHAR), "4|al|555"));
        run("delete from user where phone = '555'", Map.of());
        assertEquals(List.of("begin",
                "session: select phone, keyspace_id from phone_idx where phone = :phone {phone=555}",
                "80-: select id, name, phone from user where phone = '555' for update {}",
                "session: delete from phone_idx where phone = :phone and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID4 + ", phone=555}",
                "80-: delete from user where phone = '555' {}",
                "commit",
                "outside: delete from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID4 + ", name=al}"), cursor.log);
    }

    @Test
    void failedDeleteRollsBackAndKeepsTheConsistentLookupRow() {
        cursor.answer("select id, name, phone from user", rows(List.of(Type.INT64, Type.VARCHAR, Type.VARCHAR),
                "1|bob|555")).answer("delete from user", VtException.of(ErrorCode.ABORTED, "deadlock"));
        assertThrows(VtException.class, () -> run("delete from user where id = 1", Map.of()));
        assertEquals("rollback", cursor.log.getLast());
        assertEquals(0, cursor.log.stream().filter(l -> l.contains("name_idx")).count());
    }

    @Test
    void updateOfALookupColumnMovesItsRow() {
        cursor.answer("select id, name from user", rows(List.of(Type.INT64, Type.VARCHAR), "1|bob"));
        run("update user set name = :vtg1 where id = 1", Map.of("vtg1", RecordingCursor.text("robert")));
        assertEquals(List.of("begin",
                "-80: select id, name from user where id = 1 for update {vtg1=robert}",
                "outside: insert into name_idx(name, keyspace_id) values (:name_0, :keyspace_id_0) {keyspace_id_0="
                        + KSID1 + ", name_0=robert}",
                "-80: update user set name = :vtg1 where id = 1 {vtg1=robert}",
                "commit",
                "outside: delete from name_idx where name = :name and keyspace_id = :keyspace_id {keyspace_id="
                        + KSID1 + ", name=bob}"), cursor.log);
    }

    @Test
    void selectByALookupGoesToTheShardItNames() {
        cursor.answer("select name, keyspace_id from name_idx where name = :name {name=bob}",
                rows(List.of(Type.VARCHAR, Type.VARBINARY), "bob|" + KSID4));
        run("select id from user where name = 'bob'", Map.of());
        run("select id from user where name = 'nobody-at-all'", Map.of());
        assertEquals(List.of("outside: select name, keyspace_id from name_idx where name = :name {name=bob}",
                "80-: select id from user where name = 'bob' {}",
                "outside: select name, keyspace_id from name_idx where name = :name {name=nobody-at-all}",
                "-80: select id from user where 1 != 1 {}"), cursor.log, "no row: only the field query runs");
    }

    @Test
    void nonUniqueLookupInReachesEveryShardOfEveryValue() {
        cursor.answer("select phone, keyspace_id from phone_idx where phone = :phone {phone=1}",
                rows(List.of(Type.VARCHAR, Type.VARBINARY), "1|" + KSID1, "1|" + KSID4));
        run("select id from user where phone in ('1', '2')", Map.of());
        assertEquals(List.of("session: select phone, keyspace_id from phone_idx where phone = :phone {phone=1}",
                "session: select phone, keyspace_id from phone_idx where phone = :phone {phone=2}",
                "-80: select id from user where phone in ::__vals {__vals=[1]}",
                "80-: select id from user where phone in ::__vals {__vals=[1]}"), cursor.log);
    }
}
