package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VSchema validation, table-driven with Vitess-style JSON in snake_case and camelCase. */
class VSchemaValidatorTest {
    /** The reference example: a sharded keyspace with a hash primary vindex, an owned lookup and a reference table. */
    static final String USER_KEYSPACE = """
            {"sharded": true,
             "vindexes": {
               "hash": {"type": "hash"},
               "unicode_loose_md5": {"type": "unicode_loose_md5"},
               "name_lkp": {"type": "consistent_lookup", "owner": "user",
                            "params": {"table": "name_idx", "from": "name", "to": "keyspace_id"}}},
             "tables": {
               "user": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "name", "name": "name_lkp"}],
                        "auto_increment": {"column": "id", "sequence": "uks.user_seq"}},
               "name_idx": {"column_vindexes": [{"column": "name", "name": "unicode_loose_md5"}]},
               "country": {"type": "reference"}}}
            """;

    static Stream<Arguments> validVSchemas() {
        return Stream.of(
                Arguments.of("reference example, snake_case", USER_KEYSPACE),
                Arguments.of("camelCase", """
                        {"sharded": true, "vindexes": {"xx": {"type": "xxhash"}},
                         "tables": {"t": {"columnVindexes": [{"column": "id", "name": "xx"}],
                                          "autoIncrement": {"column": "id", "sequence": "uks.t_seq"}}}}"""),
                Arguments.of("unsharded with a sequence", """
                        {"sharded": false, "tables": {"user_seq": {"type": "sequence"}}}"""),
                Arguments.of("empty", "{}"),
                Arguments.of("unsharded: vindexes allowed, tables need none", """
                        {"vindexes": {"h": {"type": "hash"}}, "tables": {"t": {}}}"""),
                Arguments.of("sharded reference and pinned tables need no vindex", """
                        {"sharded": true, "tables": {"r": {"type": "reference", "source": "uks.r"},
                                                     "p": {"pinned": "80"}}}"""),
                Arguments.of("pinned sequence in a sharded keyspace", """
                        {"sharded": true, "tables": {"s": {"type": "sequence", "pinned": "00"}}}"""),
                Arguments.of("multi-column form", """
                        {"sharded": true, "vindexes": {"mc": {"type": "multicol", "params": {"column_count": "2"}}},
                         "tables": {"t": {"column_vindexes": [{"columns": ["a", "b"], "name": "mc"}]}}}"""),
                Arguments.of("unique lookup as primary, owned by another table", """
                        {"sharded": true, "vindexes": {"l": {"type": "lookup_unique", "owner": "other"}},
                         "tables": {"t": {"column_vindexes": [{"column": "c", "name": "l"}]}}}"""),
                Arguments.of("non-unique vindex after the primary", """
                        {"sharded": true, "vindexes": {"h": {"type": "hash"}, "l": {"type": "lookup_hash"}},
                         "tables": {"t": {"column_vindexes": [{"column": "id", "name": "h"},
                                                              {"column": "c", "name": "l"}]}}}"""));
    }

    static Stream<Arguments> invalidVSchemas() {
        return Stream.of(
                Arguments.of("unknown vindex type", """
                        {"sharded": true, "vindexes": {"h": {"type": "hsh"}}}""", "vindex 'h' has unknown vindex type 'hsh'"),
                Arguments.of("unknown vindex type in an unsharded keyspace", """
                        {"vindexes": {"h": {"type": "md5"}}}""", "unknown vindex type 'md5'"),
                Arguments.of("vindex without a type", """
                        {"vindexes": {"h": {}}}""", "vindex 'h' has no type"),
                Arguments.of("column vindex naming an undefined vindex", """
                        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                         "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hsh"}]}}}""",
                        "names vindex 'hsh', which is not defined"),
                Arguments.of("undefined vindex, camelCase, unsharded", """
                        {"tables": {"t": {"columnVindexes": [{"column": "id", "name": "nope"}]}}}""",
                        "names vindex 'nope'"),
                Arguments.of("non-unique primary vindex", """
                        {"sharded": true, "vindexes": {"l": {"type": "consistent_lookup", "owner": "x"}},
                         "tables": {"t": {"column_vindexes": [{"column": "c", "name": "l"}]}}}""",
                        "primary vindex 'l' (type consistent_lookup) is not unique"),
                Arguments.of("primary vindex owned by its table", """
                        {"sharded": true, "vindexes": {"l": {"type": "consistent_lookup_unique", "owner": "t"}},
                         "tables": {"t": {"columnVindexes": [{"column": "c", "name": "l"}]}}}""",
                        "primary vindex 'l' cannot be owned"),
                Arguments.of("sharded table without column vindexes", """
                        {"sharded": true, "tables": {"t": {}}}""", "table 't' in a sharded keyspace has no column vindexes"),
                Arguments.of("unknown table type", """
                        {"tables": {"v": {"type": "view"}}}""", "table 'v' has unknown type 'view'"),
                Arguments.of("unpinned sequence in a sharded keyspace", """
                        {"sharded": true, "tables": {"s": {"type": "sequence"}}}""", "sequence table 's'"),
                Arguments.of("pinned keyspace id not hex", """
                        {"sharded": true, "tables": {"p": {"pinned": "xyz"}}}""", "'xyz' is not hex"),
                Arguments.of("column and columns", """
                        {"sharded": true, "vindexes": {"h": {"type": "hash"}},
                         "tables": {"t": {"column_vindexes": [{"column": "a", "columns": ["a"], "name": "h"}]}}}""",
                        "sets both column and columns"),
                Arguments.of("no column", """
                        {"sharded": true, "vindexes": {"h": {"type": "hash"}},
                         "tables": {"t": {"column_vindexes": [{"name": "h"}]}}}""", "needs a column or columns"),
                Arguments.of("duplicate column", """
                        {"tables": {"t": {"columns": [{"name": "id"}, {"name": "ID"}]}}}""", "duplicate column name 'ID'"),
                Arguments.of("bad reference source", """
                        {"tables": {"r": {"type": "reference", "source": "a.b.c"}}}""", "invalid source 'a.b.c'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVSchemas")
    void acceptsValidVSchemas(String name, String json) {
        assertDoesNotThrow(() -> new VSchemaValidator(VindexRegistry.builtin()).validate(null, parse(json)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidVSchemas")
    void refusesInvalidVSchemasWithInvalidArgument(String name, String json, String message) throws Exception {
        Vschema.Keyspace vschema = parse(json);
        VtException e = assertThrows(VtException.class, () -> new VSchemaValidator(VindexRegistry.builtin()).validate(null, vschema));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Vitess reads VSchema JSON with protojson, which takes both snake_case and camelCase names. */
    private static Vschema.Keyspace parse(String json) throws Exception {
        Vschema.Keyspace.Builder vschema = Vschema.Keyspace.newBuilder();
        JsonFormat.parser().merge(json, vschema);
        return vschema.build();
    }
}
