package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tessel.vtcombo.WireClient.Executed;
import io.tessel.vtcombo.WireClient.Param;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Binary-protocol round trips, byte for byte: the same rows are inserted with a prepared INSERT whose
 * parameters are binary values of every MySQL type (integers of each width and sign, FLOAT, DOUBLE, DECIMAL,
 * DATE, TIME, DATETIME and TIMESTAMP with fractions, YEAR, strings, BLOB, JSON, BIT, ENUM, SET, NULL), once
 * straight into MariaDB and once through vtgate, then read back with prepared SELECTs over a raw protocol
 * client; every binary result row vtgate sends must equal MariaDB's own.
 */
@Timeout(120)
class BinaryProtocolIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    private static ComboCluster cluster;

    private static final String TABLE = """
            create table types (id bigint primary key,
              ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned,
              i int, iu int unsigned, bi bigint, biu bigint unsigned, f float, d double, dec1 decimal(20,6),
              dt date, t time, t6 time(6), dtm datetime, dtm6 datetime(6), ts timestamp(3) null default null, y year,
              vc varchar(32), ch char(4), tx text, bl blob, vb varbinary(16), js json, bt bit(12),
              en enum('a','b'), st set('x','y')) default charset utf8mb4""";

    private static final String INSERT = "insert into types values (" + "?, ".repeat(29) + "?)";

    @BeforeAll
    static void start() throws Exception {
        cluster = Fixture.start(db, "binproto");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static WireClient direct() throws Exception {
        return WireClient.connect(db.host(), db.port(), db.user(), db.password(), "binproto_direct");
    }

    private static WireClient tessel() throws Exception {
        return WireClient.connect("127.0.0.1", cluster.address().getPort(), "root", "", "binproto");
    }

    @Test
    void binaryRowsOfEveryTypeMatchMariaDbByteForByte() throws Exception {
        List<String> fromMariaDb;
        List<String> fromTessel;
        try (WireClient c = direct()) {
            fromMariaDb = roundTrip(c);
        }
        try (WireClient c = tessel()) {
            fromTessel = roundTrip(c);
        }
        assertEquals(fromMariaDb, fromTessel);
        assertEquals(4 + 4 + 4 + 1, fromTessel.size(), "rows by id, all rows, expressions, the DML reply");
    }

    /** Creates the table, inserts the rows with binary parameters, reads them back; a transcript in hex. */
    private static List<String> roundTrip(WireClient c) throws Exception {
        c.update("drop table if exists types");
        c.update(TABLE);
        int[] insert = c.prepare(INSERT);
        assertEquals(30, insert[1]);
        for (List<Param> row : rows()) {
            Executed e = c.execute(insert[0], row);
            assertNotNull(e.okOrError());
            assertEquals(0, e.okOrError()[0], () -> WireClient.error(e.okOrError()));
        }
        List<String> out = new ArrayList<>();
        int[] byId = c.prepare("select * from types where id = ?");
        for (long id = 1; id <= 4; id++) {
            Executed e = c.execute(byId[0], List.of(longlong(id)));
            assertEquals(1, e.rows().size());
            out.add(hex(e.rows().getFirst()));
        }
        int[] all = c.prepare("select * from types order by id");
        c.execute(all[0], List.of()).rows().forEach(r -> out.add(hex(r)));
        int[] expressions = c.prepare("select id, null as n, tiu + 1 as e, concat(vc, '!') as s, f * 2 as f2, "
                + "d / 2 as d2, dec1 + 1 as dec2, date_add(dtm6, interval 1 day) as later from types order by id");
        c.execute(expressions[0], List.of()).rows().forEach(r -> out.add(hex(r)));
        int[] update = c.prepare("update types set ti = ? where id = ?");
        Executed e = c.execute(update[0], List.of(tiny(7, false), longlong(1)));
        out.add("affected " + e.okOrError()[1]);
        c.closeStatement(update[0]);
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static List<List<Param>> rows() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        List<List<Param>> rows = new ArrayList<>();
        rows.add(List.of(longlong(1), tiny(-128, false), tiny(0, true), shortInt(-32768, false), shortInt(0, true),
                longInt(-8388608, false), longInt(0, true), longInt(Integer.MIN_VALUE, false), longInt(0, true),
                longlong(Long.MIN_VALUE), unsignedLonglong(BigInteger.ZERO), floatParam(-3.25f),
                doubleParam(-2.2250738585072014E-308), decimal("-99999999999999.999999"), date(1000, 1, 1),
                time(true, 838, 59, 59, 0), time(true, 0, 0, 1, 500000), datetime(12, 1000, 1, 1, 0, 0, 0, 0),
                datetime(12, 2020, 2, 29, 12, 34, 56, 123456), datetime(7, 2001, 2, 3, 4, 5, 6, 789000), year(1901),
                string("héllo wörld"), string("ab"), string("x".repeat(300)), blob(allBytes), blob(new byte[] {0, 1, 2}),
                string("{\"a\": [1, 2.5, null], \"b\": \"ü\"}"), blob(new byte[] {0x0A, (byte) 0xAA}), string("b"),
                string("x,y")));
        rows.add(List.of(longlong(2), tiny(127, false), tiny(255, true), shortInt(32767, false), shortInt(65535, true),
                longInt(8388607, false), longInt(16777215, true), longInt(Integer.MAX_VALUE, false),
                longInt(0xFFFFFFFFL, true), longlong(Long.MAX_VALUE),
                unsignedLonglong(new BigInteger("18446744073709551615")), floatParam(1.5f),
                doubleParam(1.7976931348623157E308), decimal("99999999999999.999999"), date(9999, 12, 31),
                time(false, 838, 59, 59, 0), time(false, 12, 34, 56, 789012), datetime(12, 9999, 12, 31, 23, 59, 59, 0),
                datetime(12, 2020, 2, 29, 0, 0, 0, 0), datetime(7, 2038, 1, 19, 3, 14, 7, 999000), year(2155),
                string(""), string("abcd"), string(""), blob(new byte[0]), blob(new byte[16]), string("[]"),
                blob(new byte[] {0x0F, (byte) 0xFF}), string("a"), string("")));
        List<Param> nulls = new ArrayList<>();
        nulls.add(longlong(3));
        for (int k = 1; k < 30; k++) {
            nulls.add(new Param(6, false, null)); // MYSQL_TYPE_NULL
        }
        rows.add(nulls);
        rows.add(List.of(longlong(4), tiny(0, false), tiny(0, true), shortInt(0, false), shortInt(0, true),
                longInt(0, false), longInt(0, true), longInt(0, false), longInt(0, true), longlong(0),
                unsignedLonglong(BigInteger.ONE), floatParam(0f), doubleParam(0.1), decimal("0.000001"),
                zeroTemporal(10), zeroTemporal(11), time(false, 0, 0, 0, 1), zeroTemporal(12),
                datetime(12, 2020, 1, 1, 10, 0, 0, 0), new Param(7, false, null), year(0),
                string("0"), string(""), string("line\nbreak 'quoted' \\ backslash"), blob("text".getBytes()),
                blob(new byte[] {(byte) 0xFF}), string("{}"), blob(new byte[] {0, 0}), string("a"), string("y")));
        return rows;
    }

    private static Param tiny(int v, boolean unsigned) {
        return new Param(1, unsigned, new byte[] {(byte) v});
    }

    private static Param shortInt(int v, boolean unsigned) {
        return new Param(2, unsigned, le(v, 2));
    }

    private static Param longInt(long v, boolean unsigned) {
        return new Param(3, unsigned, le(v, 4));
    }

    private static Param longlong(long v) {
        return new Param(8, false, le(v, 8));
    }

    private static Param unsignedLonglong(BigInteger v) {
        return new Param(8, true, le(v.longValue(), 8));
    }

    private static Param floatParam(float v) {
        return new Param(4, false, le(Float.floatToIntBits(v), 4));
    }

    private static Param doubleParam(double v) {
        return new Param(5, false, le(Double.doubleToLongBits(v), 8));
    }

    /** A YEAR value as clients send it, a SHORT (MariaDB reads a parameter typed YEAR as a string). */
    private static Param year(int v) {
        return new Param(2, false, le(v, 2));
    }

    private static Param decimal(String v) {
        return new Param(246, false, lenenc(v.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Param string(String v) {
        return new Param(253, false, lenenc(v.getBytes(StandardCharsets.UTF_8)));
    }

    private static Param blob(byte[] v) {
        return new Param(252, false, lenenc(v));
    }

    private static Param date(int year, int month, int day) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(4);
        WireClient.writeInt(b, year, 2);
        b.write(month);
        b.write(day);
        return new Param(10, false, b.toByteArray());
    }

    /** DATETIME (12) or TIMESTAMP (7), with microseconds when non-zero. */
    private static Param datetime(int type, int year, int month, int day, int hour, int minute, int second, int micros) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(micros != 0 ? 11 : 7);
        WireClient.writeInt(b, year, 2);
        b.writeBytes(new byte[] {(byte) month, (byte) day, (byte) hour, (byte) minute, (byte) second});
        if (micros != 0) {
            WireClient.writeInt(b, micros, 4);
        }
        return new Param(type, false, b.toByteArray());
    }

    private static Param time(boolean negative, int hours, int minute, int second, int micros) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(micros != 0 ? 12 : 8);
        b.write(negative ? 1 : 0);
        WireClient.writeInt(b, hours / 24, 4);
        b.writeBytes(new byte[] {(byte) (hours % 24), (byte) minute, (byte) second});
        if (micros != 0) {
            WireClient.writeInt(b, micros, 4);
        }
        return new Param(11, false, b.toByteArray());
    }

    /** A zero DATE, TIME or DATETIME: length 0. */
    private static Param zeroTemporal(int type) {
        return new Param(type, false, new byte[] {0});
    }

    private static byte[] le(long v, int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        WireClient.writeInt(b, v, n);
        return b.toByteArray();
    }

    private static byte[] lenenc(byte[] v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (v.length < 251) {
            b.write(v.length);
        } else {
            b.write(0xFC);
            WireClient.writeInt(b, v.length, 2);
        }
        b.writeBytes(v);
        return b.toByteArray();
    }
}
