package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lame duck over real sockets: a new connection and a command outside a transaction get ER_SERVER_SHUTDOWN,
 * while a running command and an open transaction finish; the drain waits for exactly those.
 */
@Timeout(30)
class LameDuckTest {
    private final FakeSqlHandler sql = new FakeSqlHandler();
    private final ServerState state = new ServerState();
    private final List<VtException> errors = new CopyOnWriteArrayList<>();
    private MySqlServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        sql.results.put("select 1", QueryResult.newBuilder().setRowsAffected(1).build());
        sql.results.put("slow", QueryResult.newBuilder().setRowsAffected(7).build());
        sql.results.put("begin", QueryResult.getDefaultInstance());
        sql.results.put("commit", QueryResult.getDefaultInstance());
        sql.results.put("rollback", QueryResult.getDefaultInstance());
        sql.effects.put("begin", s -> s.setInTransaction(true));
        sql.effects.put("commit", s -> s.setInTransaction(false));
        state.setErrorObserver(errors::add);
        server = new MySqlServer(MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password"), sql, 1, state);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusesNewWorkAndLetsRunningCommandsAndTransactionsFinish() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        sql.gates.put("slow", gate);
        try (RawClient idle = RawClient.connect(port, 0); RawClient inTx = RawClient.connect(port, 0);
             RawClient slow = RawClient.connect(port, 0)) {
            inTx.command(Command.COM_QUERY, "begin");
            assertEquals(0, inTx.read().header());
            slow.command(Command.COM_QUERY, "slow");
            sql.waiting.acquire(); // the slow command is running
            assertEquals(3, state.openConnections());
            assertEquals(1, state.commandsInFlight());

            state.enterLameDuck();
            assertEquals(2, state.busyConnections(), "the running command and the open transaction");
            assertShutdown(new RawClient(port).read(), 0); // a new connection gets ERR instead of the greeting

            idle.command(Command.COM_QUERY, "rollback");
            assertEquals(0, idle.read().header(), "ending no transaction is harmless: a closing client sends it");
            idle.command(Command.COM_QUERY, "select 1");
            assertShutdown(idle.read(), 1);
            assertTrue(idle.isClosedByServer(), "the client reconnects elsewhere");

            inTx.command(Command.COM_QUERY, "select 1");
            assertEquals(0, inTx.read().header(), "the open transaction goes on");
            inTx.command(Command.COM_QUERY, "commit");
            assertEquals(0, inTx.read().header());
            assertEquals(1, state.busyConnections(), "only the running command is left");
            assertFalse(state.awaitIdle(Duration.ZERO));

            gate.countDown();
            Reply done = slow.read();
            assertEquals(0, done.header(), "the running command finished with its own result");
            assertEquals(7, done.payload()[1]);
            assertTrue(state.awaitIdle(Duration.ofSeconds(10)));

            inTx.command(Command.COM_QUERY, "select 1");
            assertShutdown(inTx.read(), 1); // its transaction is over: new work is refused
        }
        assertEquals(List.of(1053, 1053, 1053), errors.stream().map(VtException::errno).toList(), "errors are observed");
    }

    private static void assertShutdown(Reply reply, int sequenceId) {
        assertEquals(0xFF, reply.header());
        assertEquals(sequenceId, reply.sequenceId());
        assertEquals(1053, reply.errno());
        assertEquals("08S01", reply.sqlState());
        assertEquals("Server shutdown in progress",
                new String(reply.payload(), 9, reply.payload().length - 9, StandardCharsets.UTF_8));
    }
}
