package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.mysqlctl.Mysqld;
import io.tessel.vttablet.mysqlctl.MysqldConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tablet's meters, its readiness, and its graceful stop: new work refused, open transactions finish. */
@Timeout(120)
class TabletLifecycleIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    private static TabletConfig config(String alias, String dbName) {
        return TabletConfig.builder(alias, "lifecycle").shard("-80").dbName(dbName)
                .mysql(db.host(), db.port(), db.user(), db.password()).build();
    }

    private static ExecuteRequest execute(String sql, long transactionId) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql))
                .setTransactionId(transactionId).build();
    }

    @Test
    void metersCountCallsAndPoolsAndLeaveWithTheTablet() {
        db.createDatabase("lifecycle_meters");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TabletServer tablet = new TabletServer(config("zone1-410", "lifecycle_meters"), registry)) {
            for (int i = 0; i < 5; i++) {
                tablet.execute(execute("select " + i, 0));
            }
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            tablet.execute(execute("select 1", tx));
            tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());

            assertEquals(6, registry.get("vttablet.request.duration").tags("method", "Execute", "keyspace", "lifecycle",
                    "shard", "-80").timer().count());
            assertEquals(1, registry.get("vttablet.request.duration").tag("method", "Commit").timer().count());
            assertEquals(1.0, registry.get("vttablet.serving").gauge().value());
            assertEquals(0.0, registry.get("vttablet.requests.in.flight").gauge().value());
            assertEquals(0.0, registry.get("vttablet.consolidations").functionCounter().count());
            assertEquals(0.0, registry.get("vttablet.pool.timeouts").tag("pool", "query").functionCounter().count());
            assertTrue(registry.get("vttablet.pool.idle.connections").tag("pool", "query").gauge().value() >= 1);
            String poolName = "vttablet zone1-410 lifecycle/-80 query";
            assertTrue(registry.get("hikaricp.connections").tag("pool", poolName).gauge().value() >= 1,
                    "HikariCP reports its pools");
            assertTrue(registry.get("hikaricp.connections.acquire").tag("pool", poolName).timer().count() >= 5);
        }
        assertNull(registry.find("vttablet.serving").gauge(), "closing the tablet removes its meters");
        assertNull(registry.find("vttablet.request.duration").timer());
    }

    @Test
    void stopServingRefusesNewWorkWhileOpenTransactionsFinish() throws Exception {
        db.createDatabase("lifecycle_drain");
        try (TabletServer tablet = new TabletServer(config("zone1-411", "lifecycle_drain"))) {
            tablet.execute(execute("create table t (id int primary key)", 0));
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            tablet.execute(execute("insert into t values (1)", tx));
            assertEquals(Optional.empty(), tablet.notServingReason());

            tablet.stopServing();
            assertEquals(Optional.of("tablet is shutting down"), tablet.notServingReason());
            VtException refused = assertThrows(VtException.class, () -> tablet.execute(execute("select 1", 0)));
            assertEquals(ErrorCode.CLUSTER_EVENT, refused.code());
            assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
            assertThrows(VtException.class, () -> tablet.begin(BeginRequest.getDefaultInstance()));
            assertFalse(tablet.awaitIdle(Duration.ZERO), "a transaction is still open");

            tablet.execute(execute("insert into t values (2)", tx));
            tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
            assertTrue(tablet.awaitIdle(Duration.ofSeconds(10)), "idle once the transaction committed");
        }
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl("lifecycle_drain"));
             var rs = c.createStatement().executeQuery("select count(*) from t")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1), "the transaction that drained committed both rows");
        }
    }

    @Test
    void notReadyWhileMysqlIsUnreachable() throws Exception {
        Assumptions.assumeTrue(Mysqld.isAvailable(), "needs the system's mariadbd");
        Mysqld mysql = Mysqld.start(MysqldConfig.defaults().withDatabases("lifecycle_mysql"));
        TabletConfig config = TabletConfig.builder("zone1-412", "lifecycle").dbName("lifecycle_mysql")
                .mysql(mysql.host(), mysql.port(), mysql.user(), mysql.password()).build();
        try (TabletServer tablet = new TabletServer(config)) {
            assertEquals(Optional.empty(), tablet.notServingReason());
            mysql.close();
            awaitTrue(() -> tablet.notServingReason().isPresent());
            assertEquals(Optional.of("MySQL is not reachable"), tablet.notServingReason());
        } finally {
            mysql.close();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met within 30 s");
            Thread.sleep(50); // the health check runs every second on its own thread
        }
    }
}
