package io.tessel.vttablet.server;

import static io.tessel.vttablet.server.TabletLimitsIT.awaitTrue;
import static io.tessel.vttablet.server.TabletLimitsIT.execute;
import static io.tessel.vttablet.server.TabletLimitsIT.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.pool.PoolKind;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A caller that goes away cancels its work on MariaDB: a statement whose gRPC context is cancelled, in
 * process (as vtcombo calls the tablet) or by the remote caller over gRPC, is killed with KILL QUERY and
 * leaves MariaDB's processlist, for plain executions and streams alike; a stream whose reader stops
 * reading is ended on MariaDB too. The query timeout is 30 s here, so only the cancellation can end a
 * {@code SLEEP(30)} within the test's time.
 */
@Timeout(60)
class TabletCancellationIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static final String DB = "vtt_cancel";

    private static java.sql.Connection monitor;
    private static TabletServer tablet;
    private static TabletGrpcServer server;
    private static GrpcQueryClient client;

    @BeforeAll
    static void start() throws Exception {
        db.createDatabase(DB);
        monitor = DriverManager.getConnection(db.jdbcUrl(DB));
        tablet = new TabletServer(TabletConfig.builder("zone1-300", "commerce").dbName(DB)
                .mysql(db.host(), db.port(), db.user(), db.password()).pools(4, 4, 4).build());
        server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, "vttablet test");
        client = new GrpcQueryClient(GrpcQueryClient.channel("127.0.0.1", server.port()), "zone1-300");
    }

    @AfterAll
    static void stop() throws SQLException {
        client.close();
        server.close();
        tablet.close();
        monitor.close();
    }

    @Test
    void aCancelledExecuteInProcessIsKilled() throws Exception {
        assertKilledOnCancel(tablet, "inproc-exec", sql -> execute(tablet, sql));
    }

    @Test
    void aCancelledStreamInProcessIsKilled() throws Exception {
        assertKilledOnCancel(tablet, "inproc-stream", sql -> stream(tablet, sql, r -> { }));
    }

    @Test
    void aCancelledExecuteOverGrpcIsKilled() throws Exception {
        assertKilledOnCancel(client, "grpc-exec", sql -> client.execute(request(sql, 0,
                ExecuteOptions.getDefaultInstance())));
    }

    @Test
    void aCancelledStreamOverGrpcIsKilled() throws Exception {
        assertKilledOnCancel(client, "grpc-stream", sql -> stream(client, sql, r -> { }));
    }

    @Test
    void aStreamWhoseReaderStopsIsEndedOnMariaDb() throws Exception {
        int streamsBefore = tablet.poolStats(PoolKind.STREAM).active();
        AtomicInteger chunks = new AtomicInteger();
        RuntimeException stop = new IllegalStateException("reader stops");
        // about 2 GB of rows: only stopping ends it within the test's time
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> stream(client, "select seq, repeat('x', 200) /* endless */ from seq_1_to_10000000", r -> {
                    if (chunks.incrementAndGet() == 3) {
                        throw stop;
                    }
                }));
        assertTrue(e == stop || e.getCause() == stop, e.toString());
        awaitTrue(() -> running("endless") == 0);
        awaitTrue(() -> tablet.poolStats(PoolKind.STREAM).active() == streamsBefore);
        assertEquals(3, chunks.get(), "no chunk after the reader stopped");
    }

    /** Runs {@code sql} (a SLEEP(30) marked with {@code marker}) in a context, cancels it once MariaDB runs it. */
    private static void assertKilledOnCancel(QueryService service, String marker, Consumer<String> call)
            throws Exception {
        Context.CancellableContext context = Context.current().withCancellation();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(context.wrap(() -> {
            try {
                call.accept("select sleep(30) /* " + marker + " */");
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }));
        awaitTrue(() -> running(marker) == 1);
        context.cancel(null);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, done::get);
        VtException e = assertInstanceOf(VtException.class, failure.getCause());
        assertEquals(ErrorCode.CANCELED, e.code(), e.toString());
        awaitTrue(() -> running(marker) == 0);
        assertEquals("1", Rows.text(service.execute(request("select 1", 0, ExecuteOptions.getDefaultInstance()))
                .getResult()).get(0).get(0), "the tablet keeps serving");
    }

    /** Statements in MariaDB's processlist whose text contains {@code marker}. */
    private static int running(String marker) {
        int n = 0;
        try (java.sql.Statement st = monitor.createStatement();
             java.sql.ResultSet rs = st.executeQuery("show full processlist")) {
            while (rs.next()) {
                String info = rs.getString("Info");
                n += info != null && info.contains(marker) && !info.contains("processlist") ? 1 : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    private static void stream(QueryService service, String sql, Consumer<io.tessel.proto.Query.QueryResult> sink) {
        service.streamExecute(StreamExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).build(),
                sink);
    }
}
