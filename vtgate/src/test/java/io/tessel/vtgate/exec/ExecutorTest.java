package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.StaticGateway;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The executor's statement handling and transaction bookkeeping, against recording fake tablets. */
class ExecutorTest {
    private final FakeQueryService commerce = new FakeQueryService();
    private final FakeQueryService sharded = new FakeQueryService();
    private final StaticGateway gateway = StaticGateway.builder()
            .tablet("commerce", "0", TabletType.PRIMARY, commerce)
            .tablet("customer", "-80", TabletType.PRIMARY, sharded)
            .tablet("customer", "80-", TabletType.PRIMARY, sharded)
            .build();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26);
    private final Session session = executor.newSession(1, "root", List.of());

    private static String value(QueryResult r, int column) {
        return cell(r, column);
    }

    static String cell(QueryResult r, int column) {
        int offset = 0;
        for (int i = 0; i < column; i++) {
            offset += (int) Math.max(0, r.getRows(0).getLengths(i));
        }
        long len = r.getRows(0).getLengths(column);
        return len < 0 ? null : r.getRows(0).getValues().substring(offset, offset + (int) len).toStringUtf8();
    }

    @Test
    void transactionJoinsLazilyAndCommitsOnce() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "begin");
        assertTrue(session.isInTransaction());
        assertEquals(List.of(), commerce.calls, "BEGIN alone does not reach the tablet");
        executor.query(session, "insert into t values (1)");
        executor.query(session, "update t set a = 2");
        executor.query(session, "commit");
        assertEquals(List.of("beginExecute insert into t values (1) -> tx=100", "execute update t set a = 2 tx=100",
                "commit tx=100"), commerce.calls);
        assertFalse(session.isInTransaction());
        assertTrue(session.shardSessions().isEmpty());
    }

    @Test
    void aDeadlockOnOneShardRollsTheWholeTransactionBackAndLeavesIt() {
        FakeQueryService low = new FakeQueryService();
        FakeQueryService high = new FakeQueryService();
        StaticGateway twoShards = StaticGateway.builder().tablet("ks", "-80", TabletType.PRIMARY, low)
                .tablet("ks", "80-", TabletType.PRIMARY, high).build();
        Executor exec = new Executor(twoShards, twoShards, "8.0.40-Tessel", 1 << 26);
        Session s = exec.newSession(2, "root", List.of());
        exec.useDatabase(s, "ks:-80");
        exec.query(s, "begin");
        exec.query(s, "update t set a = 1 where id = 1");
        exec.useDatabase(s, "ks:80-");
        high.failures.put("update t set a = 2 where id = 2", VtException.mysql(io.tessel.common.errors.ErrorCode.ABORTED,
                1213, "40001", "Deadlock found when trying to get lock; try restarting transaction", null));
        exec.query(s, "select 1 from t");
        VtException e = assertThrows(VtException.class, () -> exec.query(s, "update t set a = 2 where id = 2"));
        assertEquals(1213, e.errno());
        assertFalse(s.isInTransaction(), "MySQL leaves the transaction after a deadlock");
        assertTrue(s.shardSessions().isEmpty());
        assertEquals(List.of("beginExecute update t set a = 1 where id = 1 -> tx=100", "rollback tx=100"), low.calls);
        assertEquals(List.of("beginExecute select 1 from t -> tx=100", "execute update t set a = 2 where id = 2 tx=100",
                "rollback tx=100"), high.calls);
        exec.query(s, "begin"); // no dead transaction id to commit
        exec.query(s, "commit");
        assertEquals(3, high.calls.size());
    }

    @Test
    void introspectionGoesToTheKeyspaceItNames() {
        executor.useDatabase(session, "customer");
        executor.query(session, "show full tables from commerce like 'p%'");
        executor.query(session, "show columns from commerce.product");
        executor.query(session, "select table_name from information_schema.tables where table_schema = 'commerce'");
        executor.query(session, "show columns from customer"); // a table named like the keyspace
        assertEquals(List.of("execute show full tables from commerce like 'p%' tx=0",
                "execute show columns from commerce.product tx=0",
                "execute select table_name from information_schema.tables where table_schema = 'commerce' tx=0"),
                commerce.calls);
        assertEquals(List.of("execute show columns from customer tx=0"), sharded.calls, "the session's keyspace");
    }

    @Test
    void aSchemataListingIsAnsweredByEveryKeyspace() {
        executor.useDatabase(session, "customer");
        QueryResult r = executor.query(session, "SELECT SCHEMA_NAME AS TABLE_CAT FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY 1");
        assertEquals(1, r.getRowsCount(), "equal rows merged");
        assertEquals(List.of("execute SELECT SCHEMA_NAME AS TABLE_CAT FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY 1 tx=0"),
                commerce.calls);
        assertEquals(1, sharded.calls.size(), "one shard of the sharded keyspace");
        assertTrue(Introspection.isSchemataListing("select schema_name from information_schema.schemata"));
        assertFalse(Introspection.isSchemataListing("select * from information_schema.schemata where schema_name = 'x'"));
        assertFalse(Introspection.isSchemataListing("select * from information_schema.schemata where schema_name = database()"));
        assertFalse(Introspection.isSchemataListing("select * from information_schema.tables"));
    }

    @Test
    void shardWarningsReachTheResultShowWarningsAndWarningCount() {
        executor.useDatabase(session, "commerce");
        commerce.warnings.put("select cast('1x' as signed) from t", io.tessel.proto.Query.QueryWarning.newBuilder()
                .setCode(1292).setMessage("Truncated incorrect INTEGER value: '1x'").build());
        assertEquals(1, executor.query(session, "select cast('1x' as signed) from t").getWarningsCount());
        QueryResult shown = executor.query(session, "show warnings");
        assertEquals(List.of("Level", "Code", "Message"), shown.getFieldsList().stream().map(f -> f.getName()).toList());
        assertEquals("Warning|1292|Truncated incorrect INTEGER value: '1x'",
                cell(shown, 0) + "|" + cell(shown, 1) + "|" + cell(shown, 2));
        assertEquals("1", value(executor.query(session, "select @@warning_count"), 0), "reading them keeps them");
        assertEquals("1", value(executor.query(session, "show count(*) warnings"), 0));
        assertEquals(0, executor.query(session, "select 1 from t").getWarningsCount());
        assertEquals(0, executor.query(session, "show warnings").getRowsCount(), "the next statement cleared them");

        commerce.failures.put("select nope from t", VtException.mysql(io.tessel.common.errors.ErrorCode.NOT_FOUND,
                1054, "42S22", "Unknown column 'nope' in 'field list'", null));
        assertThrows(VtException.class, () -> executor.query(session, "select nope from t"));
        QueryResult errors = executor.query(session, "show errors");
        assertEquals("Error|1054", cell(errors, 0) + "|" + cell(errors, 1));
        assertEquals("1", value(executor.query(session, "select @@error_count"), 0));
    }

    @Test
    void autocommitOffOpensATransactionAtTheFirstStatement() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "set autocommit = 0");
        executor.query(session, "select 1 from t");
        assertTrue(session.isInTransaction());
        executor.query(session, "rollback");
        executor.query(session, "set autocommit=1");
        executor.query(session, "select 1 from t");
        assertEquals(List.of("beginExecute select 1 from t -> tx=100", "rollback tx=100", "execute select 1 from t tx=0"),
                commerce.calls);
    }

    @Test
    void ddlCommitsTheOpenTransactionFirstAndCloseRollsBack() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "start transaction");
        executor.query(session, "insert into t values (1)");
        executor.query(session, "create table u (id int)");
        executor.query(session, "begin");
        executor.query(session, "delete from t");
        executor.closeSession(session);
        assertEquals(List.of("beginExecute insert into t values (1) -> tx=100", "commit tx=100",
                "execute create table u (id int) tx=0", "beginExecute delete from t -> tx=101", "rollback tx=101"),
                commerce.calls);
    }

    @Test
    void systemVariablesAreAnsweredLocallyAndTheRestByTheTablet() {
        QueryResult r = executor.query(session, "select @@version_comment limit 1");
        assertEquals("@@version_comment", r.getFields(0).getName());
        assertEquals("Tessel", value(r, 0));
        r = executor.query(session, "SELECT @@session.autocommit AS ac, @@sql_mode, database()");
        assertEquals(List.of("ac", "@@sql_mode", "database()"), r.getFieldsList().stream().map(f -> f.getName()).toList());
        assertEquals("1", value(r, 0));
        assertEquals("tablet", value(r, 1));
        assertEquals(null, value(r, 2));
        assertEquals(List.of("execute select @@sql_mode tx=0"), commerce.calls);
    }

    @Test
    void olapSessionsStreamTheirSelectsOutsideTransactions() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "set workload = 'olap'");
        assertEquals("OLAP", value(executor.query(session, "select @@workload"), 0));
        java.util.List<QueryResult> parts = new java.util.ArrayList<>();
        executor.streamQuery(session, "select v from t", parts::add);
        assertEquals(2, parts.size(), "the tablet's parts as they came");
        assertEquals("tablet", value(parts.get(1), 0));
        io.tessel.vtgate.insights.QueryInsights.Snapshot streamed = executor.insights().snapshots().stream()
                .filter(q -> q.pattern().equals("select v from t")).findFirst().orElseThrow();
        assertEquals(1, streamed.count(), "a streamed statement counts in the insights");
        assertEquals(1, streamed.rowsReturned());
        executor.query(session, "begin");
        parts.clear();
        executor.streamQuery(session, "select v from t", parts::add);
        assertEquals(1, parts.size(), "in a transaction the shard's result is read whole");
        executor.query(session, "commit");
        executor.query(session, "set workload = oltp");
        parts.clear();
        executor.streamQuery(session, "select v from t", parts::add);
        assertEquals(List.of("stream select v from t OLAP", "beginExecute select v from t -> tx=100", "commit tx=100",
                "execute select v from t tx=0"), commerce.calls);
        assertEquals("OLTP", value(executor.query(session, "select @@workload"), 0));
    }

    @Test
    void aReservationOnAStoppingTabletIsMadeAgain() {
        executor.useDatabase(session, "commerce");
        commerce.answers.put("select '+05:00', @@session.time_zone", FakeQueryService.values("+05:00", "SYSTEM"));
        executor.query(session, "set time_zone = '+05:00'");
        executor.query(session, "select v from t");
        commerce.failures.put("select v from t", VtException.of(ErrorCode.CLUSTER_EVENT,
                "tablet is shutting down, not serving new queries"));
        executor.query(session, "select v from t");
        assertEquals(List.of(
                "execute select '+05:00', @@session.time_zone tx=0",
                "reserveExecute [set @@session.time_zone = '+05:00'] set @@session.time_zone = '+05:00' tx=0 -> rs=100",
                "execute select v from t tx=0 rs=100",
                "execute select v from t tx=0 rs=100", // refused: the tablet is stopping
                "reserveExecute [set @@session.time_zone = '+05:00'] select v from t tx=0 -> rs=101"), commerce.calls);
    }

    @Test
    void settingsGoToReservedConnectionsAndUserVariablesStayInTheSession() {
        executor.useDatabase(session, "commerce");
        commerce.answers.put("select '+05:00', @@session.time_zone", FakeQueryService.values("+05:00", "SYSTEM"));
        commerce.answers.put("select 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES', @@session.sql_mode",
                FakeQueryService.values("ANSI_QUOTES,NO_BACKSLASH_ESCAPES", "STRICT_TRANS_TABLES"));
        VtException noEscapes = assertThrows(VtException.class,
                () -> executor.query(session, "set sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'"));
        assertEquals(1235, noEscapes.errno(), "bind variables are quoted with backslash escapes");
        commerce.calls.clear();
        commerce.answers.put("select 'STRICT_TRANS_TABLES', @@session.sql_mode",
                FakeQueryService.values("STRICT_TRANS_TABLES", "STRICT_TRANS_TABLES"));
        executor.query(session, "set sql_mode = 'STRICT_TRANS_TABLES'"); // the default again: nothing to reserve
        assertFalse(session.isReserved());
        executor.query(session, "set time_zone = '+05:00', @x = 5, @s = 'it''s'");
        assertTrue(session.isReserved());
        executor.query(session, "select v from t");
        executor.query(session, "begin");
        executor.query(session, "insert into t (v) values (@s)");
        executor.query(session, "commit");
        executor.query(session, "select @x, @never from t");
        executor.closeSession(session);
        assertEquals(List.of(
                "execute select 'STRICT_TRANS_TABLES', @@session.sql_mode tx=0",
                "execute select '+05:00', @@session.time_zone tx=0",
                "reserveExecute [set @@session.time_zone = '+05:00'] set @@session.time_zone = '+05:00' tx=0 -> rs=100",
                "execute select v from t tx=0 rs=100",
                "beginExecute insert into t (v) values ('it\\'s') rs=100 -> tx=100",
                "commit tx=100",
                "execute select 5 as `@x`, null as `@never` from t tx=0 rs=100",
                "release tx=0 rs=100"), commerce.calls);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "set workload = 'fast' | 1231 | 42000",
        "use nope | 1049 | 42000",
        "set sql_log_bin = 0 | 1235 | 42000",
        "set @x := 1 + (select @y := 2) | 1235 | 42000",
        "set global max_connections = 10 | 1235 | 42000",
        "set autocommit = 'maybe' | 1231 | 42000"})
    void refusedStatementsNameTheProblem(String sql, int errno, String sqlState) {
        VtException e = assertThrows(VtException.class, () -> executor.query(session, sql));
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(sqlState, e.sqlState());
    }

    @Test
    void noDatabaseWithSeveralKeyspacesAndShardedKeyspaceWithoutVSchemaAreRefused() {
        VtException none = assertThrows(VtException.class, () -> executor.query(session, "select * from t"));
        assertEquals(1046, none.errno());
        executor.useDatabase(session, "customer");
        VtException sharded = assertThrows(VtException.class, () -> executor.query(session, "select * from t"));
        assertEquals(1105, sharded.errno()); // two shards but no VSchema saying how rows are sharded
        assertTrue(sharded.getMessage().contains("no sharded VSchema"), sharded.getMessage());
        executor.useDatabase(session, "customer:-80");
        executor.query(session, "select * from t");
        assertEquals(List.of("execute select * from t tx=0"), this.sharded.calls);
    }

    @Test
    void systemVariablesOnAShardedKeyspaceGoToItsFirstShard() {
        executor.useDatabase(session, "customer"); // as a driver connecting with database=customer does
        executor.query(session, "select @@sql_mode");
        executor.query(session, "set names utf8mb4");
        assertEquals(List.of("execute select @@sql_mode tx=0"), sharded.calls);
        assertEquals(List.of(), commerce.calls);
    }

    @Test
    void aParenthesizedSelectIsPlanned() {
        executor.useDatabase(session, "customer"); // sharded without a VSchema: the planner refuses, a shard would not
        VtException e = assertThrows(VtException.class,
                () -> executor.query(session, "(select * from t limit 1) union all (select * from t limit 1)"));
        assertTrue(e.getMessage().contains("no sharded VSchema"), e.getMessage());
    }

    @Test
    void showDatabasesListsKeyspacesAndFoundRowsReachTheTablet() {
        QueryResult r = executor.query(session, "show databases");
        assertEquals(2, r.getRowsCount());
        session.setClientFoundRows(true);
        executor.useDatabase(session, "commerce");
        executor.query(session, "update t set a = a");
        assertEquals(List.of("execute update t set a = a tx=0 found_rows"), commerce.calls);
    }

    @Test
    void vtgateAnswersVitessShowStatementsAndExplainsPlansWithoutRunningThem() {
        QueryResult shards = executor.query(session, "show vitess_shards");
        assertEquals(List.of("commerce/0", "customer/-80", "customer/80-"),
                shards.getRowsList().stream().map(r -> r.getValues().toStringUtf8()).toList());
        executor.useDatabase(session, "commerce");
        assertEquals("commerce", value(executor.query(session, "show vitess_target"), 0));
        assertEquals("0", value(executor.query(session, "select last_insert_id()"), 0));
        String plan = value(executor.query(session, "vexplain plan select * from t where a = 1"), 0);
        assertTrue(plan.contains("\"Variant\" : \"Unsharded\""), plan);
        assertEquals(List.of(), commerce.calls, "neither SHOW nor VEXPLAIN reached the tablet");
    }

    @Test
    void useOfATabletTypeAloneKeepsTheKeyspace() {
        executor.useDatabase(session, "customer:-80");
        executor.query(session, "use @replica");
        assertEquals("customer:-80@replica", session.targetString());
        executor.query(session, "use `@primary`");
        assertEquals("customer:-80@primary", session.targetString());
    }

    @Test
    void singleTransactionModeRefusesASecondShardAndRollsBack() {
        executor.query(session, "set transaction_mode = 'single'");
        assertEquals("SINGLE", value(executor.query(session, "select @@transaction_mode"), 0));
        executor.useDatabase(session, "customer:-80");
        executor.query(session, "begin");
        executor.query(session, "insert into t values (1)");
        executor.useDatabase(session, "customer:80-");
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "insert into t values (2)"));
        assertTrue(e.getMessage().startsWith("multi-db transaction attempted"), e.getMessage());
        assertFalse(session.isInTransaction());
        assertEquals(List.of("beginExecute insert into t values (1) -> tx=100", "beginExecute insert into t values (2) -> tx=101",
                "rollback tx=100", "rollback tx=101"), sharded.calls);
        executor.query(session, "set transaction_mode = 'twopc'");
        assertEquals("TWOPC", value(executor.query(session, "select @@transaction_mode"), 0));
        VtException bad = assertThrows(VtException.class, () -> executor.query(session, "set transaction_mode = 'xa'"));
        assertEquals(1231, bad.errno());
        executor.query(session, "set transaction_mode = 'multi'");
        assertEquals("MULTI", value(executor.query(session, "select @@transaction_mode"), 0));
    }

    @Test
    void plannedStatementsAreCountedPerPatternInQueryInsights() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "select * from t where a = 1");
        executor.query(session, "select * from t where a = 2");
        var stats = executor.insights().snapshots();
        assertEquals(1, stats.size());
        assertEquals("select * from t where a = :vtg1", stats.getFirst().pattern());
        assertEquals(2, stats.getFirst().count());
        assertEquals(2, stats.getFirst().shardQueries());
    }
}
