package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.vtgate.vindex.TableSchema.TableType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VSchemaLoaderTest {
    /** The reference's example keyspace "ks", with unicode_loose_md5 declared as its note asks. */
    private static final String EXAMPLE_SNAKE = """
            {
              "sharded": true,
              "vindexes": {
                "hash": {"type": "hash"},
                "unicode_loose_md5": {"type": "unicode_loose_md5"},
                "name_lkp": {"type": "consistent_lookup", "owner": "user",
                             "params": {"table": "name_idx", "from": "name", "to": "keyspace_id"}}
              },
              "tables": {
                "user": {"column_vindexes": [{"column": "id", "name": "hash"},
                                             {"column": "name", "name": "name_lkp"}],
                         "auto_increment": {"column": "id", "sequence": "uks.user_seq"}},
                "name_idx": {"column_vindexes": [{"column": "name", "name": "unicode_loose_md5"}]},
                "country": {"type": "reference"}
              }
            }""";
    private static final String EXAMPLE_CAMEL = EXAMPLE_SNAKE
            .replace("column_vindexes", "columnVindexes").replace("auto_increment", "autoIncrement");
    /** The same shape with only vindex types Tessel can run. */
    private static final String FUNCTIONAL = EXAMPLE_SNAKE
            .replace("\"unicode_loose_md5\": {\"type\": \"unicode_loose_md5\"}",
                    "\"name_md5\": {\"type\": \"binary_md5\"}")
            .replace("\"name\": \"unicode_loose_md5\"", "\"name\": \"name_md5\"")
            .replace("\"type\": \"consistent_lookup\"", "\"type\": \"xxhash\"");

    private final VSchemaLoader loader = new VSchemaLoader(VindexRegistry.builtin());

    @Test
    void exampleParsesTheSameInBothCasings() {
        Vschema.Keyspace snake = VSchemaLoader.parseJson(EXAMPLE_SNAKE);
        assertEquals(snake, VSchemaLoader.parseJson(EXAMPLE_CAMEL));
        assertEquals("uks.user_seq", snake.getTablesOrThrow("user").getAutoIncrement().getSequence());
        assertEquals("name_idx", snake.getVindexesOrThrow("name_lkp").getParamsOrThrow("table"));
        loader.validate("ks", snake);
    }

    @Test
    void exampleBuildsWithTheConsistentLookupOwnedByUser() {
        KeyspaceSchema ks = loader.load("ks", EXAMPLE_CAMEL);
        TableSchema user = ks.table("user").orElseThrow();
        ColumnVindex name = user.columnVindexes().get(1);
        LookupVindex lookup = assertInstanceOf(ConsistentLookupVindex.class, name.vindex());
        assertEquals(Optional.of(new LookupVindex.Owner("ks", "user", List.of("name"))), lookup.owner());
        assertEquals(List.of(name), user.ownedLookups());
        assertEquals(lookup, ks.vindex("name_lkp").orElseThrow(), "tables share the vindex with its owner set");
        assertEquals(List.of(), ks.table("name_idx").orElseThrow().ownedLookups());
        assertEquals(ks, loader.load("ks", EXAMPLE_SNAKE));
    }

    @Test
    void lookupWhoseOwnerDoesNotListItIsUnownedAndOwnerColumnsMustMatchFrom() {
        KeyspaceSchema ks = loader.load("ks", EXAMPLE_SNAKE.replace("\"owner\": \"user\"", "\"owner\": \"country\""));
        assertEquals(Optional.empty(), ((LookupVindex) ks.vindex("name_lkp").orElseThrow()).owner());
        assertEquals(List.of(), ks.table("user").orElseThrow().ownedLookups());
        VtException e = assertThrows(VtException.class, () -> loader.load("ks", EXAMPLE_SNAKE
                .replace("{\"column\": \"name\", \"name\": \"name_lkp\"}",
                        "{\"columns\": [\"name\", \"id\"], \"name\": \"name_lkp\"}")));
        assertEquals("invalid vschema of keyspace 'ks': table 'user': owned lookup vindex 'name_lkp' has from columns "
                + "[name] but is given columns [name, id]", e.getMessage());
    }

    @Test
    void buildsASnapshot() {
        KeyspaceSchema ks = loader.load("ks", FUNCTIONAL);
        assertEquals("ks", ks.name());
        assertTrue(ks.isSharded());
        assertEquals(List.of("hash", "name_lkp", "name_md5"), ks.vindexes().keySet().stream().sorted().toList());
        TableSchema user = ks.table("user").orElseThrow();
        assertEquals(TableType.NORMAL, user.type());
        ColumnVindex primary = user.primaryVindex().orElseThrow();
        assertEquals(List.of("id"), primary.columns());
        assertEquals(new HashVindex("hash"), primary.vindex());
        assertEquals(List.of("hash", "name_lkp"), user.columnVindexes().stream().map(ColumnVindex::name).toList());
        assertTrue(user.columnVindexes().get(1).vindex() instanceof XxHashVindex);
        assertEquals(TableType.REFERENCE, ks.table("country").orElseThrow().type());
        assertTrue(ks.table("country").orElseThrow().primaryVindex().isEmpty());
        assertTrue(ks.table("nope").isEmpty());
        assertEquals(ks, loader.load("ks", FUNCTIONAL.replace("column_vindexes", "columnVindexes")));
    }

    @Test
    void buildsTheUnshardedSequenceKeyspace() {
        KeyspaceSchema uks = loader.load("uks", """
                {"sharded": false, "tables": {"user_seq": {"type": "sequence"}}}""");
        assertEquals(false, uks.isSharded());
        assertEquals(TableType.SEQUENCE, uks.table("user_seq").orElseThrow().type());
    }

    @Test
    void columnsFormWithOneColumnIsASingleColumnVindex() {
        KeyspaceSchema ks = loader.load("ks", """
                {"sharded": true, "vindexes": {"xx": {"type": "xxhash"}},
                 "tables": {"t": {"columnVindexes": [{"columns": ["c"], "name": "xx"}]}}}""");
        assertEquals(List.of("c"), ks.table("t").orElseThrow().primaryVindex().orElseThrow().columns());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown type | {"vindexes": {"v": {"type": "hashh"}}} \
            | vindex 'v' has unknown vindex type 'hashh'; known types: [binary,
        no type | {"vindexes": {"v": {}}} | vindex 'v' has no type
        undefined vindex | {"sharded": true, "tables": {"t": {"column_vindexes": [{"column": "c", "name": "h"}]}}} \
            | table 't': column vindex names vindex 'h', which is not defined in this keyspace's vindexes
        non-unique primary | {"sharded": true, "vindexes": {"l": {"type": "lookup_hash"}}, \
            "tables": {"t": {"column_vindexes": [{"column": "c", "name": "l"}]}}} \
            | table 't': primary vindex 'l' (type lookup_hash) is not unique
        no primary vindex | {"sharded": true, "tables": {"t": {}}} | table 't' in a sharded keyspace has no column vindexes
        bad table type | {"tables": {"t": {"type": "view"}}} | table 't' has unknown type 'view'
        column and columns | {"vindexes": {"h": {"type": "hash"}}, \
            "tables": {"t": {"column_vindexes": [{"column": "a", "columns": ["b"], "name": "h"}]}}} \
            | table 't': vindex 'h' sets both column and columns
        two columns, one-column vindex | {"vindexes": {"h": {"type": "hash"}}, \
            "tables": {"t": {"column_vindexes": [{"columns": ["a", "b"], "name": "h"}]}}} \
            | table 't': vindex 'h' covers one column but is given 2 columns [a, b]
        """)
    void rejectsInvalidVSchemas(String title, String json, String message) {
        VtException e = assertThrows(VtException.class, () -> loader.load("ks", json));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("invalid vschema of keyspace 'ks': " + message), e.getMessage());
    }

    @Test
    void pinnedAndReferenceTablesNeedNoVindex() {
        KeyspaceSchema ks = loader.load("ks", """
                {"sharded": true, "tables": {"p": {"pinned": "80"}, "r": {"type": "reference"}}}""");
        assertEquals("80", ks.table("p").orElseThrow().pinned());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"not json | {", "unknown field | {\"shardedd\": true}",
        "wrong type | {\"sharded\": \"maybe\"}"})
    void rejectsBadJson(String title, String json) {
        VtException e = assertThrows(VtException.class, () -> VSchemaLoader.parseJson(json));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("invalid vschema JSON: "), e.getMessage());
    }
}
