package io.tessel.vttablet.consolidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
import io.tessel.vttablet.DebugPages;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.server.Rows;
import io.tessel.vttablet.server.TabletServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Query consolidation against a real MariaDB. The reads call {@code executed(marker)}, a stored function
 * that inserts a row per execution, so MariaDB itself counts how often a read ran. While the callers
 * arrive the test holds {@code LOCK TABLES hot WRITE}, so the reads are slow, stuck in MariaDB waiting
 * for the table, until it lets them go: no timing decides the outcome.
 */
@Timeout(60)
class ConsolidatorIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static final String DB = "vtt_consolidator";
    static TabletServer tablet;
    static Connection locker;
    static Connection monitor;

    @BeforeAll
    static void open() throws SQLException {
        db.createDatabase(DB);
        locker = DriverManager.getConnection(db.jdbcUrl(DB));
        monitor = DriverManager.getConnection(db.jdbcUrl(DB));
        sql("create table hot (id int primary key, v varchar(20))");
        sql("insert into hot values (1, 'one'), (2, 'two')");
        sql("create table executions (n int auto_increment primary key, marker varchar(40))");
        sql("create function executed(m varchar(40)) returns int modifies sql data "
                + "begin insert into executions (marker) values (m); return 0; end");
        tablet = new TabletServer(config("zone1-300").build());
    }

    static TabletConfig.Builder config(String alias) {
        return TabletConfig.builder(alias, "commerce").dbName(DB).mysql(db.host(), db.port(), db.user(), db.password())
                .pools(4, 2, 2);
    }

    @AfterAll
    static void close() throws SQLException {
        if (tablet != null) {
            tablet.close();
        }
        locker.close();
        monitor.close();
    }

    @Test
    void fiftyConcurrentIdenticalSlowReadsExecuteOnceOnMariaDb() throws Exception {
        String sql = "select id, v, sleep(0.1), executed('fifty') from hot where id = 1";
        long comSelect = globalStatus("Com_select");
        List<CompletableFuture<QueryResult>> reads;
        lockHot();
        try {
            reads = start(tablet, sql, 50, ExecuteOptions.getDefaultInstance());
            awaitTrue(() -> tablet.stats().consolidatorWaiters() == 49 && running("executed('fifty')") >= 1);
            assertEquals(1, running("executed('fifty')"), "one execution in MariaDB's processlist for 50 callers");
        } finally {
            unlockHot();
        }
        for (CompletableFuture<QueryResult> read : reads) {
            assertEquals(List.of(List.of("1", "one", "0", "0")), text(read.join()));
        }
        assertEquals(1, globalStatus("Com_select") - comSelect, "MariaDB counted one SELECT");
        assertEquals(1, executions("fifty"), "the read's function ran once");
        assertTrue(tablet.stats().consolidations() >= 49);
        assertEquals(0, tablet.stats().consolidatorWaiters());

        try (Metrics metrics = Metrics.none();
             DaemonHttpServer pages = DaemonHttpServer.start("127.0.0.1", 0, new Readiness(), metrics, "vttablet test");
             HttpClient http = HttpClient.newHttpClient()) {
            DebugPages.addTo(pages, DebugPages.Pages.of(tablet));
            String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pages.port()
                    + "/debug/consolidations")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            assertTrue(page.startsWith("49: " + sql + "\n"), page);
        }
    }

    @Test
    void everyCallerGetsTheSharedError() {
        String sql = "select no_such_column, executed('error') from hot";
        List<CompletableFuture<QueryResult>> reads;
        lockHot();
        try {
            reads = start(tablet, sql, 10, ExecuteOptions.getDefaultInstance());
            awaitTrue(() -> tablet.stats().consolidatorWaiters() == 9 && running("executed('error')") >= 1);
            assertEquals(1, running("executed('error')"));
        } finally {
            unlockHot();
        }
        for (CompletableFuture<QueryResult> read : reads) {
            VtException e = failure(read);
            assertEquals(1054, e.errno());
            assertEquals("42S22", e.sqlState());
        }
    }

    @Test
    void callersOverTheWaiterCapRunTheirOwnRead() {
        String sql = "select v, executed('capped') from hot where id = 2";
        try (TabletServer capped = new TabletServer(config("zone1-301")
                .consolidator(new ConsolidatorConfig(true, false, 2)).build())) {
            List<CompletableFuture<QueryResult>> reads;
            lockHot();
            try {
                reads = start(capped, sql, 5, ExecuteOptions.getDefaultInstance());
                awaitTrue(() -> capped.stats().consolidatorOverCap() == 2 && running("executed('capped')") >= 3);
                assertEquals(2, capped.stats().consolidatorWaiters());
                assertEquals(3, running("executed('capped')"), "the first caller and the two over the cap");
            } finally {
                unlockHot();
            }
            reads.forEach(r -> assertEquals(List.of(List.of("two", "0")), text(r.join())));
            assertEquals(3, executions("capped"));
        }
    }

    @Test
    void disabledByTheRequestOrInsideTransactionsEveryReadRuns() {
        String sql = "select v, executed('own') from hot where id = 2";
        ExecuteOptions disabled = ExecuteOptions.newBuilder()
                .setConsolidator(ExecuteOptions.Consolidator.CONSOLIDATOR_DISABLED).build();
        long txA = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        long txB = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        List<CompletableFuture<QueryResult>> reads;
        lockHot();
        try {
            reads = new ArrayList<>(start(tablet, sql, 2, disabled));
            reads.add(startOne(tablet, request(sql, ExecuteOptions.getDefaultInstance()).setTransactionId(txA).build()));
            reads.add(startOne(tablet, request(sql, ExecuteOptions.getDefaultInstance()).setTransactionId(txB).build()));
            awaitTrue(() -> running("executed('own')") >= 4);
            assertEquals(0, tablet.stats().consolidatorWaiters());
        } finally {
            unlockHot();
        }
        reads.forEach(r -> assertEquals(List.of(List.of("two", "0")), text(r.join())));
        tablet.rollback(RollbackRequest.newBuilder().setTransactionId(txA).build());
        tablet.rollback(RollbackRequest.newBuilder().setTransactionId(txB).build());
        assertEquals(2, executions("own"), "the transactions' function calls were rolled back; the two others ran");
    }

    // ---- helpers

    static ExecuteRequest.Builder request(String sql, ExecuteOptions options) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).setOptions(options);
    }

    static List<CompletableFuture<QueryResult>> start(TabletServer t, String sql, int n, ExecuteOptions options) {
        List<CompletableFuture<QueryResult>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(startOne(t, request(sql, options).build()));
        }
        return out;
    }

    static CompletableFuture<QueryResult> startOne(TabletServer t, ExecuteRequest request) {
        CompletableFuture<QueryResult> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(t.execute(request).getResult());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static VtException failure(CompletableFuture<QueryResult> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof VtException v) {
                return v;
            }
            throw e;
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    static List<List<String>> text(QueryResult r) {
        return Rows.text(r);
    }

    static void awaitTrue(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(5_000_000);
        }
    }

    static void lockHot() {
        try (Statement st = locker.createStatement()) {
            st.execute("lock tables hot write");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void unlockHot() {
        try (Statement st = locker.createStatement()) {
            st.execute("unlock tables");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Statements in MariaDB's processlist whose text contains {@code marker} (SHOW, so no Com_select). */
    static int running(String marker) {
        int n = 0;
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery("show full processlist")) {
            while (rs.next()) {
                String info = rs.getString("Info");
                if (info != null && info.contains(marker)) {
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    static long globalStatus(String name) throws SQLException {
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery("show global status like '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    static int executions(String marker) {
        try (Statement st = monitor.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from executions where marker = '" + marker + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String statement) throws SQLException {
        try (Statement st = monitor.createStatement()) {
            st.execute(statement);
        }
    }
}
