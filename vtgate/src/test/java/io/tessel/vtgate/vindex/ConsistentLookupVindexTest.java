package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.FakeVindexCursor.result;
import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** consistent_lookup's "pre" inserts, "post" deletes and duplicate handling, against a recording fake cursor. */
class ConsistentLookupVindexTest {
    private static final String INSERT = "outside insert into name_idx(name, keyspace_id) values (:name_0, :keyspace_id_0) "
            + "{keyspace_id_0=0x01, name_0=bob}";
    private static final String LOCK_LOOKUP = "outside select keyspace_id from name_idx where name = :name for update "
            + "{keyspace_id=0x01, name=bob}";
    private static final String LOCK_OWNER = " select nick from user where nick = :name lock in share mode "
            + "{keyspace_id=0x01, name=bob}";

    private final FakeVindexCursor cursor = new FakeVindexCursor();
    private final LookupVindex vindex = ((LookupVindex) VindexRegistry.builtin().create("consistent_lookup_unique",
            "name_lkp", Map.of("table", "name_idx", "from", "name", "to", "keyspace_id")))
            .withOwner(new LookupVindex.Owner("ks", "user", List.of("nick")));

    private static VtException duplicateEntry() {
        return VtException.mysql(ErrorCode.ALREADY_EXISTS, 1062, "23000", "Duplicate entry 'bob' for key 'PRIMARY'", null);
    }

    private void create() {
        vindex.create(cursor, List.of(List.of(value("VARCHAR:bob"))), List.of(bytes("01")), false);
    }

    @Test
    void insertsOutsideTheTransactionAndDeletesAfterTheStatement() {
        create();
        vindex.delete(cursor, List.of(List.of(value("VARCHAR:bob"))), bytes("01"));
        assertEquals(List.of(INSERT, "after delete from name_idx where name = :name and keyspace_id = :keyspace_id "
                + "{keyspace_id=0x01, name=bob}"), cursor.calls);
    }

    @Test
    void mapsAndVerifiesOutsideTheTransaction() {
        cursor.answer(result(List.of(Type.VARCHAR, Type.VARBINARY), "bob|0x01")).answer(result(List.of(Type.VARCHAR)));
        assertEquals(List.of(new Destination.KeyspaceId(bytes("01"))), vindex.map(cursor, List.of(value("VARCHAR:bob"))));
        assertEquals(List.of(false), vindex.verify(cursor, List.of(value("VARCHAR:bob")), List.of(bytes("01"))));
        assertEquals(List.of("outside select name, keyspace_id from name_idx where name = :name {name=bob}",
                "outside select name from name_idx where name = :name and keyspace_id = :keyspace_id "
                        + "{keyspace_id=0x01, name=bob}"), cursor.calls);
    }

    @Test
    void duplicateWhoseOwnerRowExistsFailsNamingTheValue() {
        cursor.answer(duplicateEntry()).answer(result(List.of(Type.VARBINARY), "0x02"))
                .answer(result(List.of(Type.INT64), "7"));
        VtException e = assertThrows(VtException.class, this::create);
        assertEquals(1062, e.errno());
        assertEquals("23000", e.sqlState());
        assertEquals("lookup.Create: Duplicate entry 'bob' for key 'name_idx(name)': consistent lookup vindex "
                + "name_lkp maps it to an existing row of user", e.getMessage());
        assertEquals(List.of(INSERT, LOCK_LOOKUP, "ksid ks:02" + LOCK_OWNER), cursor.calls);
    }

    @Test
    void danglingDuplicateIsTakenOverGuardedByItsOldKeyspaceId() {
        cursor.answer(duplicateEntry()).answer(result(List.of(Type.VARBINARY), "0x02")).answer(result(List.of(Type.INT64)))
                .answer(QueryResult.newBuilder().setRowsAffected(1).build());
        create();
        assertEquals(List.of(INSERT, LOCK_LOOKUP, "ksid ks:02" + LOCK_OWNER,
                "outside update name_idx set keyspace_id = :keyspace_id where name = :name and keyspace_id = :__existing "
                        + "{__existing=0x02, keyspace_id=0x01, name=bob}"), cursor.calls);
    }

    @Test
    void takeOverThatLosesARaceIsADuplicate() {
        cursor.answer(duplicateEntry()).answer(result(List.of(Type.VARBINARY), "0x02")).answer(result(List.of(Type.INT64)))
                .answer(QueryResult.newBuilder().setRowsAffected(0).build());
        assertEquals(1062, assertThrows(VtException.class, this::create).errno());
    }

    @Test
    void danglingDuplicatePointingHereIsKept() {
        cursor.answer(duplicateEntry()).answer(result(List.of(Type.VARBINARY), "0x01")).answer(result(List.of(Type.INT64)));
        create();
        assertEquals(List.of(INSERT, LOCK_LOOKUP, "ksid ks:01" + LOCK_OWNER), cursor.calls);
    }

    @Test
    void duplicateThatVanishedIsInsertedAlone() {
        cursor.answer(duplicateEntry()).answer(result(List.of(Type.VARBINARY)));
        create();
        assertEquals(List.of(INSERT, LOCK_LOOKUP, "outside insert into name_idx(name, keyspace_id) values(:name, "
                + ":keyspace_id) {keyspace_id=0x01, name=bob}"), cursor.calls);
    }

    @Test
    void otherErrorsAreNotResolved() {
        cursor.answer(VtException.mysql(ErrorCode.UNKNOWN, 1146, "42S02", "Table 'name_idx' doesn't exist", null));
        VtException e = assertThrows(VtException.class, this::create);
        assertEquals(1146, e.errno());
        assertEquals("lookup.Create: Table 'name_idx' doesn't exist", e.getMessage());
        assertEquals(List.of(INSERT), cursor.calls);
    }

    @Test
    void updateCreatesTheNewRowNowAndDeletesTheOldAfterUnlessUnchanged() {
        vindex.update(cursor, List.of(value("VARCHAR:bob")), bytes("01"), List.of(value("VARCHAR:bob")));
        assertEquals(List.of(), cursor.calls);
        vindex.update(cursor, List.of(value("VARCHAR:al")), bytes("01"), List.of(value("VARCHAR:bob")));
        assertEquals(List.of("after delete from name_idx where name = :name and keyspace_id = :keyspace_id "
                + "{keyspace_id=0x01, name=al}", INSERT), cursor.calls);
    }

    @Test
    void ownerMustGiveOneColumnPerFromColumn() {
        VtException e = assertThrows(VtException.class,
                () -> vindex.withOwner(new LookupVindex.Owner("ks", "user", List.of("a", "b"))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
}
