package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.Type;
import io.tessel.proto.Query.Value;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.pool.PoolKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TabletServerContract} against a private MariaDB, plus the paths that need a real server. */
class TabletServerIT extends TabletServerContract {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    @Override
    protected String host() {
        return db.host();
    }

    @Override
    protected int port() {
        return db.port();
    }

    @Override
    protected String user() {
        return db.user();
    }

    @Override
    protected String password() {
        return db.password();
    }

    @Override
    protected void createDatabase(String name) {
        db.createDatabase(name);
    }

    @Override
    protected TabletConfig.Builder tabletConfig(String dbName) {
        return super.tabletConfig(dbName).pools(4, 3, 4).txPoolTimeout(Duration.ofMillis(300)).maxResultSize(1000);
    }

    static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    @Test
    void mariaDbJsonIsLongtextAndKeepsItsText() {
        execute("create table js (j json)");
        execute("insert into js values ('{\"a\": [1, 2.50, \"x\"]}')");
        QueryResult r = executeAll("select j from js");
        assertEquals(Type.TEXT, r.getFields(0).getType(), "MariaDB's JSON is an alias of LONGTEXT");
        assertEquals(List.of(List.of("{\"a\": [1, 2.50, \"x\"]}")), Rows.text(r));
    }

    @Test
    void textFormsAreNeverReformatted() {
        execute("create table fmt (ts timestamp(3) null, y year, fl float, z int(5) zerofill, dbl double, tf time(2),"
                + " e varchar(5), d0 decimal(5,0), st set('a','b'))");
        execute("insert into fmt values ('2024-01-01 00:00:00.000', 2024, 1.1, 42, 1e300, '-00:00:01.50', '', 7, 'a,b')");
        QueryResult r = executeAll("select * from fmt");
        assertEquals(List.of("2024-01-01 00:00:00.000", "2024", "1.1", "00042", "1e300", "-00:00:01.50", "", "7", "a,b"),
                Rows.text(r.getRows(0)));
        assertEquals(0, r.getRows(0).getLengths(6), "an empty string is length 0, not NULL");
        assertEquals(List.of(Type.TIMESTAMP, Type.YEAR, Type.FLOAT32, Type.UINT32, Type.FLOAT64, Type.TIME, Type.VARCHAR,
                Type.DECIMAL, Type.SET), r.getFieldsList().stream().map(f -> f.getType()).toList());

        QueryResult literals = execute("select 1.50, null, '', x'41', 18446744073709551615");
        assertEquals(Arrays.asList("1.50", null, "", "A", "18446744073709551615"), Rows.text(literals.getRows(0)));
        assertEquals(List.of(Type.DECIMAL, Type.NULL_TYPE, Type.VARCHAR, Type.VARBINARY, Type.UINT64),
                literals.getFieldsList().stream().map(f -> f.getType()).toList());
    }

    @Test
    void twentyMebibyteValueRoundTripsThroughGrpc() throws Exception {
        execute("create table big (id int primary key, b longblob)");
        byte[] value = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(value);
        try (TabletGrpcServer server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, "vttablet test");
             GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", server.port()))) {
            BindVariable blob = BindVariable.newBuilder().setType(Type.BLOB).setValue(ByteString.copyFrom(value)).build();
            client.execute(ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                    .setSql("insert into big values (1, :b)").putBindVariables("b", blob)).build());
            QueryResult r = client.execute(request("select b from big where id = 1", 0, ExecuteOptions.getDefaultInstance()))
                    .getResult();
            assertArrayEquals(value, r.getRows(0).getValues().toByteArray());
            assertEquals(value.length, r.getRows(0).getLengths(0));

