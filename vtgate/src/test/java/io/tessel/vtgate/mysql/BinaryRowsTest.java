package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ProtocolBinary::ResultsetRow values, with expected bytes worked out from the MySQL manual's encodings. */
class BinaryRowsTest {
    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(Type.INT8, "-128", "80"),
                Arguments.of(Type.UINT8, "255", "ff"),
                Arguments.of(Type.INT16, "-2", "feff"),
                Arguments.of(Type.UINT16, "65535", "ffff"),
                Arguments.of(Type.YEAR, "2024", "e807"),
                Arguments.of(Type.INT24, "-8388608", "000080ff"),
                Arguments.of(Type.UINT24, "16777215", "ffffff00"),
                Arguments.of(Type.INT32, "-1", "ffffffff"),
                Arguments.of(Type.UINT32, "4294967295", "ffffffff"),
                Arguments.of(Type.INT64, "-9223372036854775808", "0000000000000080"),
                Arguments.of(Type.UINT64, "18446744073709551615", "ffffffffffffffff"),
                Arguments.of(Type.FLOAT32, "1.5", "0000c03f"),
                Arguments.of(Type.FLOAT64, "35", "0000000000804140"),
                Arguments.of(Type.DECIMAL, "-12.340", "072d31322e333430"),
                Arguments.of(Type.DATE, "2010-10-17", "04da070a11"),
                Arguments.of(Type.DATE, "0000-00-00", "00"),
                Arguments.of(Type.DATETIME, "2010-10-17 19:27:30.000001", "0bda070a11131b1e01000000"),
                Arguments.of(Type.DATETIME, "2010-10-17 19:27:30", "07da070a11131b1e"),
                Arguments.of(Type.DATETIME, "2010-10-17 00:00:00.000000", "04da070a11"),
                Arguments.of(Type.TIMESTAMP, "2038-01-19 03:14:07.5", "0bf6070113030e0720a10700"),
                Arguments.of(Type.DATETIME, "0000-00-00 00:00:00", "00"),
                Arguments.of(Type.TIME, "-120:00:00", "080105000000000000"),
                Arguments.of(Type.TIME, "19:27:30.000001", "0c00000000001 31b1e01000000".replace(" ", "")),
                Arguments.of(Type.TIME, "838:59:59", "08002200000016 3b3b".replace(" ", "")),
                Arguments.of(Type.TIME, "00:00:00", "00"),
                Arguments.of(Type.VARCHAR, "abc", "03616263"),
                Arguments.of(Type.JSON, "{}", "027b7d"),
                Arguments.of(Type.BLOB, "", "00"),
                Arguments.of(Type.ENUM, "x", "0178"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void encodesEachType(Type type, String text, String hex) {
        byte[] row = encode(List.of(type), text);
        // header 0x00, a one-byte bitmap, then the value
        assertEquals("0000" + hex, HexFormat.of().formatHex(row));
    }

    @Test
    void bitValuesAreTheirRawBytes() {
        ByteBuf buf = Unpooled.buffer();
        Row row = Row.newBuilder().addLengths(2).setValues(ByteString.copyFrom(new byte[] {1, (byte) 0xFF})).build();
        BinaryRows.write(buf, List.of(Field.newBuilder().setType(Type.BIT).build()), row);
        assertEquals("0000" + "0201ff", HexFormat.of().formatHex(TestPackets.bytes(buf)));
        buf.release();
    }

    @Test
    void nullBitmapStartsAtBitTwo() {
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            types.add(Type.INT8);
        }
        // columns 0 and 6 NULL: bits 2 and 8 -> bitmap 04 01
        byte[] row = encode(types, null, "1", "2", "3", "4", "5", null);
        assertEquals("00" + "0401" + "0102030405", HexFormat.of().formatHex(row));
    }

    private static byte[] encode(List<Type> types, String... values) {
        List<Field> fields = types.stream().map(t -> Field.newBuilder().setType(t).build()).toList();
        Row.Builder row = Row.newBuilder();
        StringBuilder joined = new StringBuilder();
        for (String v : values) {
            row.addLengths(v == null ? -1 : v.length());
            joined.append(v == null ? "" : v);
        }
        // the values as a substring of a larger ByteString, as vtgate's column slicing makes them
        row.setValues(ByteString.copyFromUtf8("xx" + joined).substring(2));
        ByteBuf buf = Unpooled.buffer();
        try {
            BinaryRows.write(buf, fields, row.build());
            return TestPackets.bytes(buf);
        } finally {
            buf.release();
        }
    }
}
