package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.bytes;
import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionJsonVindexTest {
    @TempDir
    Path dir;
    private Path regionMap;

    @BeforeEach
    void writeMap() throws IOException {
        regionMap = dir.resolve("regions.json");
        Files.writeString(regionMap, """
                {"US": 1, "CA": 1, "DE": 2, "JP": 258, "BIG": 18446744073709551615}""");
    }

    private RegionJsonVindex vindex(String regionBytes) {
        return (RegionJsonVindex) VindexRegistry.builtin().create("region_json", "rj",
                Map.of("region_map", regionMap.toString(), "region_bytes", regionBytes));
    }

    private static Destination ksid(String hex) {
        return new Destination.KeyspaceId(bytes(hex));
    }

    private static List<Value> row(String id, String region) {
        return List.of(value(id), value(region));
    }

    /** Region prefix (uint16 big-endian, low byte for region_bytes 1) then hash(id); hash(1) = 166b40b44aba4bd6. */
    @Test
    void mapsRegionPrefixAndHashedId() {
        assertEquals(List.of(ksid("0001166b40b44aba4bd6"), ksid("000206e7ea22ce92708f"),
                        ksid("0102166b40b44aba4bd6"), ksid("ffff166b40b44aba4bd6")),
                vindex("2").map(List.of(row("INT64:1", "VARCHAR:US"), row("UINT64:2", "VARCHAR:DE"),
                        row("VARCHAR:1", "VARCHAR:JP"), row("INT64:1", "VARCHAR:BIG"))));
        assertEquals(List.of(ksid("01166b40b44aba4bd6"), ksid("02166b40b44aba4bd6")),
                vindex("1").map(List.of(row("INT64:1", "VARCHAR:CA"), row("INT64:1", "VARCHAR:JP"))));
    }

    @Test
    void unmappableRowsGoNowhere() {
        RegionJsonVindex rj = vindex("2");
        assertEquals(List.of(Destination.NONE, Destination.NONE, Destination.NONE, Destination.NONE,
                        Destination.NONE),
                rj.map(List.of(row("INT64:1", "VARCHAR:FR"), row("INT64:-1", "VARCHAR:US"),
                        row("VARCHAR:abc", "VARCHAR:US"), List.of(value("INT64:1")),
                        List.of(value("INT64:1"), value("VARCHAR:US"), value("INT64:3")))));
        assertEquals(List.of(Destination.NONE), rj.map(List.of(row("INT64:1", "VARCHAR:us"))), "case-sensitive");
    }

    @Test
    void verifiesByMapping() {
        RegionJsonVindex rj = vindex("2");
        byte[] us1 = bytes("0001166b40b44aba4bd6");
        assertEquals(List.of(true, true, false, false), rj.verify(
                List.of(row("INT64:1", "VARCHAR:US"), row("INT64:1", "VARCHAR:CA"), row("INT64:1", "VARCHAR:DE"),
                        row("INT64:1", "VARCHAR:FR")),
                List.of(us1, us1, us1, us1)));
        VtException e = assertThrows(VtException.class,
                () -> rj.verify(List.of(row("INT64:1", "VARCHAR:US")), List.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void describesItself() {
        RegionJsonVindex rj = vindex("1");
        assertEquals("rj", rj.name());
        assertEquals(1, rj.cost());
        assertTrue(rj.isUnique() && !rj.needsVCursor() && !rj.isPartial());
        assertEquals(true, VindexRegistry.builtin().type("region_json").orElseThrow().isUnique());
    }

    @Test
    void loadsAsATwoColumnPrimaryVindex() {
        String json = """
                {"sharded": true,
                 "vindexes": {"rj": {"type": "region_json",
                                     "params": {"region_map": "%s", "region_bytes": "1"}}},
                 "tables": {"customer": {"column_vindexes": [{"columns": ["id", "country"], "name": "rj"}]}}}"""
                .formatted(regionMap.toString().replace("\\", "\\\\"));
        KeyspaceSchema ks = new VSchemaLoader(VindexRegistry.builtin()).load("geo", json);
        ColumnVindex primary = ks.table("customer").orElseThrow().primaryVindex().orElseThrow();
        assertEquals(List.of("id", "country"), primary.columns());
        assertTrue(primary.vindex() instanceof MultiColumnVindex);
    }

    @Test
    void rejectsBadParams() throws IOException {
        assertEquals("region_bytes must be 1 or 2: 3", createError("3").getMessage());
        assertEquals("strconv.Atoi: parsing \"two\": invalid syntax", createError("two").getMessage());
        Files.writeString(regionMap, "{\"US\": -1}");
        assertTrue(createError("1").getMessage().contains("region 'US' is -1, not an unsigned 64-bit integer"));
        Files.writeString(regionMap, "{\"US\": 1.5}");
        assertTrue(createError("1").getMessage().contains("not an unsigned 64-bit integer"));
        Files.writeString(regionMap, "[1]");
        assertTrue(createError("1").getMessage().contains("is not a JSON object"));
        Files.delete(regionMap);
        VtException e = createError("1");
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("region_json: cannot read region_map '" + regionMap + "'"),
                e.getMessage());
    }

    private VtException createError(String regionBytes) {
        return assertThrows(VtException.class, () -> vindex(regionBytes));
    }
}
