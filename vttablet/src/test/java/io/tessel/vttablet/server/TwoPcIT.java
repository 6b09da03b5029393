package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.twopc.Dtid;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.CreateTransactionRequest;
import io.tessel.proto.Query.PrepareRequest;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.StartCommitRequest;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tablet's two-phase commit against a real MariaDB: XA branches begun by BeginExecute with a dtid,
 * prepared (the connection let go, the branch committed from another connection), one-phase commits,
 * the decision record's compare-and-set transitions, unresolved work for a resolver, and the refusal
 * without --twopc-enable. Two tablets (shards -80 and 80-) over two databases of one MariaDB.
 */
@Timeout(60)
class TwoPcIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    static TabletServer low;
    static TabletServer high;
    static Connection direct;

    @BeforeAll
    static void open() throws SQLException {
        for (String name : List.of("vtt_2pc_low", "vtt_2pc_high")) {
            db.createDatabase(name);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(name)); Statement st = c.createStatement()) {
                st.execute("create table t (id int primary key, v varchar(10))");
            }
        }
        low = new TabletServer(config("zone1-301", "-80", "vtt_2pc_low").build());
        high = new TabletServer(config("zone1-302", "80-", "vtt_2pc_high").build());
        direct = DriverManager.getConnection(db.jdbcUrl("vtt_2pc_low"));
    }

    @AfterAll
    static void close() throws SQLException {
        low.close();
        high.close();
        direct.close();
    }

    static TabletConfig.Builder config(String alias, String shard, String dbName) {
        return TabletConfig.builder(alias, "twopc").shard(shard).dbName(dbName)
                .mysql(db.host(), db.port(), db.user(), db.password()).pools(4, 4, 2).twopcEnable(true);
    }

    static Target target(String shard) {
        return Target.newBuilder().setKeyspace("twopc").setShard(shard).build();
    }

    static long begin(TabletServer tablet, String shard, String dtid, String sql) {
        BeginExecuteResponse r = tablet.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target(shard))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).setDtid(dtid).build());
        assertFalse(r.hasError(), () -> r.getError().toString());
        return r.getTransactionId();
    }

    static List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = direct.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The xids MariaDB keeps prepared for this test's dtid. */
    static List<String> prepared(String dtid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = direct.createStatement(); ResultSet rs = st.executeQuery("xa recover")) {
            while (rs.next()) {
                String data = rs.getString("data");
                if (data.startsWith(dtid)) {
                    out.add(data.substring(dtid.length()));
                }
            }
        }
        return out;
    }

    @Test
    void preparedBranchesCommitFromAnotherConnectionAfterTheDecision() throws Exception {
        String dtid = Dtid.generate("twopc", "-80").toString();
        long t1 = begin(low, "-80", dtid, "insert into t values (1, 'low')");
        long t2 = begin(high, "80-", dtid, "insert into t values (1, 'high')");
        low.createTransaction(CreateTransactionRequest.newBuilder().setTarget(target("-80")).setDtid(dtid)
                .addParticipants(target("-80")).addParticipants(target("80-")).build());
        low.prepare(PrepareRequest.newBuilder().setTarget(target("-80")).setTransactionId(t1).setDtid(dtid).build());
        high.prepare(PrepareRequest.newBuilder().setTarget(target("80-")).setTransactionId(t2).setDtid(dtid).build());
        assertEquals(List.of("twopc:-80", "twopc:80-"), prepared(dtid).stream().sorted().toList());
        assertEquals(0, low.activeTransactions(), "a prepared branch is no longer held by the tablet");
        assertEquals(List.of(), column("select v from vtt_2pc_low.t where id = 1"), "not visible before commit");

        low.startCommit(StartCommitRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build());
        VtException late = assertThrows(VtException.class, () -> low.setRollback(
                SetRollbackRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build()));
        assertEquals(ErrorCode.FAILED_PRECONDITION, late.code(), "the decision is made once");
        assertEquals(TransactionState.COMMIT, low.readTransaction(ReadTransactionRequest.newBuilder()
                .setTarget(target("-80")).setDtid(dtid).build()).getMetadata().getState());
        for (TabletServer tablet : List.of(low, high)) {
            String shard = tablet == low ? "-80" : "80-";
            tablet.commitPrepared(CommitPreparedRequest.newBuilder().setTarget(target(shard)).setDtid(dtid).build());
            tablet.commitPrepared(CommitPreparedRequest.newBuilder().setTarget(target(shard)).setDtid(dtid).build());
        }
        low.concludeTransaction(ConcludeTransactionRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build());

        assertEquals(List.of("low"), column("select v from vtt_2pc_low.t where id = 1"));
        assertEquals(List.of("high"), column("select v from vtt_2pc_high.t where id = 1"));
        assertEquals(List.of(), prepared(dtid));
        assertFalse(low.readTransaction(ReadTransactionRequest.newBuilder().setTarget(target("-80")).setDtid(dtid)
                .build()).hasMetadata());
    }

    @Test
    void rollbackReachesOpenAndPreparedBranchesAndOldWorkIsReported() throws Exception {
        Dtid old = new Dtid("twopc", "-80", System.currentTimeMillis() - 60_000, "00000000000000aa");
        String dtid = old.toString();
        long t1 = begin(low, "-80", dtid, "insert into t values (2, 'low')");
        long t2 = begin(high, "80-", dtid, "insert into t values (2, 'high')");
        low.createTransaction(CreateTransactionRequest.newBuilder().setTarget(target("-80")).setDtid(dtid)
                .addParticipants(target("-80")).addParticipants(target("80-")).build());
        high.prepare(PrepareRequest.newBuilder().setTarget(target("80-")).setTransactionId(t2).setDtid(dtid).build());

        UnresolvedTransactionsResponse highWork = high.unresolvedTransactions(UnresolvedTransactionsRequest.newBuilder()
                .setTarget(target("80-")).setAbandonAgeSeconds(30).build());
        assertEquals(List.of(dtid), highWork.getPreparedDtidsList(), "the dtid's time ages the prepared branch");
        UnresolvedTransactionsResponse lowWork = low.unresolvedTransactions(UnresolvedTransactionsRequest.newBuilder()
                .setTarget(target("-80")).setAbandonAgeSeconds(0).build());
        assertTrue(lowWork.getTransactionsList().stream().anyMatch(m -> m.getDtid().equals(dtid)
                && m.getState() == TransactionState.PREPARE && m.getParticipantsCount() == 2), lowWork.toString());

        low.setRollback(SetRollbackRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build());
        VtException late = assertThrows(VtException.class, () -> low.startCommit(
                StartCommitRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build()));
        assertEquals(ErrorCode.FAILED_PRECONDITION, late.code());
        // the open branch by xid (no transaction id), the prepared one from another connection
        low.rollbackPrepared(RollbackPreparedRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build());
        high.rollbackPrepared(RollbackPreparedRequest.newBuilder().setTarget(target("80-")).setDtid(dtid).build());
        assertEquals(0, low.activeTransactions(), "transaction " + t1 + " was rolled back");
        low.concludeTransaction(ConcludeTransactionRequest.newBuilder().setTarget(target("-80")).setDtid(dtid).build());
        assertEquals(List.of(), prepared(dtid));
        assertEquals(List.of(), column("select v from vtt_2pc_low.t where id = 2"));
        assertEquals(List.of(), column("select v from vtt_2pc_high.t where id = 2"));
    }

    @Test
    void aSingleBranchCommitsInOnePhaseAndTheConnectionIsReused() throws Exception {
        String dtid = Dtid.generate("twopc", "-80").toString();
        long id = begin(low, "-80", dtid, "insert into t values (3, 'one')");
        low.commit(CommitRequest.newBuilder().setTarget(target("-80")).setTransactionId(id).build());
        assertEquals(List.of("one"), column("select v from vtt_2pc_low.t where id = 3"));
        long plain = low.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target("-80"))
                .setQuery(BoundQuery.newBuilder().setSql("select 1")).build()).getTransactionId();
        low.commit(CommitRequest.newBuilder().setTarget(target("-80")).setTransactionId(plain).build());
        assertEquals(List.of(), prepared(dtid));
    }

    @Test
    void aBranchEndedAnyOtherWayIsRolledBackAndItsConnectionNotReused() throws Exception {
        String released = Dtid.generate("twopc", "-80").toString();
        long id = begin(low, "-80", released, "insert into t values (4, 'released')");
        low.release(io.tessel.proto.Query.ReleaseRequest.newBuilder().setTarget(target("-80")).setTransactionId(id).build());
        String killed = Dtid.generate("twopc", "-80").toString();
        begin(low, "-80", killed, "insert into t values (5, 'killed')");
        assertEquals(1, low.killExpiredTransactions(System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos()));
        for (int i = 0; i < 6; i++) { // more than the pool: every connection is free of a dangling XA branch
            String dtid = Dtid.generate("twopc", "-80").toString();
            long next = begin(low, "-80", dtid, "select 1");
            low.commit(CommitRequest.newBuilder().setTarget(target("-80")).setTransactionId(next).build());
        }
        assertEquals(List.of(), column("select v from vtt_2pc_low.t where id in (4, 5)"));
        assertEquals(List.of(), prepared(released));
        assertEquals(List.of(), prepared(killed));
    }

    @Test
    void preparingAPlainTransactionFailsAndRollsItBack() throws Exception {
        long plain = low.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target("-80"))
                .setQuery(BoundQuery.newBuilder().setSql("insert into t values (6, 'plain')")).build()).getTransactionId();
        String dtid = Dtid.generate("twopc", "-80").toString();
        VtException e = assertThrows(VtException.class, () -> low.prepare(io.tessel.proto.Query.PrepareRequest
                .newBuilder().setTarget(target("-80")).setTransactionId(plain).setDtid(dtid).build()));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        for (int i = 0; i < 6; i++) { // more than the pool: no connection carries the open BEGIN into another one
            long next = low.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target("-80"))
                    .setQuery(BoundQuery.newBuilder().setSql("select 1")).build()).getTransactionId();
            low.commit(CommitRequest.newBuilder().setTarget(target("-80")).setTransactionId(next).build());
        }
        assertEquals(List.of(), column("select v from vtt_2pc_low.t where id = 6"));
    }

    @Test
    void aTabletWithoutTwoPcRefusesClearly() {
        try (TabletServer off = new TabletServer(config("zone1-303", "-80", "vtt_2pc_low").twopcEnable(false).build())) {
            VtException e = assertThrows(VtException.class, () -> begin(off, "-80", "twopc:-80:1:ab", "select 1"));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("--twopc-enable"), e.getMessage());
            assertEquals(0, off.unresolvedTransactions(UnresolvedTransactionsRequest.newBuilder()
                    .setTarget(target("-80")).build()).getTransactionsCount());
        }
    }
}
