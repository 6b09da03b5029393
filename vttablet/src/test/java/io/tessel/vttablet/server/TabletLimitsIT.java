package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.pool.PoolKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * The tablet's limits against a real MariaDB, each checked on MariaDB's side where it can be: the query
 * timeout (KILL QUERY, the statement gone from the processlist), the transaction timeout (the transaction
 * gone from InnoDB), bounded pool waits, and the row limits (rows MariaDB sent).
 */
@Timeout(60)
class TabletLimitsIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static final String DB = "vtt_limits";
    static Connection monitor;
    static Connection locker;

    @BeforeAll
    static void open() throws SQLException {
        db.createDatabase(DB);
        monitor = DriverManager.getConnection(db.jdbcUrl(DB));
        locker = DriverManager.getConnection(db.jdbcUrl(DB));
        sql(monitor, "create table hot (id int primary key, v int)");
        sql(monitor, "insert into hot values (1, 0), (2, 0)");
        sql(monitor, "create table many (id int primary key)");
        sql(monitor, "insert into many select seq from seq_1_to_1500");
    }

    @AfterAll
    static void close() throws SQLException {
        monitor.close();
        locker.close();
    }

    static TabletConfig.Builder config() {
        return TabletConfig.builder("zone1-200", "commerce").dbName(DB).mysql(db.host(), db.port(), db.user(), db.password())
                .pools(2, 2, 2).maxResultSize(1000);
    }

    @Test
    void aQueryOverTheTimeoutIsKilledOnMariaDb() throws Exception {
        try (TabletServer tablet = new TabletServer(config().queryTimeout(Duration.ofMillis(300)).build())) {
            long kills = globalStatus("Com_kill");
            long serverTimeouts = globalStatus("Max_statement_time_exceeded");
            VtException e = assertThrows(VtException.class, () -> execute(tablet, "select sleep(30) /* killme */"));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            assertEquals(1317, e.errno(), "ER_QUERY_INTERRUPTED");
            assertEquals("70100", e.sqlState());
            assertTrue(e.getMessage().startsWith("query timed out after 300ms and was killed on MySQL (KILL QUERY "),
                    e.getMessage());
            awaitTrue(() -> running("killme") == 0);
            assertEquals(1, globalStatus("Com_kill") - kills, "the tablet sent KILL QUERY");
            assertEquals(0, globalStatus("Max_statement_time_exceeded") - serverTimeouts, "not MariaDB's own timer");
            assertEquals(1, tablet.stats().queryKills());
            assertEquals(List.of(List.of("1")), Rows.text(execute(tablet, "select 1")), "the tablet keeps serving");
        }
    }

    @Test
    void aTimedOutStatementLeavesItsTransactionOpen() {
        try (TabletServer tablet = new TabletServer(config().queryTimeout(Duration.ofMillis(300)).build())) {
            sql(monitor, "create table kept (id int primary key)");
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            execute(tablet, tx, "insert into kept values (1)");
            VtException e = assertThrows(VtException.class, () -> execute(tablet, tx, "select sleep(30)"));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            execute(tablet, tx, "insert into kept values (2)");
            tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
            assertEquals(2, execute(tablet, "select * from kept").getRowsCount());
        }
    }

    /**
     * A row lock wait ends with MySQL's 1205 at the lock wait timeout, before the query timeout would kill it:
     * the error clients retry (sysbench ignores it), and the transaction stays open, as in MySQL.
     */
    @Test
    void aRowLockWaitFailsWith1205BeforeTheQueryTimeout() throws Exception {
        try (TabletServer tablet = new TabletServer(config().queryTimeout(Duration.ofSeconds(20))
                .lockWaitTimeout(Duration.ofSeconds(1)).build());
             Connection holder = DriverManager.getConnection(db.jdbcUrl(DB))) {
            sql(monitor, "create table rowlock (id int primary key, v int)");
            sql(monitor, "insert into rowlock values (1, 0), (2, 0)");
            holder.setAutoCommit(false);
            sql(holder, "update rowlock set v = 1 where id = 2");
            long kills = globalStatus("Com_kill");
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            execute(tablet, tx, "update rowlock set v = 2 where id = 1");
            VtException e = assertThrows(VtException.class, () -> execute(tablet, tx, "update rowlock set v = 2 where id = 2"));
            assertEquals(1205, e.errno(), e.getMessage());
            assertEquals(0, globalStatus("Com_kill") - kills, "no kill");
            holder.rollback();
            execute(tablet, tx, "update rowlock set v = 3 where id = 2");
            tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
            assertEquals(List.of(List.of("1", "2"), List.of("2", "3")), Rows.text(execute(tablet, "select * from rowlock order by id")));
        }
    }

    @Test
    void anAbandonedTransactionIsRolledBackAfterTheTimeout() throws Exception {
        try (TabletServer tablet = new TabletServer(config().transactionTimeout(Duration.ofMillis(500)).build())) {
            sql(monitor, "create table abandoned (id int primary key)");
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
            execute(tablet, tx, "insert into abandoned values (1)");
            String connectionId = Rows.text(execute(tablet, tx, "select connection_id()")).get(0).get(0);
            assertEquals(1, count("select count(*) from information_schema.innodb_trx where trx_mysql_thread_id = "
                    + connectionId), "InnoDB holds the transaction");

            awaitTrue(() -> tablet.activeTransactions() == 0); // the client went away; the killer acts

            assertEquals(1, tablet.stats().transactionKills());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(VtException.class,
                    () -> tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build())).code());
            assertEquals(0, count("select count(*) from information_schema.innodb_trx where trx_mysql_thread_id = "
                    + connectionId), "no transaction left in InnoDB");
            assertEquals(0, count("select count(*) from abandoned"), "the insert was rolled back");
            assertEquals(0, tablet.poolStats(PoolKind.TRANSACTION).active(), "the connection went back to the pool");
        }
    }

    @Test
    void aFullQueryPoolFailsAfterThePoolTimeout() {
        try (TabletServer tablet = new TabletServer(config().pools(1, 1, 1).queryPoolTimeout(Duration.ofMillis(300)).build())) {
            CompletableFuture<QueryResult> holder;
            lockHot();
            try {
                holder = executeAsync(tablet, "select * from hot /* holder */");
                awaitTrue(() -> running("holder") == 1);
                VtException e = assertThrows(VtException.class, () -> execute(tablet, "select * from hot /* second */"));
                assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
                assertEquals("query pool connection limit exceeded (1 connections in use, waited 300ms)", e.getMessage());
            } finally {
                unlockHot();
            }
            assertEquals(2, holder.join().getRowsCount());
            assertEquals(1, tablet.poolStats(PoolKind.QUERY).timeouts());
        }
    }

    @Test
    void callersBeyondThePoolWaiterCapFailAtOnce() {
        TabletConfig config = config().pools(1, 1, 1).queryPoolTimeout(Duration.ofSeconds(50)).waiterCaps(1, 1).build();
        try (TabletServer tablet = new TabletServer(config)) {
            CompletableFuture<QueryResult> holder;
            CompletableFuture<QueryResult> waiter;
            lockHot();
            try {
                holder = executeAsync(tablet, "select * from hot /* holder2 */");
                awaitTrue(() -> running("holder2") == 1);
                waiter = executeAsync(tablet, "select * from hot /* waiter */");
                awaitTrue(() -> tablet.poolStats(PoolKind.QUERY).waiting() == 1);
                // The pool timeout is 50 s: only the waiter cap can make this fail before the test's timeout.
                VtException e = assertThrows(VtException.class, () -> execute(tablet, "select * from hot /* third */"));
                assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
                assertEquals("query pool waiter count exceeded: 1 callers already wait for one of its 1 connections "
                        + "(waiter cap 1)", e.getMessage());
            } finally {
                unlockHot();
            }
            assertEquals(2, holder.join().getRowsCount());
            assertEquals(2, waiter.join().getRowsCount(), "the caller within the cap got its connection");
            assertEquals(1, tablet.stats().pools().get(PoolKind.QUERY).waiterCapRejections());
        }
    }

    @Test
    void aResultOverTheRowLimitFailsWithoutMariaDbSendingTheRest() throws Exception {
        try (TabletServer tablet = new TabletServer(config().build())) {
            long rowsSent = globalStatus("Rows_sent");
            VtException e = assertThrows(VtException.class, () -> execute(tablet, "select seq from seq_1_to_1000000"));
            long sent = globalStatus("Rows_sent") - rowsSent;
            assertEquals(10001, e.errno());
            assertEquals("Row count exceeded 1000", e.getMessage());
            assertTrue(sent <= 1001 + 2, "MariaDB sent " + sent + " rows, not a million");
            assertEquals(1, tablet.stats().resultsOverMax());
        }
    }

    @Test
    void resultsOverTheWarnSizeAreCounted() {
        try (TabletServer tablet = new TabletServer(config().warnResultSize(5).build())) {
            assertEquals(5, execute(tablet, "select * from many where id <= 5").getRowsCount());
            assertEquals(0, tablet.stats().resultsOverWarn());
            assertEquals(6, execute(tablet, "select * from many where id <= 6").getRowsCount());
            assertEquals(1, tablet.stats().resultsOverWarn());
        }
    }

    @Test
    void statementsWithTheirOwnLimitPutTheSessionLimitBack() {
        try (TabletServer tablet = new TabletServer(config().consolidator(ConsolidatorConfig.disabled()).build())) {
            long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId(); // one connection throughout
            List<List<String>> sessionLimit = List.of(List.of("1001"));
            assertEquals(sessionLimit, Rows.text(execute(tablet, tx, "select @@sql_select_limit")));

            ExecuteOptions two = ExecuteOptions.newBuilder().setSqlSelectLimit(2).build();
            assertEquals(2, tablet.execute(request("select * from many", tx, two)).getResult().getRowsCount());
            assertEquals(sessionLimit, Rows.text(execute(tablet, tx, "select @@sql_select_limit")));

            ExecuteOptions olap = ExecuteOptions.newBuilder().setWorkload(Workload.OLAP).build();
            assertEquals(1500, tablet.execute(request("select * from many", tx, olap)).getResult().getRowsCount());
            assertEquals(sessionLimit, Rows.text(execute(tablet, tx, "select @@sql_select_limit")));

            List<QueryResult> chunks = new ArrayList<>();
            tablet.streamExecute(StreamExecuteRequest.newBuilder().setTransactionId(tx)
                    .setQuery(BoundQuery.newBuilder().setSql("select * from many")).build(), chunks::add);
            assertEquals(1500, chunks.stream().mapToInt(QueryResult::getRowsCount).sum(), "streams have no row limit");
            assertEquals(sessionLimit, Rows.text(execute(tablet, tx, "select @@sql_select_limit")));

            assertThrows(VtException.class, () -> execute(tablet, tx, "select * from no_such_table"));
            assertEquals(sessionLimit, Rows.text(execute(tablet, tx, "select @@sql_select_limit")));
            tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
        }
    }

    // ---- helpers

    static ExecuteRequest request(String sql, long tx, ExecuteOptions options) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).setTransactionId(tx)
                .setOptions(options).build();
    }

    static QueryResult execute(TabletServer tablet, String sql) {
        return execute(tablet, 0, sql);
    }

    static QueryResult execute(TabletServer tablet, long tx, String sql) {
        return tablet.execute(request(sql, tx, ExecuteOptions.getDefaultInstance())).getResult();
    }

    static CompletableFuture<QueryResult> executeAsync(TabletServer tablet, String sql) {
        CompletableFuture<QueryResult> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(execute(tablet, sql));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static void awaitTrue(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(5_000_000);
        }
    }

    static void lockHot() {
        sql(locker, "lock tables hot write");
    }

    static void unlockHot() {
        sql(locker, "unlock tables");
    }

    /** Statements in MariaDB's processlist whose text contains {@code marker}. */
    static int running(String marker) {
        int n = 0;
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery("show full processlist")) {
            while (rs.next()) {
                String info = rs.getString("Info");
                if (info != null && info.contains(marker) && !info.contains("processlist")) {
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

    static long count(String query) throws SQLException {
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void sql(Connection c, String statement) {
        try (Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
