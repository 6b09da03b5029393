package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command phase over real sockets: sequence ids, both EOF framings, bad input closing one connection. */
class MySqlServerTest {
    private static final FakeSqlHandler SQL = new FakeSqlHandler();
    private static MySqlServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SQL.results.put("select 1", QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("b").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(1).addLengths(-1).setValues(ByteString.copyFromUtf8("1")))
                .addRows(Row.newBuilder().addLengths(2).addLengths(0).setValues(ByteString.copyFromUtf8("22")))
                .build());
        SQL.results.put("insert", QueryResult.newBuilder().setRowsAffected(3).setInsertId(300).build());
        // a row whose values are a substring of a larger ByteString, as vtgate's column slicing makes them
        SQL.results.put("select sliced", QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(3).setValues(ByteString.copyFromUtf8("xxabc").substring(2)))
                .build());
        server = new MySqlServer(MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password"), SQL, 1);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void resultSetInBothEofFramings(boolean deprecateEof) throws Exception {
        try (RawClient c = RawClient.connect(port, deprecateEof ? Capabilities.CLIENT_DEPRECATE_EOF : 0)) {
            c.command(Command.COM_QUERY, "select 1");
            List<Reply> replies = new ArrayList<>();
            int expected = deprecateEof ? 1 + 2 + 2 + 1 : 1 + 2 + 1 + 2 + 1;
            for (int i = 0; i < expected; i++) {
                replies.add(c.read());
                assertEquals(i + 1, replies.get(i).sequenceId(), "sequence ids count up from 1");
            }
            assertEquals(2, replies.get(0).payload()[0]); // column count
            int firstRow = deprecateEof ? 3 : 4;
            if (!deprecateEof) {
                assertEquals(0xFE, replies.get(3).header()); // EOF after the columns
                assertEquals(5, replies.get(3).payload().length);
            }
            byte[] row1 = replies.get(firstRow).payload();
            assertEquals(List.of(1, (int) '1', 0xFB), List.of((int) row1[0], (int) row1[1], row1[2] & 0xFF));
            Reply end = replies.get(expected - 1);
            assertEquals(0xFE, end.header());
            int status = end.payload()[3] & 0xFF; // OK: FE, 0, 0, status | EOF: FE, warnings(2), status
            assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, status & ServerStatus.SERVER_STATUS_AUTOCOMMIT);

            c.command(Command.COM_QUERY, "insert");
            Reply ok = c.read();
            assertEquals(0, ok.header());
            assertEquals(3, ok.payload()[1]);
            assertEquals(List.of(0xFC, 300 & 0xFF, 300 >> 8), List.of(ok.payload()[2] & 0xFF, ok.payload()[3] & 0xFF,
                    ok.payload()[4] & 0xFF));
        }
    }

    @Test
    void rowValuesThatAreASubstringAreWrittenFromTheirOwnStart() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_DEPRECATE_EOF)) {
            c.command(Command.COM_QUERY, "select sliced");
            c.read(); // column count
            c.read(); // column definition
            byte[] row = c.read().payload();
            assertEquals("abc", new String(row, 1, 3, java.nio.charset.StandardCharsets.UTF_8));
            c.read(); // OK
        }
    }

    @Test
    void backendErrorKeepsConnectionOpen() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_DEPRECATE_EOF)) {
            c.command(Command.COM_QUERY, "selec nonsense");
            Reply err = c.read();
            assertEquals(0xFF, err.header());
            assertEquals(1064, err.errno());
            assertEquals("42000", err.sqlState());
            assertEquals(1, err.sequenceId());
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }

    @Test
    void unknownCommandIs1047() throws Exception {
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(0x1E, ""); // COM_BINLOG_DUMP_GTID is not handled
            Reply err = c.read();
            assertEquals(1047, err.errno());
            assertEquals("08S01", err.sqlState());
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }

    @Test
    void outOfOrderPacketClosesOnlyThatConnection() throws Exception {
        try (RawClient good = RawClient.connect(port, 0); RawClient bad = RawClient.connect(port, 0)) {
            bad.write(5, new byte[] {Command.COM_PING});
            Reply err = bad.read();
            assertEquals(1156, err.errno());
            assertTrue(bad.isClosedByServer());
            good.command(Command.COM_PING, "");
            assertEquals(0, good.read().header());
        }
    }

    @Test
    void malformedCommandClosesOnlyThatConnection() throws Exception {
        try (RawClient good = RawClient.connect(port, 0); RawClient bad = RawClient.connect(port, 0)) {
            bad.write(0, new byte[] {Command.COM_FIELD_LIST, 't', 'b', 'l'}); // table name not NUL-terminated
            Reply err = bad.read();
            assertEquals(1835, err.errno());
            assertTrue(bad.isClosedByServer());
            bad.close();
            good.command(Command.COM_QUERY, "select 1");
            assertEquals(2, good.read().payload()[0]);
        }
    }

    @Test
    void truncatedPacketThenHangUpLeavesServerHealthy() throws Exception {
        try (RawClient bad = RawClient.connect(port, 0)) {
            bad.writeRaw(new byte[] {100, 0, 0, 0, Command.COM_QUERY, 's', 'e'}); // says 100 bytes, sends 3
            bad.socket.shutdownOutput();
            assertTrue(bad.isClosedByServer());
        }
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header());
        }
    }

    @Test
    void oversizedPacketIsRefused() throws Exception {
        MySqlServer small = new MySqlServer(new MysqlServerConfig("8.0.40-Tessel", "mysql_native_password", 1024,
                java.time.Duration.ofSeconds(10), AuthServer.none(), io.tessel.vtgate.auth.RsaKeys.generate(),
                java.util.concurrent.ConcurrentHashMap.newKeySet()), SQL, 1);
        int p = small.start("127.0.0.1", 0).getPort();
        try (RawClient c = RawClient.connect(p, 0)) {
            c.command(Command.COM_QUERY, "select '" + "x".repeat(2000) + "'");
            Reply err = c.read();
            assertEquals(1153, err.errno());
            assertEquals("08S01", err.sqlState());
            assertTrue(c.isClosedByServer());
        } finally {
            small.close();
        }
    }

    @Test
    void quitClosesAndSessionIsClosed() throws Exception {
        int id;
        try (RawClient c = RawClient.connect(port, 0)) {
            id = c.connectionId;
            c.command(Command.COM_QUIT, "");
            assertTrue(c.isClosedByServer());
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!SQL.closedSessions.contains(id) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(SQL.closedSessions.contains(id), "the quitting connection's session is closed");
    }
}
