package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.FakeVindexCursor.result;
import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lookup family's queries and their interpretation, against a recording fake cursor. */
class LookupVindexTest {
    private static final List<Type> ID_KSID = List.of(Type.INT64, Type.VARBINARY);
    private static final List<Type> NAME_KSID = List.of(Type.VARCHAR, Type.VARBINARY);

    private final VindexRegistry registry = VindexRegistry.builtin();
    private final FakeVindexCursor cursor = new FakeVindexCursor();

    private LookupVindex vindex(String type, String... params) {
        Map<String, String> map = new java.util.HashMap<>(Map.of("table", "t_idx", "from", "id", "to", "ksid"));
        for (String p : params) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return assertInstanceOf(LookupVindex.class, registry.create(type, "v", map));
    }

    private static Destination ids(String... hex) {
        return new Destination.KeyspaceIds(java.util.Arrays.stream(hex).map(TestValues::bytes).toList());
    }

    private static Destination id(String hex) {
        return new Destination.KeyspaceId(bytes(hex));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lookup, PlainLookupVindex, false, 20", "lookup_unique, PlainLookupVindex, true, 10",
        "lookup_hash, PlainLookupVindex, false, 20", "lookup_hash_unique, PlainLookupVindex, true, 10",
        "consistent_lookup, ConsistentLookupVindex, false, 20",
        "consistent_lookup_unique, ConsistentLookupVindex, true, 10"})
    void buildsEveryLookupType(String type, String className, boolean isUnique, int cost) {
        LookupVindex v = vindex(type, "from=a, b");
        assertEquals(className, v.getClass().getSimpleName());
        assertEquals(isUnique, v.isUnique());
        assertEquals(cost, v.cost());
        assertTrue(v.needsVCursor());
        assertEquals(List.of("a", "b"), v.fromColumns());
        assertEquals("t_idx", v.table());
        assertEquals(isUnique, registry.type(type).orElseThrow().isUnique());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "table= | INVALID_ARGUMENT | params table, from and to are required",
        "from=' , ' | INVALID_ARGUMENT | params table, from and to are required",
        "to= | INVALID_ARGUMENT | params table, from and to are required",
        "write_only=yes | INVALID_ARGUMENT | write_only value must be 'true' or 'false': 'yes'",
        "multi_shard_autocommit=true | UNIMPLEMENTED | multi_shard_autocommit is not supported"})
    void refusesBadParams(String param, ErrorCode code, String message) {
        VtException e = assertThrows(VtException.class, () -> vindex("lookup", param.replace("'", "")));
        assertEquals(code, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void mapsIntegralValuesInOneQueryAndMatchesRowsBack() {
        cursor.answer(result(ID_KSID, "1|0x01", "1|0x02", "3|0xc0"));
        List<Destination> got = vindex("lookup").map(cursor, List.of(value("INT64:1"), value("INT64:2"), Value.NULL,
                value("INT64:1"), value("INT64:3")));
        assertEquals(List.of("session select id, ksid from t_idx where id in (:id_0, :id_1, :id_2) {id_0=1, id_1=2, id_2=3}"),
                cursor.calls);
        assertEquals(List.of(ids("01", "02"), Destination.NONE, Destination.NONE, ids("01", "02"), ids("c0")), got);
    }

    @Test
    void mapsTextValuesOneQueryEachSinceTheCollationMayMatchOtherText() {
        cursor.answer(result(NAME_KSID, "Alice|0x40")).answer(result(NAME_KSID));
        List<Destination> got = vindex("lookup_unique", "from=name").map(cursor,
                List.of(value("VARCHAR:alice"), value("VARCHAR:bob")));
        assertEquals(List.of("session select name, ksid from t_idx where name = :name {name=alice}",
                "session select name, ksid from t_idx where name = :name {name=bob}"), cursor.calls);
        assertEquals(List.of(id("40"), Destination.NONE), got);
    }

    @Test
    void batchLookupBatchesTextToo() {
        cursor.answer(result(NAME_KSID, "a|0x40"));
        List<Destination> got = vindex("lookup_unique", "from=name", "batch_lookup=true").map(cursor,
                List.of(value("VARCHAR:a")));
        assertEquals(List.of("session select name, ksid from t_idx where name in (:name_0) {name_0=a}"), cursor.calls);
        assertEquals(List.of(id("40")), got);
    }

    @Test
    void uniqueLookupWithSeveralRowsIsAnError() {
        cursor.answer(result(ID_KSID, "7|0x01", "7|0x02"));
        VtException e = assertThrows(VtException.class,
                () -> vindex("lookup_unique").map(cursor, List.of(value("INT64:7"))));
        assertEquals("Lookup.Map: unexpected multiple results from vindex t_idx: INT64(7)", e.getMessage());
        cursor.answer(result(ID_KSID, "7|0x01", "7|0x02"));
        e = assertThrows(VtException.class,
                () -> vindex("consistent_lookup_unique").map(cursor, List.of(value("INT64:7"))));
        assertTrue(e.getMessage().startsWith("ConsistentLookupUnique.Map: "), e.getMessage());
    }

    @Test
    void writeOnlyMapsToEveryShardAndVerifiesEverythingWithoutQuerying() {
        LookupVindex v = vindex("lookup_unique", "write_only=true");
        assertEquals(List.of(Destination.ALL_SHARDS, Destination.ALL_SHARDS),
                v.map(cursor, List.of(value("INT64:1"), value("INT64:2"))));
        assertEquals(List.of(true), v.verify(cursor, List.of(value("INT64:1")), List.of(bytes("01"))));
        assertEquals(List.of(), cursor.calls);
        assertTrue(v.isWriteOnly());
    }

    @Test
    void ignoreNullsMapsALoneNullToEveryShard() {
        assertEquals(List.of(Destination.ALL_SHARDS), vindex("lookup", "ignore_nulls=true").map(cursor, List.of(Value.NULL)));
        assertEquals(List.of(Destination.NONE), vindex("lookup").map(cursor, List.of(Value.NULL)));
        assertEquals(List.of(), cursor.calls);
    }

    @Test
    void verifiesEachPairWithOneQuery() {
        cursor.answer(result(ID_KSID, "1")).answer(result(ID_KSID));
        List<Boolean> got = vindex("lookup").verify(cursor, List.of(value("INT64:1"), value("INT64:2")),
                List.of(bytes("01"), bytes("02")));
        assertEquals(List.of(true, false), got);
        assertEquals(List.of("session select id from t_idx where id = :id and ksid = :ksid {id=1, ksid=0x01}",
                "session select id from t_idx where id = :id and ksid = :ksid {id=2, ksid=0x02}"), cursor.calls);
    }

    @Test
    void createsRowsSortedInOneInsertAndRefusesNulls() {
        LookupVindex v = vindex("lookup", "from=a,b");
        v.create(cursor, List.of(List.of(value("VARCHAR:y"), value("INT64:1")), List.of(value("VARCHAR:x"),
                value("INT64:2"))), List.of(bytes("01"), bytes("02")), false);
        assertEquals(List.of("session insert into t_idx(a, b, ksid) values (:a_0, :b_0, :ksid_0), (:a_1, :b_1, :ksid_1) "
                + "{a_0=x, a_1=y, b_0=2, b_1=1, ksid_0=0x02, ksid_1=0x01}"), cursor.calls);
        VtException e = assertThrows(VtException.class, () -> v.create(cursor,
                List.of(List.of(value("VARCHAR:x"), Value.NULL)), List.of(bytes("01")), false));
        assertEquals("lookup.Create: input has null values: row: 0, col: 1, cols: a,b", e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void ignoreNullsSkipsRowsWithANullAndIgnoreModeInsertsIgnore() {
        LookupVindex v = vindex("lookup", "ignore_nulls=true");
        v.create(cursor, List.of(List.of(Value.NULL)), List.of(bytes("01")), false);
        assertEquals(List.of(), cursor.calls, "nothing left to insert");
        v.create(cursor, List.of(List.of(Value.NULL), List.of(value("INT64:5"))), List.of(bytes("01"), bytes("05")), true);
        assertEquals(List.of("session insert ignore into t_idx(id, ksid) values (:id_0, :ksid_0) {id_0=5, ksid_0=0x05}"),
                cursor.calls);
    }

    @Test
    void autocommitWritesOutsideTheTransactionUpsertsWhenNonUniqueAndNeverDeletes() {
        LookupVindex v = vindex("lookup", "autocommit=true");
        v.create(cursor, List.of(List.of(value("INT64:5"))), List.of(bytes("05")), false);
        v.delete(cursor, List.of(List.of(value("INT64:5"))), bytes("05"));
        assertEquals(List.of("outside insert into t_idx(id, ksid) values (:id_0, :ksid_0) on duplicate key update "
                + "id=values(id), ksid=values(ksid) {id_0=5, ksid_0=0x05}"), cursor.calls);
    }

    @Test
    void deletesOneRowAtATimeAndUpdateIsDeletePlusCreate() {
        LookupVindex v = vindex("lookup_unique");
        v.delete(cursor, List.of(List.of(value("INT64:1")), List.of(value("INT64:2"))), bytes("0a"));
        v.update(cursor, List.of(value("INT64:3")), bytes("0b"), List.of(value("INT64:4")));
        assertEquals(List.of("session delete from t_idx where id = :id and ksid = :ksid {id=1, ksid=0x0a}",
                "session delete from t_idx where id = :id and ksid = :ksid {id=2, ksid=0x0a}",
                "session delete from t_idx where id = :id and ksid = :ksid {id=3, ksid=0x0b}",
                "session insert into t_idx(id, ksid) values (:id_0, :ksid_0) {id_0=4, ksid_0=0x0b}"), cursor.calls);
    }

    /** lookup_hash stores the hash vindex's value (hash(1) = 166b40b44aba4bd6) and hashes what it reads. */
    @Test
    void lookupHashStoresTheUnhashedValue() {
        LookupVindex v = vindex("lookup_hash_unique");
        v.create(cursor, List.of(List.of(value("INT64:10"))), List.of(bytes("166b40b44aba4bd6")), false);
        assertEquals(List.of("session insert into t_idx(id, ksid) values (:id_0, :ksid_0) {id_0=10, ksid_0=1}"),
                cursor.calls);
        cursor.answer(result(List.of(Type.INT64, Type.UINT64), "10|2", "11|oops"));
        assertEquals(List.of(id("06e7ea22ce92708f"), Destination.NONE),
                v.map(cursor, List.of(value("INT64:10"), value("INT64:11"))));
        VtException e = assertThrows(VtException.class,
                () -> v.create(cursor, List.of(List.of(value("INT64:1"))), List.of(bytes("0102")), false));
        assertEquals("invalid keyspace id: 0102", e.getMessage());
    }
}
