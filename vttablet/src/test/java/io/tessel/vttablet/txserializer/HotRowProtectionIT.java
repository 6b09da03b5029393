package io.tessel.vttablet.txserializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.server.Rows;
import io.tessel.vttablet.server.TabletServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot-row protection against a real MariaDB: transactions updating the same row by primary key take turns
 * at the tablet (MariaDB never sees the queued ones), a full row queue rejects at once, other rows pass,
 * and dry-run mode only counts.
 */
@Timeout(60)
class HotRowProtectionIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static final String DB = "vtt_hotrows";
    static final String BUMP_ONE = "update hot set v = v + 1 where id = 1";
    static Connection monitor;

    @BeforeAll
    static void open() throws SQLException {
        db.createDatabase(DB);
        monitor = DriverManager.getConnection(db.jdbcUrl(DB));
        try (Statement st = monitor.createStatement()) {
            st.execute("create table hot (id int primary key, v int)");
            st.execute("insert into hot values (1, 0), (2, 0)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        monitor.close();
    }

    static TabletServer tablet(String alias, HotRowConfig hotRows) {
        return new TabletServer(TabletConfig.builder(alias, "commerce").dbName(DB)
                .mysql(db.host(), db.port(), db.user(), db.password()).pools(4, 6, 2).hotRows(hotRows).build());
    }

    @Test
    void sameRowTransactionsAreSerializedAndOverflowIsRejected() {
        // One transaction per row at a time, at most two per row running or queued.
        try (TabletServer tablet = tablet("zone1-400", new HotRowConfig(true, false, 2, 1000, 1))) {
            int before = value(tablet, 1);
            long first = beginExecute(tablet, BUMP_ONE).getTransactionId();
            CompletableFuture<BeginExecuteResponse> second = beginExecuteAsync(tablet, BUMP_ONE);
            awaitTrue(() -> queueLength(tablet, "hot where id=1") == 2);
            assertEquals(1, tablet.stats().hotRows().waits());
            assertEquals(0, running(BUMP_ONE), "the queued update never reached MariaDB");
            assertEquals(1, tablet.activeTransactions(), "a queued transaction holds no connection");

            VtException rejected = assertThrows(VtException.class, () -> beginExecute(tablet, BUMP_ONE));
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, rejected.code());
            assertEquals("hot row protection: too many queued transactions (2 >= 2) for the same row "
                    + "(table + WHERE clause: 'hot where id=1')", rejected.getMessage());
            assertEquals(1, tablet.stats().hotRows().queueExceeded());

            long other = beginExecute(tablet, "update hot set v = v + 1 where id = 2").getTransactionId();
            commit(tablet, other); // another row is not queued

            assertFalse(second.isDone());
            commit(tablet, first);
            BeginExecuteResponse secondResponse = second.join();
            assertFalse(secondResponse.hasError(), secondResponse.getError().getMessage());
            assertEquals(1, secondResponse.getResult().getRowsAffected());
            commit(tablet, secondResponse.getTransactionId());
            assertEquals(before + 2, value(tablet, 1));
            assertEquals(List.of(), tablet.hotRows(), "every queue emptied");
        }
    }

    @Test
    void dryRunOnlyCounts() {
        try (TabletServer tablet = tablet("zone1-401", new HotRowConfig(false, true, 2, 1000, 1))) {
            int before = value(tablet, 1);
            long first = beginExecute(tablet, BUMP_ONE).getTransactionId();
            // Not queued at the tablet: these wait for the first one's row lock in MariaDB instead.
            CompletableFuture<BeginExecuteResponse> second = beginExecuteAsync(tablet, BUMP_ONE);
            CompletableFuture<BeginExecuteResponse> third = beginExecuteAsync(tablet, BUMP_ONE);
            awaitTrue(() -> running(BUMP_ONE) == 2);
            TxSerializer.Stats stats = tablet.stats().hotRows();
            assertEquals(1, stats.waitsDryRun());
            assertEquals(1, stats.queueExceededDryRun());
            assertEquals(0, stats.waits() + stats.queueExceeded());
            commit(tablet, first);
            List<CompletableFuture<BeginExecuteResponse>> waiting = new ArrayList<>(List.of(second, third));
            while (!waiting.isEmpty()) { // the one that got the row lock first must commit first
                awaitTrue(() -> waiting.stream().anyMatch(CompletableFuture::isDone));
                CompletableFuture<BeginExecuteResponse> done = waiting.stream().filter(CompletableFuture::isDone).findFirst()
                        .orElseThrow();
                assertFalse(done.join().hasError(), done.join().getError().getMessage());
                commit(tablet, done.join().getTransactionId());
                waiting.remove(done);
            }
            assertEquals(before + 3, value(tablet, 1));
        }
    }

    // ---- helpers

    static BeginExecuteResponse beginExecute(TabletServer tablet, String sql) {
        return tablet.beginExecute(BeginExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).build());
    }

    static CompletableFuture<BeginExecuteResponse> beginExecuteAsync(TabletServer tablet, String sql) {
        CompletableFuture<BeginExecuteResponse> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(beginExecute(tablet, sql));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static void commit(TabletServer tablet, long tx) {
        tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
    }

    static int value(TabletServer tablet, int id) {
        ExecuteRequest read = ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select v from hot where id = " + id)).build();
        return Integer.parseInt(Rows.text(tablet.execute(read).getResult()).get(0).get(0));
    }

    static int queueLength(TabletServer tablet, String key) {
        return tablet.hotRows().stream().filter(q -> q.key().equals(key)).mapToInt(TxSerializer.QueueLength::transactions)
                .sum();
    }

    static void awaitTrue(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** Statements in MariaDB's processlist with exactly this text. */
    static int running(String sql) {
        int n = 0;
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery("show full processlist")) {
            while (rs.next()) {
                if (sql.equals(rs.getString("Info"))) {
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }
}
