package io.tessel.vttablet.server;

import static io.tessel.vttablet.server.TabletLimitsIT.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.ReleaseRequest;
import io.tessel.proto.Query.ReserveBeginExecuteRequest;
import io.tessel.proto.Query.ReserveBeginExecuteResponse;
import io.tessel.proto.Query.ReserveExecuteRequest;
import io.tessel.proto.Query.ReserveExecuteResponse;
import io.tessel.proto.Query.ReserveStreamExecuteRequest;
import io.tessel.proto.Query.ReserveStreamExecuteResponse;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reserved connections against a real MariaDB, in process and over gRPC: the pre-queries' settings hold on
 * the reserved connection and nowhere else; transactions begin on it under the same id and leave it reserved
 * when they end; release closes the MySQL connection (checked in MariaDB's processlist); a reservation idle
 * past the transaction timeout is closed by the killer.
 */
@Timeout(60)
class ReservedConnectionsIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static final String DB = "vtt_reserved";
    static final String SET_TZ = "set @@session.time_zone = '+05:00'";

    private static Connection monitor;
    private static TabletServer tablet;
    private static TabletGrpcServer server;
    private static GrpcQueryClient client;

    @BeforeAll
    static void start() throws Exception {
        db.createDatabase(DB);
        monitor = DriverManager.getConnection(db.jdbcUrl(DB));
        try (Statement s = monitor.createStatement()) {
            s.execute("create table t (id int primary key)");
        }
        tablet = new TabletServer(config().build());
        server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, "vttablet test");
        client = new GrpcQueryClient(GrpcQueryClient.channel("127.0.0.1", server.port()), "zone1-400");
    }

    @AfterAll
    static void stop() throws SQLException {
        client.close();
        server.close();
        tablet.close();
        monitor.close();
    }

    static TabletConfig.Builder config() {
        return TabletConfig.builder("zone1-400", "commerce").dbName(DB).mysql(db.host(), db.port(), db.user(),
                db.password()).pools(4, 4, 4);
    }

    private static String one(QueryService qs, long reservedId, long txId, String sql) {
        QueryResult r = qs.execute(ExecuteRequest.newBuilder().setQuery(query(sql)).setReservedId(reservedId)
                .setTransactionId(txId).build()).getResult();
        return Rows.text(r).get(0).get(0);
    }

    private static BoundQuery query(String sql) {
        return BoundQuery.newBuilder().setSql(sql).build();
    }

    private static long reserve(QueryService qs, long txId) {
        ReserveExecuteResponse r = qs.reserveExecute(ReserveExecuteRequest.newBuilder().setQuery(query("select 1"))
                .setTransactionId(txId).addPreQueries(SET_TZ).build());
        assertFalse(r.hasError(), r.getError().getMessage());
        return r.getReservedId();
    }

    private static void release(QueryService qs, long txId, long reservedId) {
        qs.release(ReleaseRequest.newBuilder().setTransactionId(txId).setReservedId(reservedId).build());
    }

    @Test
    void settingsHoldOnTheReservedConnectionOnly() throws Exception {
        for (QueryService qs : List.of(tablet, client)) {
            long id = reserve(qs, 0);
            assertEquals("+05:00", one(qs, id, 0, "select @@time_zone"));
            assertEquals("SYSTEM", one(qs, 0, 0, "select @@time_zone"), "pooled connections are untouched");
            String mysqlId = one(qs, id, 0, "select connection_id()");
            assertEquals(1, tablet.reservedConnections());
            release(qs, 0, id);
            assertEquals(0, tablet.reservedConnections());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(VtException.class,
                    () -> one(qs, id, 0, "select 1")).code());
            awaitTrue(() -> processlistHas(mysqlId) == 0); // closed, not pooled with the setting
        }
    }

    @Test
    void transactionsBeginOnTheReservedConnectionAndLeaveItReserved() {
        long id = reserve(tablet, 0);
        BeginExecuteResponse begun = tablet.beginExecute(BeginExecuteRequest.newBuilder().setReservedId(id)
                .setQuery(query("insert into t values (1)")).build());
        assertFalse(begun.hasError());
        assertEquals(id, begun.getTransactionId(), "one id for both");
        assertEquals(id, tablet.commit(CommitRequest.newBuilder().setTransactionId(id).build()).getReservedId());
        assertEquals("+05:00", one(tablet, id, 0, "select @@time_zone"), "still reserved, settings kept");
        assertEquals("1", one(tablet, 0, 0, "select count(*) from t where id = 1"), "committed");
        tablet.beginExecute(BeginExecuteRequest.newBuilder().setReservedId(id).setQuery(query("insert into t values (2)"))
                .build());
        assertEquals(id, tablet.rollback(RollbackRequest.newBuilder().setTransactionId(id).build()).getReservedId());
        assertEquals("0", one(tablet, 0, 0, "select count(*) from t where id = 2"), "rolled back");
        release(tablet, 0, id);
        assertEquals(0, tablet.reservedConnections());
    }

    @Test
    void reserveBeginExecuteAndReservingAnOpenTransaction() {
        ReserveBeginExecuteResponse r = tablet.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .addPreQueries(SET_TZ).setQuery(query("insert into t values (3)")).build());
        assertFalse(r.hasError());
        assertEquals(r.getReservedId(), r.getTransactionId());
        assertEquals("+05:00", one(tablet, r.getReservedId(), r.getTransactionId(), "select @@time_zone"));
        release(tablet, r.getTransactionId(), r.getReservedId()); // rolls back and closes
        assertEquals("0", one(tablet, 0, 0, "select count(*) from t where id = 3"));

        long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        assertEquals(tx, reserve(tablet, tx), "the transaction's connection becomes reserved");
        assertEquals(tx, tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build()).getReservedId());
        assertEquals("+05:00", one(tablet, tx, 0, "select @@time_zone"));
        assertEquals(0, tablet.activeTransactions(), "committed; still reserved");
        assertEquals(1, tablet.reservedConnections());
        release(tablet, 0, tx);
        assertEquals(0, tablet.reservedConnections());
    }

    @Test
    void aFailingPreQueryReservesNothing() {
        VtException e = assertThrows(VtException.class, () -> tablet.reserveExecute(ReserveExecuteRequest.newBuilder()
                .setQuery(query("select 1")).addPreQueries("set @@session.time_zone = 'nowhere'").build()));
        assertEquals(1298, e.errno(), "MariaDB's unknown time zone error: " + e.getMessage());
        assertEquals(0, tablet.reservedConnections());
    }

    @Test
    void aReservedStreamSendsItsIdFirst() {
        for (QueryService qs : List.of(tablet, client)) {
            List<ReserveStreamExecuteResponse> responses = new ArrayList<>();
            qs.reserveStreamExecute(ReserveStreamExecuteRequest.newBuilder().addPreQueries(SET_TZ)
                    .setQuery(query("select @@time_zone from seq_1_to_3")).build(), responses::add);
            long id = responses.get(0).getReservedId();
            assertTrue(id != 0 && !responses.get(0).hasResult());
            List<List<String>> rows = responses.stream().skip(1).flatMap(r -> Rows.text(r.getResult()).stream()).toList();
            assertEquals(List.of(List.of("+05:00"), List.of("+05:00"), List.of("+05:00")), rows);
            release(qs, 0, id);
        }
        assertEquals(0, tablet.reservedConnections());
    }

    @Test
    void anIdleReservationIsClosedAfterTheTransactionTimeout() {
        try (TabletServer shortLived = new TabletServer(config().transactionTimeout(Duration.ofMillis(300)).build())) {
            long id = reserve(shortLived, 0);
            awaitTrue(() -> shortLived.reservedConnections() == 0);
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(VtException.class,
                    () -> one(shortLived, id, 0, "select 1")).code());
        }
    }

    private static int processlistHas(String connectionId) {
        try (Statement s = monitor.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from information_schema.processlist where id = " + connectionId)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