            VtException e = assertThrowsVt(() -> client.execute(request("select * from missing", 0,
                    ExecuteOptions.getDefaultInstance())));
            assertEquals(1146, e.errno(), "MySQL's errno survives the gRPC hop");
            assertEquals("42S02", e.sqlState());
        }
    }

    static VtException assertThrowsVt(Runnable call) {
        return failure(call);
    }

    @Test
    void streamExecuteSendsFieldsThenBoundedRowChunks() {
        execute("create table many (id int primary key, pad varchar(100))");
        execute("insert into many select seq, repeat('x', 100) from seq_1_to_20000"); // MariaDB's sequence engine
        List<QueryResult> chunks = new ArrayList<>();
        tablet.streamExecute(StreamExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select id, pad from many order by id")).build(), chunks::add);

        assertEquals(2, chunks.get(0).getFieldsCount());
        assertEquals(0, chunks.get(0).getRowsCount(), "the first chunk carries only the fields");
        int rows = 0;
        for (QueryResult chunk : chunks.subList(1, chunks.size())) {
            assertEquals(0, chunk.getFieldsCount());
            long bytes = chunk.getRowsList().stream().mapToLong(r -> r.getValues().size()).sum();
            assertTrue(bytes < QueryExecutor.STREAM_CHUNK_BYTES + 200, "chunk of " + bytes + " bytes");
            rows += chunk.getRowsCount();
        }
        assertEquals(20000, rows);
        assertTrue(chunks.size() > 50, chunks.size() + " chunks");
        assertEquals("20000", Rows.text(chunks.getLast().getRows(chunks.getLast().getRowsCount() - 1)).get(0));
        assertEquals(0, tablet.poolStats(PoolKind.STREAM).active());
    }

    @Test
    void abandonedStreamDropsItsConnection() {
        execute("create table abandon (id int primary key, pad varchar(200))");
        execute("insert into abandon select seq, repeat('y', 200) from seq_1_to_5000");
        int[] seen = {0};
        VtException e = assertThrowsVt(() -> tablet.streamExecute(StreamExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select * from abandon")).build(), chunk -> {
                    if (++seen[0] == 3) {
                        throw VtException.of(ErrorCode.CANCELED, "client went away");
                    }
                }));
        assertEquals(ErrorCode.CANCELED, e.code());
        assertEquals(0, tablet.poolStats(PoolKind.STREAM).active(), "the half-read connection is not held");
        assertEquals(5000, Integer.parseInt(Rows.text(execute("select count(*) from abandon")).get(0).get(0)));
    }

    @Test
    void streamInsideTransactionSeesItsOwnWrites() {
        execute("create table txstream (id int primary key)");
        long tx = begin();
        execute(tx, "insert into txstream values (1), (2)");
        List<QueryResult> chunks = new ArrayList<>();
        tablet.streamExecute(StreamExecuteRequest.newBuilder().setTransactionId(tx)
                .setQuery(BoundQuery.newBuilder().setSql("select id from txstream order by id")).build(), chunks::add);
        assertEquals(List.of(List.of("1"), List.of("2")), Rows.text(chunks.get(1)));
        rollback(tx);
    }

    @Test
    void transactionPoolExhaustionFailsFastWithResourceExhausted() {
        List<Long> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(begin());
            }
            VtException e = failure(this::begin);
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.getMessage().startsWith("transaction pool connection limit exceeded"), e.getMessage());
        } finally {
            open.forEach(this::rollback);
        }
        rollback(begin()); // capacity is back
    }

    @Test
    void transactionsOpenTooLongAreRolledBack() {
        execute("create table expire (id int primary key)");
        long tx = begin();
        execute(tx, "insert into expire values (1)");
        assertEquals(0, tablet.killExpiredTransactions(System.nanoTime()), "not expired yet");
        assertEquals(1, tablet.killExpiredTransactions(System.nanoTime() + Duration.ofMinutes(1).toNanos()));
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> commit(tx)).code());
        assertEquals(0, execute("select * from expire").getRowsCount(), "the write was rolled back");
        assertEquals(0, tablet.poolStats(PoolKind.TRANSACTION).active());
    }

    @Test
    void deadlockEndsTheVictimTransaction() throws Exception {
        execute("create table dl (id int primary key, v int)");
        execute("insert into dl values (1, 0), (2, 0)");
        long a = begin();
        long b = begin();
        execute(a, "update dl set v = 1 where id = 1");
        execute(b, "update dl set v = 1 where id = 2");
        CompletableFuture<VtException> blocked = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> blocked.complete(attempt(a, "update dl set v = 2 where id = 2")));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!isWaitingForLock()) { // until a's update waits on b's row lock
            assertTrue(System.nanoTime() < deadline && !blocked.isDone(), () -> "a never waited for b's lock: "
                    + blocked.getNow(null) + Rows.text(execute("select id, state, info from information_schema.processlist")));
            // InnoDB refreshes information_schema.innodb_trx only if it was not read in the last 100 ms.
            LockSupport.parkNanos(Duration.ofMillis(120).toNanos());
        }
        VtException second = attempt(b, "update dl set v = 2 where id = 1");
        VtException first = blocked.get();
        VtException victim = first != null ? first : second;
        long victimId = first != null ? a : b;
        long survivor = first != null ? b : a;
        assertTrue(first == null ^ second == null, "exactly one transaction is the deadlock victim");
        assertEquals(1213, victim.errno());
        assertEquals(ErrorCode.ABORTED, victim.code());
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> execute(victimId, "select 1")).code(), "the victim is ended");
        commit(survivor);
        assertEquals(0, tablet.activeTransactions());
    }

    private VtException attempt(long txId, String sql) {
        try {
            execute(txId, sql);
            return null;
        } catch (VtException e) {
            return e;
        }
    }

    private boolean isWaitingForLock() {
        return !Rows.text(execute("select 1 from information_schema.innodb_trx where trx_state = 'LOCK WAIT'")).isEmpty();
    }

    @Test
    void deadTransactionConnectionIsDiscarded() {
        long tx = begin();
        String connectionId = Rows.text(execute(tx, "select connection_id()")).get(0).get(0);
        execute("kill " + connectionId);
        VtException e = failure(() -> execute(tx, "select 1"));
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
        assertEquals(0, tablet.activeTransactions(), "the transaction ended with its connection");
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> commit(tx)).code());
        assertEquals(0, tablet.poolStats(PoolKind.TRANSACTION).active());
        long next = begin();
        String nextId = Rows.text(execute(next, "select connection_id()")).get(0).get(0);
        assertTrue(!nextId.equals(connectionId), "the killed connection is never handed out again");
        rollback(next);
    }

    @Test
    void bindVariablesAreSubstitutedAsEscapedLiterals() {
        execute("create table bind (id bigint primary key, s varchar(100), b varbinary(10))");
        String tricky = "it's a \"test\" \\ with\nnewline :colon";
        byte[] binary = {0, (byte) 0xFF, (byte) 0xC3, 0x27, 0x5C};
        Map<String, BindVariable> vars = Map.of(
                "id", bv(Type.INT64, "7"),
                "s", bv(Type.VARCHAR, tricky),
                "b", BindVariable.newBuilder().setType(Type.VARBINARY).setValue(ByteString.copyFrom(binary)).build());
        tablet.execute(ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                .setSql("insert into bind values (:id, :s, :b) /* :notavar */").putAllBindVariables(vars)).build());
        execute("insert into bind values (8, 'x', null), (9, 'y', null)");

        BindVariable ids = BindVariable.newBuilder().setType(Type.TUPLE)
                .addValues(Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("7")))
                .addValues(Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("9"))).build();
        QueryResult r = tablet.execute(ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                .setSql("select id, s, b from bind where id in ::ids and s != ':s' order by id")
                .putBindVariables("ids", ids)).build()).getResult();
        assertEquals(2, r.getRowsCount());
        assertEquals(tricky, Rows.text(r.getRows(0)).get(1));
        assertArrayEquals(binary, Rows.bytes(r.getRows(0)).get(2));
        assertEquals("9", Rows.text(r.getRows(1)).get(0));
    }

    @Test
    void sqlSelectLimitAppliesToOneStatementOnly() {
        execute("create table lim (id int primary key)");
        execute("insert into lim values (1), (2), (3), (4), (5)");
        long tx = begin(); // one connection, so the second statement runs where the limit was set
        ExecuteOptions two = ExecuteOptions.newBuilder().setSqlSelectLimit(2).build();
        assertEquals(2, tablet.execute(request("select * from lim", tx, two)).getResult().getRowsCount());
        assertEquals(5, execute(tx, "select * from lim").getRowsCount());
        rollback(tx);
    }

    @Test
    void maxResultSizeLimitsOltpButNotOlap() {
        execute("create table maxrows (id int primary key)");
        execute("insert into maxrows select seq from seq_1_to_1001");
        VtException e = failure(() -> execute("select * from maxrows"));
        assertEquals(10001, e.errno());
        assertEquals("Row count exceeded 1000", e.getMessage());
        ExecuteOptions olap = ExecuteOptions.newBuilder().setWorkload(Workload.OLAP).build();
        assertEquals(1001, tablet.execute(request("select * from maxrows", 0, olap)).getResult().getRowsCount());
    }

    @Test
    void wrongTargetIsRejected() {
        ExecuteRequest wrongKeyspace = ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql("select 1"))
                .setTarget(Target.newBuilder().setKeyspace("other")).build();
        assertEquals(ErrorCode.FAILED_PRECONDITION, failure(() -> tablet.execute(wrongKeyspace)).code());
        ExecuteRequest replica = ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql("select 1"))
                .setTarget(Target.newBuilder().setKeyspace(KEYSPACE).setShard("0").setTabletType(TabletType.REPLICA))
                .build();
        assertEquals("invalid tablet type: REPLICA, want: PRIMARY", failure(() -> tablet.execute(replica)).getMessage());
        ExecuteRequest right = ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql("select 1"))
                .setTarget(Target.newBuilder().setKeyspace(KEYSPACE).setShard("0").setTabletType(TabletType.PRIMARY))
                .build();
        assertEquals(1, tablet.execute(right).getResult().getRowsCount());
    }

    @Test
    void anUnknownReservedIdIsNotFound() { // ReservedConnectionsIT covers reserved connections
        ExecuteRequest reserved = request("select 1", 0, ExecuteOptions.getDefaultInstance()).toBuilder().setReservedId(5).build();
        assertEquals(ErrorCode.NOT_FOUND, failure(() -> tablet.execute(reserved)).code());
    }

    @Test
    void clientFoundRowsCountsMatchedRowsOnItsOwnConnections() {
        execute("create table fr (id int primary key, v int)");
        execute("insert into fr values (1, 0), (2, 0)");
        ExecuteOptions foundRows = ExecuteOptions.newBuilder().setClientFoundRows(true).build();
        String unchanged = "update fr set v = 0 where id = 1";
        assertEquals(0, execute(unchanged).getRowsAffected(), "affected rows by default");
        assertEquals(1, tablet.execute(request(unchanged, 0, foundRows)).getResult().getRowsAffected(), "found rows");
        assertEquals(1, tablet.poolStats(PoolKind.FOUND_ROWS_QUERY).total(), "its pool opened on first use");

        long tx = tablet.begin(BeginRequest.newBuilder().setOptions(foundRows).build()).getTransactionId();
        assertEquals(2, execute(tx, "update fr set v = 0").getRowsAffected(), "the transaction keeps found rows");
        commit(tx);
        assertEquals(0, tablet.poolStats(PoolKind.FOUND_ROWS_TRANSACTION).active());
    }
}
