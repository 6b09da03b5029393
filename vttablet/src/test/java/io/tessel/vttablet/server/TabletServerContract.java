package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.IncludedFields;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Vtrpc.Code;
import io.tessel.vttablet.TabletConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestInstance;

/**
 * Checks every MySQL flavour must pass through {@link TabletServer}: raw row bytes and field metadata,
 * DML results, transactions, and MySQL errors passing through unchanged. Subclasses say where the server
 * is ({@code TabletServerIT}: private MariaDB; {@code TabletServerMysql8IT}: a Testcontainers MySQL 8).
 */
@Timeout(60) // a hang fails the test instead of the build
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TabletServerContract {
    static final String KEYSPACE = "commerce";

    protected TabletServer tablet;
    protected String dbName;

    protected abstract String host();

    protected abstract int port();

    protected abstract String user();

    protected abstract String password();

    /** Creates an empty database. */
    protected abstract void createDatabase(String name);

    /** The tablet this class tests; subclasses may change the defaults. */
    protected TabletConfig.Builder tabletConfig(String db) {
        return TabletConfig.builder("zone1-100", KEYSPACE).dbName(db).mysql(host(), port(), user(), password());
    }

    @BeforeAll
    void openTablet() {
        dbName = "vtt_" + getClass().getSimpleName().toLowerCase();
        createDatabase(dbName);
        tablet = new TabletServer(tabletConfig(dbName).build());
    }

    @AfterAll
    void closeTablet() {
        if (tablet != null) {
            tablet.close();
        }
    }

    // ---- helpers

    static ExecuteRequest request(String sql, long txId, ExecuteOptions options) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).setTransactionId(txId)
                .setOptions(options).build();
    }

    QueryResult execute(String sql) {
        return execute(0, sql);
    }

    QueryResult execute(long txId, String sql) {
        return tablet.execute(request(sql, txId, ExecuteOptions.getDefaultInstance())).getResult();
    }

    QueryResult executeAll(String sql) {
        ExecuteOptions all = ExecuteOptions.newBuilder().setIncludedFields(IncludedFields.ALL).build();
        return tablet.execute(request(sql, 0, all)).getResult();
    }

    long begin() {
        return tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
    }

    void commit(long txId) {
        tablet.commit(CommitRequest.newBuilder().setTransactionId(txId).build());
    }

    void rollback(long txId) {
        tablet.rollback(RollbackRequest.newBuilder().setTransactionId(txId).build());
    }

    static VtException failure(Runnable call) {
        return assertThrows(VtException.class, call::run);
    }

    // ---- checks

    @Test
    void selectReturnsRawTextBytesAndFieldMetadata() {
        execute("create table types (id int not null primary key, i int, u int unsigned, b bigint, d decimal(10,3),"
                + " dt date, ts datetime(6), t time, bt bit(8), bl blob, vc varchar(20), c char(3), e enum('a','b'),"
                + " f double, n int)");
        execute("insert into types values (1, -42, 4294967295, -9223372036854775808, -12345.670, '2024-02-29',"
                + " '2024-02-29 23:59:59.123450', '-838:59:59', b'10100101', x'00FF0A27', 'héllo', 'ab', 'b', 1.5, null)");
        QueryResult r = executeAll("select * from types");

        assertEquals(1, r.getRowsCount());
        List<byte[]> v = Rows.bytes(r.getRows(0));
        assertEquals(List.of("1", "-42", "4294967295", "-9223372036854775808", "-12345.670", "2024-02-29",
                "2024-02-29 23:59:59.123450", "-838:59:59"), Rows.text(r.getRows(0)).subList(0, 8));
        assertArrayEquals(new byte[] {(byte) 0xA5}, v.get(8));
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x0A, 0x27}, v.get(9));
        assertEquals(List.of("héllo", "ab", "b", "1.5"), Rows.text(r.getRows(0)).subList(10, 14));
        assertEquals(null, v.get(14));
        assertEquals(-1, r.getRows(0).getLengths(14));

        assertEquals(List.of(Type.INT32, Type.INT32, Type.UINT32, Type.INT64, Type.DECIMAL, Type.DATE, Type.DATETIME,
                Type.TIME, Type.BIT, Type.BLOB, Type.VARCHAR, Type.CHAR, Type.ENUM, Type.FLOAT64, Type.INT32),
                r.getFieldsList().stream().map(Field::getType).toList());
        Field id = r.getFields(0);
        assertEquals("id", id.getName());
        assertEquals("types", id.getTable());
        assertEquals("types", id.getOrgTable());
        assertEquals(dbName, id.getDatabase());
        assertEquals("id", id.getOrgName());
        assertEquals(63, id.getCharset());
        assertEquals(1 | 2, id.getFlags() & 3, "NOT_NULL_FLAG | PRI_KEY_FLAG");
        assertEquals(3, r.getFields(4).getDecimals());
        assertEquals(6, r.getFields(6).getDecimals());
        assertEquals(63, r.getFields(9).getCharset(), "blob is binary");
        assertEquals(128, r.getFields(9).getFlags() & 128, "BINARY_FLAG on blob");
        assertEquals(45, r.getFields(10).getCharset(), "utf8mb4_general_ci on the connection");
        assertEquals(80, r.getFields(10).getColumnLength(), "varchar(20) in utf8mb4 is 4 bytes a char");
        assertEquals(32, r.getFields(2).getFlags() & 32, "UNSIGNED_FLAG");
        assertEquals(256, r.getFields(12).getFlags() & 256, "ENUM_FLAG");
    }

    @Test
    void includedFieldsStripsMetadataLikeVitess() {
        QueryResult byDefault = execute("select 1 as one, 'x' as two");
        assertEquals(Field.newBuilder().setName("one").setType(Type.INT32).build(), byDefault.getFields(0));
        assertEquals(Field.newBuilder().setName("two").setType(Type.VARCHAR).build(), byDefault.getFields(1));
        ExecuteOptions typeOnly = ExecuteOptions.newBuilder().setIncludedFields(IncludedFields.TYPE_ONLY).build();
        QueryResult types = tablet.execute(request("select 1 as one", 0, typeOnly)).getResult();
        assertEquals(Field.newBuilder().setType(Type.INT32).build(), types.getFields(0));
    }

    @Test
    void aliasesKeepOriginalNames() {
        execute("create table aliased (a int)");
        Field f = executeAll("select x.a as renamed from aliased x").getFields(0);
        assertEquals("renamed", f.getName());
        assertEquals("a", f.getOrgName());
        assertEquals("x", f.getTable());
        assertEquals("aliased", f.getOrgTable());
    }

    @Test
    void dmlReportsAffectedRowsInsertIdAndInfo() {
        QueryResult ddl = execute("create table auto (id bigint auto_increment primary key, v varchar(10))");
        assertEquals(0, ddl.getRowsAffected());
        assertEquals(0, ddl.getFieldsCount());

        QueryResult insert = execute("insert into auto (v) values ('a'), ('b'), ('c')");
        assertEquals(3, insert.getRowsAffected());
        assertEquals(1, insert.getInsertId(), "the first id of a multi-row insert, as MySQL reports it");
        assertEquals("Records: 3  Duplicates: 0  Warnings: 0", insert.getInfo());

        QueryResult unchanged = execute("update auto set v = 'a' where id = 1");
        assertEquals(0, unchanged.getRowsAffected(), "affected rows, not found rows");
        assertEquals("Rows matched: 1  Changed: 0  Warnings: 0", unchanged.getInfo());

        assertEquals(2, execute("delete from auto where id > 1").getRowsAffected());
        assertEquals(4, execute("insert into auto (v) values ('d')").getInsertId());
    }

    @Test
    void warningsComeBackWithTheResult() {
        QueryResult select = execute("select cast('12abc' as signed) as n");
        assertEquals(List.of(List.of("12")), Rows.text(select));
        assertEquals(1, select.getWarningsCount());
        assertEquals(1292, select.getWarnings(0).getCode());
        assertEquals("Truncated incorrect INTEGER value: '12abc'", select.getWarnings(0).getMessage());
        execute("create table warned (id int primary key, s varchar(3))");
        QueryResult insert = execute("insert ignore into warned values (1, 'a'), (1, 'b')");
        assertEquals(1, insert.getWarningsCount(), "the duplicate the IGNORE skipped");
        assertEquals(1062, insert.getWarnings(0).getCode());
        assertEquals(0, execute("select 1").getWarningsCount(), "none left over from the statement before");
    }

    @Test
    void committedWritesAreVisibleAndRolledBackOnesAreNot() {
        execute("create table tx (id int primary key)");
        long tx = begin();
        execute(tx, "insert into tx values (1)");
        assertEquals(List.of(List.of("1")), Rows.text(execute(tx, "select id from tx")), "own write visible");
        assertEquals(0, execute("select id from tx").getRowsCount(), "uncommitted write invisible outside");
        commit(tx);
        assertEquals(List.of(List.of("1")), Rows.text(execute("select id from tx")));

        long tx2 = begin();
        execute(tx2, "insert into tx values (2)");
        rollback(tx2);
        assertEquals(List.of(List.of("1")), Rows.text(execute("select id from tx")));
        assertEquals(0, tablet.activeTransactions());
    }

    @Test
    void concurrentTransactionsUseSeparateConnectionsAndAreIsolated() {
        execute("create table iso (id int primary key)");
        long a = begin();
        long b = begin();
        assertNotEquals(a, b);
        String connA = Rows.text(execute(a, "select connection_id()")).get(0).get(0);
        String connB = Rows.text(execute(b, "select connection_id()")).get(0).get(0);
        assertNotEquals(connA, connB);
        execute(a, "insert into iso values (1)");
        assertEquals(0, execute(b, "select * from iso").getRowsCount(), "b does not see a's uncommitted row");
        commit(a);
        commit(b);
        assertEquals(1, execute("select * from iso").getRowsCount());
    }

    @Test
    void beginExecuteFailureStillReturnsTheTransactionId() {
        BeginExecuteResponse r = tablet.beginExecute(BeginExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select * from no_such_table")).build());
        assertTrue(r.getTransactionId() != 0, "the transaction began");
        assertEquals(1146, r.getError().getErrno());
        assertEquals("42S02", r.getError().getSqlState());
        assertEquals(Code.NOT_FOUND, r.getError().getCode());
        assertEquals("zone1", r.getTabletAlias().getCell());
        assertEquals(1, tablet.activeTransactions());
        rollback(r.getTransactionId());
        assertEquals(0, tablet.activeTransactions());
    }

    @Test
    void beginExecuteSuccessReturnsResultAndId() {
        BeginExecuteResponse r = tablet.beginExecute(BeginExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select 7")).build());
        assertEquals(List.of(List.of("7")), Rows.text(r.getResult()));
        assertEquals(false, r.hasError());
        commit(r.getTransactionId());
    }

    @Test
    void unknownTransactionIdIsNotFound() {
        VtException e = failure(() -> execute(12345, "select 1"));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals("transaction 12345: not found", e.getMessage());
        assertEquals(1105, e.errno());
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> commit(12345)).code());
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> rollback(12345)).code());
    }

    @Test
    void mysqlErrorsKeepErrnoSqlStateAndMessage() {
        VtException syntax = failure(() -> execute("selec 1"));
        assertEquals(1064, syntax.errno());
        assertEquals("42000", syntax.sqlState());
        assertEquals(ErrorCode.INVALID_ARGUMENT, syntax.code());
        assertTrue(syntax.getMessage().startsWith("You have an error in your SQL syntax"), syntax.getMessage());

        execute("create table dup (id int primary key)");
        execute("insert into dup values (1)");
        VtException dup = failure(() -> execute("insert into dup values (1)"));
        assertEquals(1062, dup.errno());
        assertEquals("23000", dup.sqlState());
        assertEquals(ErrorCode.ALREADY_EXISTS, dup.code());
        assertTrue(dup.getMessage().startsWith("Duplicate entry '1' for key"), dup.getMessage());

        VtException missing = failure(() -> execute("select * from nope"));
        assertEquals(1146, missing.errno());
        assertEquals("42S02", missing.sqlState());
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertEquals("Table '" + dbName + ".nope' doesn't exist", missing.getMessage());
    }

    @Test
    void errorInsideTransactionKeepsItOpen() {
        execute("create table keep (id int primary key)");
        long tx = begin();
        execute(tx, "insert into keep values (1)");
        assertEquals(1062, failure(() -> execute(tx, "insert into keep values (1)")).errno());
        execute(tx, "insert into keep values (2)");
        commit(tx);
        assertEquals(2, execute("select * from keep").getRowsCount());
    }
}
