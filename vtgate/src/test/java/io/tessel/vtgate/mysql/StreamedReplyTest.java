package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.engine.ResultSink;
import io.tessel.vtgate.exec.Session;
import io.tessel.vtgate.mysql.RawClient.Reply;
import io.tessel.vtgate.mysql.packet.Command;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streamed replies ({@code workload = 'olap'}) over real sockets: rows reach the client part by part, a client
 * that does not read holds the producer back (the parts produced stay bounded by the socket buffers while the
 * reply would be 128 MiB), a failure after rows were sent ends the result set with ERR, and a client that
 * disconnects cancels the command's context.
 */
@Timeout(60)
class StreamedReplyTest {
    private static final int PART_ROWS = 32;
    private static final int VALUE_BYTES = 1000;
    private static final int PARTS = 4096; // 128 MiB of rows if nothing held the producer back
    private static final StreamingHandler SQL = new StreamingHandler();
    private static MySqlServer server;
    private static int port;

    /** Streams parts of PART_ROWS rows of one VALUE_BYTES column, counting them; OLAP sessions only. */
    private static final class StreamingHandler implements SqlHandler {
        final AtomicInteger produced = new AtomicInteger();
        final CountDownLatch sleeping = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public Session newSession(int connectionId, String user, List<String> roles) {
            Session s = new Session(connectionId, user, roles);
            s.setWorkload(Workload.OLAP);
            return s;
        }

        @Override
        public boolean databaseExists(String name) {
            return true;
        }

        @Override
        public QueryResult query(Session session, String sql) {
            throw new UnsupportedOperationException("streamed only");
        }

        @Override
        public void streamQuery(Session session, String sql, ResultSink sink) {
            switch (sql) {
                case "select many" -> many(sink, PARTS, false);
                case "select failing" -> many(sink, 3, true);
                case "select sleep" -> {
                    Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
                    sleeping.countDown();
                    awaitQuietly(cancelled);
                    throw VtException.of(ErrorCode.CANCELED, "cancelled");
                }
                default -> throw new IllegalArgumentException(sql);
            }
        }

        private void many(ResultSink sink, int parts, boolean isFailing) {
            Field field = Field.newBuilder().setName("v").setType(Type.VARCHAR).build();
            if (!sink.accept(QueryResult.newBuilder().addFields(field).build())) {
                return;
            }
            byte[] value = new byte[VALUE_BYTES];
            java.util.Arrays.fill(value, (byte) 'x');
            QueryResult.Builder part = QueryResult.newBuilder();
            for (int r = 0; r < PART_ROWS; r++) {
                part.addRows(Row.newBuilder().addLengths(VALUE_BYTES).setValues(ByteString.copyFrom(value)));
            }
            QueryResult rows = part.build();
            for (int i = 0; i < parts; i++) {
                produced.incrementAndGet();
                if (!sink.accept(rows)) {
                    return;
                }
            }
            if (isFailing) {
                throw VtException.mysql(ErrorCode.UNAVAILABLE, 2013, "HY000", "shard went away", null);
            }
        }

        @Override
        public QueryResult execute(Session session, String sql, Map<String, BindVariable> params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Field> prepareFields(Session session, String sql, int paramCount) {
            return List.of();
        }

        @Override
        public QueryResult fieldList(Session session, String table) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void useDatabase(Session session, String name) {}

        @Override
        public void resetSession(Session session) {}

        @Override
        public void closeSession(Session session) {}
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new MySqlServer(MysqlServerConfig.defaults(AuthServer.none(), "mysql_native_password"), SQL, 1);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientThatDoesNotReadHoldsTheProducerBack() throws Exception {
        SQL.produced.set(0);
        try (RawClient c = RawClient.connect(port, Capabilities.CLIENT_DEPRECATE_EOF)) {
            c.socket.setReceiveBufferSize(64 * 1024);
            c.command(Command.COM_QUERY, "select many");
            int last = -1;
            while (SQL.produced.get() != last) { // until the producer stops: blocked on the client
                last = SQL.produced.get();
                Thread.sleep(200);
            }
            assertTrue(last < PARTS / 8, "produced " + last + " of " + PARTS + " parts while the client read nothing");
            assertEquals(1, c.read().payload()[0], "one column");
            c.read(); // its definition
            for (int i = 0; i < PARTS * PART_ROWS; i++) {
                Reply row = c.read();
                assertEquals(VALUE_BYTES + 3, row.payload().length, "row " + i);
            }
            Reply end = c.read();
            assertEquals(0xFE, end.header());
            assertEquals(PARTS, SQL.produced.get());
        }
    }

    @Test
    void aFailureAfterRowsWereSentEndsTheResultSetWithAnError() throws Exception {
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(Command.COM_QUERY, "select failing");
            c.read(); // column count
            c.read(); // definition
            assertEquals(0xFE, c.read().header(), "EOF after the columns");
            for (int i = 0; i < 3 * PART_ROWS; i++) {
                assertEquals(VALUE_BYTES + 3, c.read().payload().length);
            }
            Reply error = c.read();
            assertEquals(0xFF, error.header());
            assertEquals(2013, error.errno());
            assertEquals(2 + 3 * PART_ROWS + 2, error.sequenceId(), "the sequence goes on");
        }
    }

    @Test
    void aClientThatDisconnectsCancelsTheCommand() throws Exception {
        try (RawClient c = RawClient.connect(port, 0)) {
            c.command(Command.COM_QUERY, "select sleep");
            assertTrue(SQL.sleeping.await(10, TimeUnit.SECONDS));
        }
        assertTrue(SQL.cancelled.await(10, TimeUnit.SECONDS), "the command's context was cancelled");
    }
}
