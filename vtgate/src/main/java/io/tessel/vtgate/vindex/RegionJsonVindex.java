package io.tessel.vtgate.vindex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Vitess's {@code region_json} vindex over two columns (id, region): the keyspace id is the region number
 * (looked up by the region column's text in the JSON object of file {@code region_map}, truncated to 16 bits,
 * big-endian, of which {@code region_bytes} 1 keeps the low byte) followed by the 8-byte {@code hash} of the
 * id. A row of another width, an id that is not a uint64 or a region missing from the map maps to
 * {@link Destination#NONE}. Unique, not partial, cost 1; the map is read once, when the vindex is built.
 */
public record RegionJsonVindex(String name, Map<String, Long> regionMap, int regionBytes)
        implements MultiColumnVindex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    public RegionJsonVindex {
        regionMap = Map.copyOf(regionMap);
        if (regionBytes != 1 && regionBytes != 2) {
            throw invalid("region_bytes must be 1 or 2: " + regionBytes);
        }
    }

    /**
     * Builds the vindex from its VSchema params {@code region_map} and {@code region_bytes}, in Vitess's order.
     *
     * @throws VtException INVALID_ARGUMENT if the file cannot be read or parsed or region_bytes is not 1 or 2
     */
    public static RegionJsonVindex create(String name, Map<String, String> params) {
        String path = params.getOrDefault("region_map", "");
        Map<String, Long> regions = readRegionMap(path);
        String bytes = params.getOrDefault("region_bytes", "");
        int regionBytes;
        try {
            regionBytes = Integer.parseInt(bytes);
        } catch (NumberFormatException e) {
            throw invalid("strconv.Atoi: parsing \"" + bytes + "\": invalid syntax");
        }
        return new RegionJsonVindex(name, regions, regionBytes);
    }

    /** The region map file: a JSON object of region names to unsigned 64-bit numbers. */
    static Map<String, Long> readRegionMap(String path) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(Path.of(path)));
        } catch (IOException | RuntimeException e) {
            throw invalid("region_json: cannot read region_map '" + path + "': " + e.getMessage());
        }
        Map<String, Long> regions = new HashMap<>();
        if (root == null || root.isNull()) {
            return regions;
        }
        if (!root.isObject()) {
            throw invalid("region_json: region_map '" + path + "' is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            regions.put(field.getKey(), uint64(path, field.getKey(), field.getValue()));
        }
        return regions;
    }

    private static long uint64(String path, String region, JsonNode value) {
        if (value.isNull()) {
            return 0; // Go's json.Unmarshal leaves the zero value for null
        }
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0
                || value.bigIntegerValue().compareTo(MAX_UINT64) > 0) {
            throw invalid("region_json: region_map '" + path + "': region '" + region + "' is " + value
                    + ", not an unsigned 64-bit integer");
        }
        return value.bigIntegerValue().longValue();
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsVCursor() {
        return false;
    }

    @Override
    public boolean isPartial() {
        return false;
    }

    @Override
    public List<Destination> map(List<List<Value>> rows) {
        List<Destination> out = new ArrayList<>(rows.size());
        for (List<Value> row : rows) {
            byte[] ksid = ksid(row);
            out.add(ksid == null ? Destination.NONE : new Destination.KeyspaceId(ksid));
        }
        return out;
    }

    @Override
    public List<Boolean> verify(List<List<Value>> rows, List<byte[]> ksids) {
        if (rows.size() != ksids.size()) {
            throw invalid("region_json.Verify: length of rows " + rows.size() + " doesn't match length of ksids "
                    + ksids.size());
        }
        List<Boolean> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            byte[] ksid = ksid(rows.get(i));
            out.add(ksid != null && Ksids.isEqual(ksid, ksids.get(i)));
        }
        return out;
    }

    private byte[] ksid(List<Value> row) {
        if (row.size() != 2) {
            return null;
        }
        long id;
        try {
            id = row.get(0).toUint64();
        } catch (VtException e) {
            return null;
        }
        Long region = regionMap.get(row.get(1).text());
        if (region == null) {
            return null;
        }
        byte[] out = new byte[regionBytes + 8];
        if (regionBytes == 2) {
            out[0] = (byte) (region >>> 8);
        }
        out[regionBytes - 1] = (byte) region.longValue();
        System.arraycopy(Ksids.bigEndian(ZeroKeyDes.apply(id)), 0, out, regionBytes, 8);
        return out;
    }

    private static VtException invalid(String message) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, message);
    }
}
