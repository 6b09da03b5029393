package io.tessel.vtgate.mysql.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.VtException;
import io.tessel.common.sqltypes.MysqlTypes;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryParamsTest {
    private static final int UNSIGNED = BinaryParams.PARAM_UNSIGNED << 8;

    /** A parameter section: NULL bitmap, bound flag 1, the types, then the values given as hex. */
    private static byte[] section(byte[] nulls, int[] types, String valuesHex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(nulls);
        out.write(1);
        for (int t : types) {
            out.write(t & 0xFF);
            out.write(t >>> 8);
        }
        out.writeBytes(HexFormat.of().parseHex(valuesHex));
        return out.toByteArray();
    }

    private static String show(BindVariable v) {
        return v.getType() + ":" + v.getValue().toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyTypeBecomesATypedBindVariable() {
        int[] types = {MysqlTypes.MYSQL_TYPE_TINY, MysqlTypes.MYSQL_TYPE_TINY | UNSIGNED, MysqlTypes.MYSQL_TYPE_SHORT,
            MysqlTypes.MYSQL_TYPE_LONG | UNSIGNED, MysqlTypes.MYSQL_TYPE_LONGLONG, MysqlTypes.MYSQL_TYPE_LONGLONG | UNSIGNED,
            MysqlTypes.MYSQL_TYPE_FLOAT, MysqlTypes.MYSQL_TYPE_DOUBLE, MysqlTypes.MYSQL_TYPE_NEWDECIMAL,
            MysqlTypes.MYSQL_TYPE_DATE, MysqlTypes.MYSQL_TYPE_DATETIME, MysqlTypes.MYSQL_TYPE_TIME,
            MysqlTypes.MYSQL_TYPE_VAR_STRING, MysqlTypes.MYSQL_TYPE_BLOB, MysqlTypes.MYSQL_TYPE_YEAR,
            MysqlTypes.MYSQL_TYPE_TIMESTAMP};
        String values = "ff" + "ff" + "feff" + "ffffffff" + "0000000000000080" + "ffffffffffffffff"
                + "0000c03f" + "0000000000804140" + "0431322e35"
                + "04da070a11" + "0bda070a11131b1e01000000" + "0c010100000003040506000000"
                + "03616263" + "0200ff" + "e807" + "07da070a11131b1e";
        BinaryParams.Bound b = BinaryParams.read(section(new byte[2], types, values), types.length, null, null);
        List<String> got = b.bindVars().values().stream().map(BinaryParamsTest::show).toList();
        assertEquals(List.of("INT8:-1", "UINT8:255", "INT16:-2", "UINT32:4294967295", "INT64:-9223372036854775808",
                "UINT64:18446744073709551615", "FLOAT64:1.5", "FLOAT64:35.0", "DECIMAL:12.5", "DATE:2010-10-17",
                "DATETIME:2010-10-17 19:27:30.000001", "TIME:-27:04:05.000006", "VARCHAR:abc",
                "VARBINARY:\u0000\ufffd", "YEAR:2024", "TIMESTAMP:2010-10-17 19:27:30"), got);
        assertEquals(List.of("v1", "v2", "v3"), b.bindVars().keySet().stream().limit(3).toList());
        assertArrayEquals(types, b.types());
    }

    @Test
    void nullsAndLongDataTakeNoBytesInThePacket() {
        int[] types = {MysqlTypes.MYSQL_TYPE_LONG, MysqlTypes.MYSQL_TYPE_BLOB, MysqlTypes.MYSQL_TYPE_LONG};
        byte[][] longData = {null, "long".getBytes(StandardCharsets.UTF_8), null};
        // param 0 NULL (bit 0); param 1 has long data; param 2 = 7
        BinaryParams.Bound b = BinaryParams.read(section(new byte[] {1}, types, "07000000"), 3, null, longData);
        Map<String, BindVariable> vars = b.bindVars();
        assertEquals("NULL_TYPE:", show(vars.get("v1")));
        assertEquals("VARBINARY:long", show(vars.get("v2")));
        assertEquals("INT32:7", show(vars.get("v3")));
    }

    @Test
    void typesFromAnEarlierExecutionAreReusedWhenNoneAreSent() {
        byte[] section = HexFormat.of().parseHex("00" + "00" + "2a00");
        int[] previous = {MysqlTypes.MYSQL_TYPE_SHORT};
        assertEquals("INT16:42", show(BinaryParams.read(section, 1, previous, null).bindVars().get("v1")));
        assertThrows(VtException.class, () -> BinaryParams.read(section, 1, null, null));
    }

    @Test
    void truncatedValuesAreMalformed() {
        int[] types = {MysqlTypes.MYSQL_TYPE_LONGLONG};
        VtException e = assertThrows(VtException.class,
                () -> BinaryParams.read(section(new byte[1], types, "0102"), 1, null, null));
        assertEquals(1835, e.errno());
    }
}
