package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.exec.Session;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** COM_STMT_* over real sockets against a scripted handler: the exact packets of each reply. */
class PreparedStatementsTest {
    private static final FakeSqlHandler SQL = new FakeSqlHandler();
    private static final String SELECT = "select a, b from t where a = ? and b = ?";
    private static final String BOUND = "select a, b from t where a = :v1 and b = :v2";
    private static MySqlServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        QueryResult rows = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("b").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(1).addLengths(1).setValues(ByteString.copyFromUtf8("5x")))
                .addRows(Row.newBuilder().addLengths(1).addLengths(-1).setValues(ByteString.copyFromUtf8("6")))
                .addRows(Row.newBuilder().addLengths(1).addLengths(2).setValues(ByteString.copyFromUtf8("7yz")))
                .build();
        SQL.results.put(BOUND + " v1=INT64:5 v2=VARCHAR:x", rows);
        SQL.results.put(BOUND + " v1=INT64:5 v2=VARBINARY:long data", rows);
        SQL.results.put(BOUND + " v1=NULL_TYPE: v2=VARCHAR:x", QueryResult.newBuilder().addAllFields(rows.getFieldsList()).build());
        SQL.results.put("fields " + BOUND, QueryResult.newBuilder().addAllFields(rows.getFieldsList()).build());
        SQL.results.put("insert into t values (1)", QueryResult.newBuilder().setRowsAffected(1).setInsertId(9).build());
        server = new MySqlServer(MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password"), SQL, 1);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int prepare(RawClient c, String sql, int params, boolean deprecateEof) throws Exception {
        c.command(Command.COM_STMT_PREPARE, sql);
        Reply ok = c.read();
        byte[] p = ok.payload();
        assertEquals(0, ok.header());
        assertEquals(1, ok.sequenceId());
        int id = (p[1] & 0xFF) | (p[2] & 0xFF) << 8;
        int columns = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
        assertEquals(sql.equals(SELECT) ? 2 : 0, columns, "the handler's prepare fields");
        assertEquals(params, (p[7] & 0xFF) | (p[8] & 0xFF) << 8);
        assertEquals(12, p.length);
        for (int k = 0; k < params; k++) {
            byte[] def = c.read().payload();
            assertEquals("?", new String(def, 8, 1, StandardCharsets.UTF_8)); // def, 3 empty strings, then "?"
        }
        if (params > 0 && !deprecateEof) {
            assertEquals(0xFE, c.read().header());
        }
        if (columns > 0) {
            assertEquals("a", new String(c.read().payload(), 8, 1, StandardCharsets.UTF_8));
            assertEquals("b", new String(c.read().payload(), 8, 1, StandardCharsets.UTF_8));
            if (!deprecateEof) {
                assertEquals(0xFE, c.read().header());
            }
        }
        return id;
    }

    /** COM_STMT_EXECUTE body: id, flags, iteration count, then the parameter section. */
    private static byte[] execute(int id, int flags, String paramsHex) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(id);
        b.writeBytes(new byte[3]);
        b.write(flags);
        b.writeBytes(new byte[] {1, 0, 0, 0});
        b.writeBytes(HexFormat.of().parseHex(paramsHex));
        return b.toByteArray();
    }

    private static final String TYPES = "01" + "0800" + "fd00"; // new params bound: LONGLONG, VAR_STRING
    private static final String VALUES = "0500000000000000" + "0178";

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void prepareExecuteGivesBinaryRows(boolean deprecateEof) throws Exception {
        try (RawClient c = RawClient.connect(port, deprecateEof ? Capabilities.CLIENT_DEPRECATE_EOF : 0)) {
            int id = prepare(c, SELECT, 2, deprecateEof);
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, "00" + TYPES + VALUES));
            assertEquals(2, c.read().payload()[0]);
            c.read();
            c.read();
            if (!deprecateEof) {
                assertEquals(0xFE, c.read().header());
            }
            assertEquals("00" + "00" + "0500000000000000" + "0178", hex(c.read()));
            assertEquals("00" + "08" + "0600000000000000", hex(c.read())); // b NULL: bit 3
            assertEquals("00" + "00" + "0700000000000000" + "02797a", hex(c.read()));
            Reply end = c.read();
            assertEquals(0xFE, end.header());
            assertEquals(SQL.executed.getLast(), BOUND + " v1=INT64:5 v2=VARCHAR:x");

            // types stay bound: a second execution may send none
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, "01" + "00" + "0178"));
            assertEquals(2, c.read().payload()[0]);
            assertEquals(SQL.executed.getLast(), BOUND + " v1=NULL_TYPE: v2=VARCHAR:x");
        }
    }

    @Test
    void longDataIsCollectedUntilTheNextExecution() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_DEPRECATE_EOF)) {
            int id = prepare(c, SELECT, 2, true);
            c.command(Command.COM_STMT_SEND_LONG_DATA, longData(id, 1, "long "));
            c.command(Command.COM_STMT_SEND_LONG_DATA, longData(id, 1, "data"));
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, "00" + "01" + "0800" + "fc00" + "0500000000000000"));
            assertEquals(2, c.read().payload()[0], "long data needs no reply; the execute reply comes first");
            assertEquals(BOUND + " v1=INT64:5 v2=VARBINARY:long data", SQL.executed.getLast());
            drain(c, 6); // 2 definitions, 3 rows, the end
            // the long data is gone after the execution: now the value must be in the packet
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, "00" + TYPES + VALUES));
            assertEquals(2, c.read().payload()[0]);
            assertEquals(BOUND + " v1=INT64:5 v2=VARCHAR:x", SQL.executed.getLast());
            drain(c, 6); // 2 definitions, 3 rows, the end
            // COM_STMT_RESET drops long data too, and answers OK
            c.command(Command.COM_STMT_SEND_LONG_DATA, longData(id, 1, "ignored"));
            c.command(Command.COM_STMT_RESET, id(id));
            assertEquals(0, c.read().header());
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, "00" + TYPES + VALUES));
            assertEquals(2, c.read().payload()[0]);
            assertEquals(BOUND + " v1=INT64:5 v2=VARCHAR:x", SQL.executed.getLast());
            drain(c, 6); // 2 definitions, 3 rows, the end
        }
    }

    @Test
    void closedStatementsAreUnknownAndCloseHasNoReply() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_DEPRECATE_EOF)) {
            int id = prepare(c, "insert into t values (1)", 0, true);
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, ""));
            Reply ok = c.read();
            assertEquals(0, ok.header());
            assertEquals(1, ok.payload()[1]); // affected rows
            assertEquals(9, ok.payload()[2]); // insert id
            c.command(Command.COM_STMT_CLOSE, id(id));
            c.command(Command.COM_STMT_EXECUTE, execute(id, 0, ""));
            Reply err = c.read();
            assertEquals(1243, err.errno());
            assertEquals(1, err.sequenceId(), "the close had no reply");
            c.command(Command.COM_STMT_CLOSE, id(12345)); // unknown: ignored, no reply
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readOnlyCursorIsFetchedInSteps(boolean deprecateEof) throws Exception {
        try (RawClient c = RawClient.connect(port, deprecateEof ? Capabilities.CLIENT_DEPRECATE_EOF : 0)) {
            int id = prepare(c, SELECT, 2, deprecateEof);
            c.command(Command.COM_STMT_EXECUTE, execute(id, 1, "00" + TYPES + VALUES));
            assertEquals(2, c.read().payload()[0]);
            c.read();
            c.read();
            assertTrue((status(c.read()) & ServerStatus.SERVER_STATUS_CURSOR_EXISTS) != 0, "no rows, a cursor");
            c.command(Command.COM_STMT_FETCH, fetch(id, 2));
            assertEquals("00" + "00" + "0500000000000000" + "0178", hex(c.read()));
            c.read();
            int status = status(c.read());
            assertTrue((status & ServerStatus.SERVER_STATUS_CURSOR_EXISTS) != 0);
            assertEquals(0, status & ServerStatus.SERVER_STATUS_LAST_ROW_SENT);
            c.command(Command.COM_STMT_FETCH, fetch(id, 5));
            assertEquals("00" + "00" + "0700000000000000" + "02797a", hex(c.read()));
            assertTrue((status(c.read()) & ServerStatus.SERVER_STATUS_LAST_ROW_SENT) != 0);
            c.command(Command.COM_STMT_FETCH, fetch(id, 5));
            assertEquals(1421, c.read().errno());
        }
    }

    @Test
    void prepareRefusesSeveralStatements() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_MULTI_STATEMENTS)) {
            c.command(Command.COM_STMT_PREPARE, "select 1; select 2");
            assertEquals(1064, c.read().errno());
        }
    }

    @Test
    void theStatementCountIsCapped() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PreparedStatements ps = new PreparedStatements(SQL, new Session(1, "u", List.of()),
                new Capabilities(Capabilities.CLIENT_DEPRECATE_EOF), 2);
        PacketWriter w = new PacketWriter(ch, 1);
        ps.prepare(w, "select 1");
        ps.prepare(w, "select 2");
        VtException e = assertThrows(VtException.class, () -> ps.prepare(w, "select 3"));
        assertEquals(1461, e.errno());
        assertEquals("42000", e.sqlState());
        ps.close(1);
        ps.prepare(w, "select 3");
        assertEquals(2, ps.size());
        w.flush();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
        assertTrue(!ch.finish());
    }

    private static byte[] id(int id) {
        return new byte[] {(byte) id, 0, 0, 0};
    }

    private static byte[] fetch(int id, int rows) {
        return new byte[] {(byte) id, 0, 0, 0, (byte) rows, 0, 0, 0};
    }

    private static byte[] longData(int id, int param, String data) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[6 + d.length];
        b[0] = (byte) id;
        b[4] = (byte) param;
        System.arraycopy(d, 0, b, 6, d.length);
        return b;
    }

    /**
     * The status flags of an end packet: EOF (FE, warnings(2), status) or OK with header FE and one-byte
     * affected rows and insert id (FE, 0, 0, status) both have them at bytes 3 and 4.
     */
    static int status(Reply r) {
        byte[] p = r.payload();
        return (p[3] & 0xFF) | (p[4] & 0xFF) << 8;
    }

    private static String hex(Reply r) {
        return HexFormat.of().formatHex(r.payload());
    }

    private static void drain(RawClient c, int packets) throws Exception {
        for (int i = 0; i < packets; i++) {
            c.read();
        }
    }
}
