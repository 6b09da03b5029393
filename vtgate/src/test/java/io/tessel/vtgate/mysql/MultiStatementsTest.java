package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several statements in one COM_QUERY: one result each, more-results flags, errors ending the sequence. */
class MultiStatementsTest {
    private static final FakeSqlHandler SQL = new FakeSqlHandler();
    private static final int MORE = ServerStatus.SERVER_MORE_RESULTS_EXISTS;
    private static final String ONE_STATEMENT = "update t set a = 2;  -- one statement and a comment";
    private static MySqlServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SQL.results.put("select 1", QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
                .addRows(Row.newBuilder().addLengths(1).setValues(ByteString.copyFromUtf8("1"))).build());
        SQL.results.put("insert into t values ('a;b')", QueryResult.newBuilder().setRowsAffected(1).build());
        SQL.results.put("update t set a = 2", QueryResult.newBuilder().setRowsAffected(3).build());
        // one statement with a trailing semicolon reaches the handler as it was sent
        SQL.results.put(ONE_STATEMENT, QueryResult.newBuilder().setRowsAffected(3).build());
        server = new MySqlServer(MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password"), SQL, 1);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void eachStatementGetsAResultAndAllButTheLastSayMoreResults(boolean deprecateEof) throws Exception {
        int caps = Capabilities.CLIENT_MULTI_STATEMENTS | (deprecateEof ? Capabilities.CLIENT_DEPRECATE_EOF : 0);
        try (RawClient c = RawClient.connect(port, caps)) {
            c.command(Command.COM_QUERY, "select 1; insert into t values ('a;b') ;\n update t set a = 2;");
            assertEquals(1, c.read().payload()[0]);
            c.read(); // definition
            if (!deprecateEof) {
                assertEquals(MORE, PreparedStatementsTest.status(c.read()) & MORE);
            }
            c.read(); // row
            Reply end = c.read();
            assertEquals(0xFE, end.header());
            assertEquals(MORE, PreparedStatementsTest.status(end) & MORE);
            Reply insert = c.read();
            assertEquals(0, insert.header());
            assertEquals(1, insert.payload()[1]);
            assertEquals(MORE, PreparedStatementsTest.status(insert) & MORE);
            Reply update = c.read();
            assertEquals(3, update.payload()[1]);
            assertEquals(0, PreparedStatementsTest.status(update) & MORE);
            assertEquals(deprecateEof ? 6 : 7, update.sequenceId(), "one sequence across the results");
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header(), "nothing else was sent");
        }
    }

    @Test
    void anErrorEndsTheSequence() throws Exception {
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_MULTI_STATEMENTS)) {
            c.command(Command.COM_QUERY, "update t set a = 2; bad statement; update t set a = 2");
            Reply first = c.read();
            assertEquals(MORE, PreparedStatementsTest.status(first) & MORE);
            Reply err = c.read();
            assertEquals(1064, err.errno());
            assertEquals(2, err.sequenceId());
            int before = SQL.executed.size();
            c.command(Command.COM_PING, "");
            assertEquals(0, c.read().header(), "the statement after the error did not run");
            assertEquals(before, SQL.executed.size());
        }
    }

    @Test
    void withoutTheCapabilitySeveralStatementsAreASyntaxError() throws Exception {
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(Command.COM_QUERY, "update t set a = 2; update t set a = 2");
            Reply err = c.read();
            assertEquals(1064, err.errno());
            assertEquals("42000", err.sqlState());
            c.command(Command.COM_QUERY, ONE_STATEMENT);
            assertEquals(0, c.read().header());
        }
    }

    @Test
    void setOptionTurnsMultiStatementsOnAndOff() throws Exception {
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(Command.COM_SET_OPTION, new byte[] {0, 0}); // MYSQL_OPTION_MULTI_STATEMENTS_ON
            Reply eof = c.read();
            assertEquals(0xFE, eof.header());
            assertEquals(5, eof.payload().length, "EOF without CLIENT_DEPRECATE_EOF");
            c.command(Command.COM_QUERY, "update t set a = 2; update t set a = 2");
            assertEquals(MORE, PreparedStatementsTest.status(c.read()) & MORE);
            assertEquals(0, c.read().header());
            c.command(Command.COM_SET_OPTION, new byte[] {1, 0}); // OFF
            c.read();
            c.command(Command.COM_QUERY, "update t set a = 2; update t set a = 2");
            assertEquals(1064, c.read().errno());
        }
    }
}
