package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.twopc.Dtid;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionMetadata;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.exec.TwoPcResolver.Decision;
import io.tessel.vtgate.gateway.StaticGateway;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * vtgate's two-phase commit against fake tablets: the calls of an atomic commit, single-shard one-phase
 * commits, each failure before the decision rolling everything back, a failure after it still committing,
 * the refusals, and the resolver's decisions for abandoned records and prepared branches.
 */
class TwoPcTest {
    private final FakeQueryService low = new FakeQueryService();
    private final FakeQueryService high = new FakeQueryService();
    private final StaticGateway gateway = StaticGateway.builder().tablet("ks", "-80", TabletType.PRIMARY, low)
            .tablet("ks", "80-", TabletType.PRIMARY, high).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26, registry,
            new TransactionSettings(TransactionMode.TWOPC, Duration.ofSeconds(2), TwoPcFault.NONE));
    private final Session session = executor.newSession(1, "root", List.of());
    private final TwoPcResolver resolver = new TwoPcResolver(gateway, gateway, Duration.ofSeconds(2),
            executor.twoPcMeters());

    /** begin; one write on each shard. */
    private void writeBothShards() {
        executor.useDatabase(session, "ks:-80");
        executor.query(session, "begin");
        executor.query(session, "update t set a = 1 where id = 1");
        executor.useDatabase(session, "ks:80-");
        executor.query(session, "update t set a = 2 where id = 2");
    }

    private double counter(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theDefaultModeComesFromTheSettingsAndTwoShardsCommitInTwoPhases() {
        assertEquals(TransactionMode.TWOPC, session.transactionMode());
        writeBothShards();
        String dtid = low.lastDtid;
        assertEquals(dtid, high.lastDtid, "every branch has the transaction's dtid");
        assertEquals(new Dtid("ks", "-80", 0, "x").keyspace(), Dtid.parse(dtid).keyspace());
        assertEquals("-80", Dtid.parse(dtid).shard(), "the first shard is the metadata manager");
        executor.query(session, "commit");
        assertEquals(List.of("beginExecute update t set a = 1 where id = 1 xa -> tx=100",
                "createTransaction [ks/-80, ks/80-]", "prepare tx=100", "startCommit", "commitPrepared -80",
                "concludeTransaction"), low.calls);
        assertEquals(List.of("beginExecute update t set a = 2 where id = 2 xa -> tx=100", "prepare tx=100",
                "commitPrepared 80-"), high.calls);
        assertTrue(low.records.isEmpty());
        assertFalse(session.isInTransaction());
        assertEquals(1, counter("vtgate.commits", "mode", "TWOPC"));
        assertEquals(1, counter("vtgate.twopc.commits", "outcome", "committed"));
        assertEquals(2, counter("vtgate.twopc.prepares", "result", "ok"));
    }

    @Test
    void oneShardCommitsInOnePhaseAndRollbackNeedsNoRecord() {
        executor.useDatabase(session, "ks:80-");
        executor.query(session, "begin");
        executor.query(session, "update t set a = 2 where id = 2");
        executor.query(session, "commit");
        executor.query(session, "begin");
        executor.query(session, "update t set a = 3 where id = 2");
        executor.query(session, "rollback");
        assertEquals(List.of("beginExecute update t set a = 2 where id = 2 xa -> tx=100", "commit tx=100",
                "beginExecute update t set a = 3 where id = 2 xa -> tx=101", "rollback tx=101"), high.calls);
        assertEquals(List.of(), low.calls);
        writeBothShards();
        executor.query(session, "rollback");
        assertTrue(low.calls.contains("rollback tx=100") && high.calls.contains("rollback tx=102"), high.calls.toString());
        assertTrue(low.records.isEmpty(), "a rollback writes no decision record");
    }

    @Test
    void aFailedPrepareRollsEveryBranchBack() {
        writeBothShards();
        high.failures.put("rpc:prepare", VtException.of(ErrorCode.UNAVAILABLE, "tablet down"));
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "commit"));
        assertTrue(e.getMessage().contains("tablet down"), e.getMessage());
        assertEquals(List.of("beginExecute update t set a = 1 where id = 1 xa -> tx=100",
                "createTransaction [ks/-80, ks/80-]", "prepare tx=100", "setRollback", "rollbackPrepared -80 tx=100",
                "concludeTransaction"), low.calls);
        assertEquals(List.of("beginExecute update t set a = 2 where id = 2 xa -> tx=100", "prepare tx=100",
                "rollbackPrepared 80- tx=100"), high.calls);
        assertTrue(low.records.isEmpty());
        assertEquals(1, counter("vtgate.twopc.prepares", "result", "error"));
    }

    @Test
    void aFailedPrepareRollsBackEvenWhenTheDecisionCannotBeRecorded() {
        writeBothShards();
        high.failures.put("rpc:prepare", VtException.of(ErrorCode.UNAVAILABLE, "tablet down"));
        low.failures.put("rpc:setRollback", VtException.of(ErrorCode.UNAVAILABLE, "connection lost"));
        assertThrows(VtException.class, () -> executor.query(session, "commit"));
        assertTrue(low.calls.contains("rollbackPrepared -80 tx=100"), low.calls.toString());
        assertTrue(high.calls.contains("rollbackPrepared 80- tx=100"), high.calls.toString());
        assertFalse(low.calls.contains("concludeTransaction"), "the record waits for the resolver's decision");
        assertEquals(TransactionState.PREPARE, low.records.values().iterator().next().getState());
    }

    @Test
    void aResolverThatDecidedFirstWinsAndTheClientHearsOfTheRollback() {
        writeBothShards();
        low.failures.put("rpc:startCommit", VtException.of(ErrorCode.FAILED_PRECONDITION, "it is ROLLBACK"));
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "commit"));
        assertTrue(e.getMessage().contains("was rolled back"), e.getMessage());
        assertTrue(high.calls.contains("rollbackPrepared 80- tx=100"), high.calls.toString());
        assertFalse(high.calls.stream().anyMatch(c -> c.startsWith("commitPrepared")));
        assertEquals(1, counter("vtgate.twopc.commits", "outcome", "rolled_back"));
    }

    @Test
    void anUnrecordableDecisionLeavesTheOutcomeToTheResolver() {
        writeBothShards();
        low.failures.put("rpc:startCommit", VtException.of(ErrorCode.UNAVAILABLE, "connection lost"));
        low.failures.put("rpc:setRollback", VtException.of(ErrorCode.UNAVAILABLE, "connection lost"));
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "commit"));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("the resolver"), e.getMessage());
        assertFalse(high.calls.stream().anyMatch(c -> c.startsWith("commitPrepared") || c.startsWith("rollbackPrepared")),
                "no branch is resolved without a decision: " + high.calls);
        assertEquals(TransactionState.PREPARE, low.records.values().iterator().next().getState());
    }

    @Test
    void aDecisionRecordedDespiteALostAnswerCommits() {
        writeBothShards();
        // StartCommit's answer is lost although its compare-and-set reached MySQL (simulated: the record already
        // reads COMMIT when the call fails); the rollback decision then fails, and the record says COMMIT
        low.beforePrepare = () -> low.records.replaceAll((dtid, r) -> r.toBuilder()
                .setState(TransactionState.COMMIT).build());
        low.failures.put("rpc:startCommit", VtException.of(ErrorCode.UNAVAILABLE, "connection lost"));
        executor.query(session, "commit");
        assertTrue(high.calls.contains("commitPrepared 80-"), high.calls.toString());
        assertTrue(low.records.isEmpty(), "concluded");
        assertEquals(1, counter("vtgate.twopc.commits", "outcome", "committed"));
    }

    @Test
    void aParticipantLostAfterTheDecisionStillCommitsForTheClient() {
        writeBothShards();
        high.failures.put("rpc:commitPrepared", VtException.of(ErrorCode.UNAVAILABLE, "tablet down"));
        executor.query(session, "commit");
        assertEquals(TransactionState.COMMIT, low.records.values().iterator().next().getState(),
                "the record stays for the resolver");
        assertFalse(low.calls.contains("concludeTransaction"));
        assertEquals(1, counter("vtgate.twopc.commits", "outcome", "commit_pending"));

        // the resolver, once the record is old enough, commits every branch and concludes
        TransactionMetadata record = low.records.values().iterator().next();
        low.unresolved = UnresolvedTransactionsResponse.newBuilder().addTransactions(record).build();
        assertEquals(1, resolver.resolveOnce());
        assertTrue(high.calls.getLast().equals("commitPrepared 80-"), high.calls.toString());
        assertTrue(low.records.isEmpty());
        assertEquals(1, counter("vtgate.twopc.resolver.actions", "action", "commit"));
    }

    @Test
    void twoPcWithReservedConnectionsIsRefused() {
        executor.useDatabase(session, "ks:-80");
        low.answers.put("select '+05:00', @@session.time_zone", FakeQueryService.values("+05:00", "SYSTEM"));
        executor.query(session, "set time_zone = '+05:00'");
        assertTrue(session.isReserved());
        executor.query(session, "begin");
        VtException e = assertThrows(VtException.class, () -> executor.query(session, "update t set a = 1 where id = 1"));
        assertEquals(1235, e.errno());
        assertTrue(e.getMessage().contains("VT12001"), e.getMessage());
    }

    @Test
    void anOldBranchOfACommitRunningNowIsLeftAlone() {
        // a long transaction: its dtid (first statement) is old, its record (made at COMMIT) is new
        String dtid = new Dtid("ks", "-80", System.currentTimeMillis() - 60_000, "0000000000000007").toString();
        TransactionMetadata record = TransactionMetadata.newBuilder().setDtid(dtid).setState(TransactionState.PREPARE)
                .setTimeCreated(System.currentTimeMillis() * 1_000_000L).addParticipants(shard("-80"))
                .addParticipants(shard("80-")).build();
        low.records.put(dtid, record);
        high.unresolved = UnresolvedTransactionsResponse.newBuilder().addPreparedDtids(dtid).build();
        assertEquals(0, resolver.resolveOnce());
        assertFalse(low.calls.contains("setRollback"), low.calls.toString());
        assertEquals(TransactionState.PREPARE, low.records.get(dtid).getState(), "the running commit decides");
    }

    @Test
    void theParticipantsPrepareAtTheSameTime() {
        java.util.concurrent.CyclicBarrier bothInFlight = new java.util.concurrent.CyclicBarrier(2);
        Runnable meet = () -> {
            try {
                bothInFlight.await(10, java.util.concurrent.TimeUnit.SECONDS); // one after the other would time out
            } catch (Exception e) {
                throw new IllegalStateException("the prepares did not run at the same time", e);
            }
        };
        low.beforePrepare = meet;
        high.beforePrepare = meet;
        writeBothShards();
        executor.query(session, "commit");
        assertEquals(1, counter("vtgate.twopc.commits", "outcome", "committed"));
    }

    @Test
    void theDebugPageListsRecordsAndPreparedBranchesOfEveryPrimary() throws Exception {
        assertEquals("{\"transactions\":[],\"prepared_branches\":[],\"unreachable_shards\":[]}",
                resolver.pendingJson());
        String dtid = Dtid.generate("ks", "-80").toString();
        low.unresolved = UnresolvedTransactionsResponse.newBuilder().addTransactions(TransactionMetadata.newBuilder()
                .setDtid(dtid).setState(TransactionState.COMMIT).setTimeCreated(1_000_000_000L)
                .addParticipants(shard("-80")).addParticipants(shard("80-"))).build();
        high.unresolved = UnresolvedTransactionsResponse.newBuilder().addPreparedDtids(dtid).build();
        var page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resolver.pendingJson());
        assertEquals(dtid, page.at("/transactions/0/dtid").asText());
        assertEquals("COMMIT", page.at("/transactions/0/state").asText());
        assertEquals("ks/-80", page.at("/transactions/0/kept_by").asText());
        assertEquals("1970-01-01T00:00:01Z", page.at("/transactions/0/created").asText());
        assertEquals("ks/80-", page.at("/transactions/0/participants/1").asText());
        assertEquals("ks/80-", page.at("/prepared_branches/0/shard").asText());
        assertEquals(List.of(), low.calls, "listing resolves nothing");
    }

    @Test
    void theResolverDecidesRollbackForAbandonedPrepareRecords() {
        String dtid = Dtid.generate("ks", "-80").toString();
        TransactionMetadata record = TransactionMetadata.newBuilder().setDtid(dtid).setState(TransactionState.PREPARE)
                .addParticipants(shard("-80")).addParticipants(shard("80-")).build();
        low.records.put(dtid, record);
        low.unresolved = UnresolvedTransactionsResponse.newBuilder().addTransactions(record).build();
        assertEquals(1, resolver.resolveOnce());
        assertEquals(List.of("setRollback", "rollbackPrepared -80 tx=0", "concludeTransaction"), low.calls);
        assertEquals(List.of("rollbackPrepared 80- tx=0"), high.calls);
        assertTrue(low.records.isEmpty());
    }

    @Test
    void aVtgateThatDecidedCommitFirstWinsOverTheResolver() {
        String dtid = Dtid.generate("ks", "-80").toString();
        TransactionMetadata prepare = TransactionMetadata.newBuilder().setDtid(dtid).setState(TransactionState.PREPARE)
                .addParticipants(shard("-80")).addParticipants(shard("80-")).build();
        low.records.put(dtid, prepare.toBuilder().setState(TransactionState.COMMIT).build()); // decided meanwhile
        assertTrue(resolver.resolveRecord(primary("-80"), prepare));
        assertEquals(List.of("setRollback", "readTransaction", "commitPrepared -80", "concludeTransaction"), low.calls);
        assertEquals(List.of("commitPrepared 80-"), high.calls);
    }

    @Test
    void orphanBranchesFollowTheirRecordOrRollBackWithoutOne() {
        String gone = Dtid.generate("ks", "-80").toString();
        String committed = Dtid.generate("ks", "-80").toString();
        low.records.put(committed, TransactionMetadata.newBuilder().setDtid(committed).setState(TransactionState.COMMIT)
                .addParticipants(shard("-80")).addParticipants(shard("80-")).build());
        high.unresolved = UnresolvedTransactionsResponse.newBuilder().addPreparedDtids(gone).addPreparedDtids(committed)
                .build();
        assertEquals(2, resolver.resolveOnce());
        assertEquals(List.of("rollbackPrepared 80- tx=0", "commitPrepared 80-"), high.calls);
        assertEquals(1, counter("vtgate.twopc.resolver.actions", "action", "orphan_rollback"));
        assertEquals(1, counter("vtgate.twopc.resolver.actions", "action", "orphan_commit"));
    }

    @Test
    void aParticipantStillDownKeepsTheRecordForTheNextPass() {
        String dtid = Dtid.generate("ks", "-80").toString();
        TransactionMetadata record = TransactionMetadata.newBuilder().setDtid(dtid).setState(TransactionState.COMMIT)
                .addParticipants(shard("-80")).addParticipants(shard("80-")).build();
        low.records.put(dtid, record);
        low.unresolved = UnresolvedTransactionsResponse.newBuilder().addTransactions(record).build();
        high.failures.put("rpc:commitPrepared", VtException.of(ErrorCode.UNAVAILABLE, "tablet down"));
        assertEquals(0, resolver.resolveOnce());
        assertTrue(low.records.containsKey(dtid));
        assertEquals(1, resolver.resolveOnce());
        assertFalse(low.records.containsKey(dtid));
    }

    @Test
    void decisions() {
        assertEquals(Decision.COMMIT, TwoPcResolver.decide(TransactionState.COMMIT));
        assertEquals(Decision.ROLLBACK, TwoPcResolver.decide(TransactionState.ROLLBACK));
        assertEquals(Decision.ROLLBACK, TwoPcResolver.decide(TransactionState.PREPARE), "after the CAS to ROLLBACK");
        assertEquals(Decision.ROLLBACK, TwoPcResolver.decideOrphan(Optional.empty()));
        assertEquals(Decision.ROLLBACK, TwoPcResolver.decideOrphan(Optional.of(TransactionState.ROLLBACK)));
        assertEquals(Decision.COMMIT, TwoPcResolver.decideOrphan(Optional.of(TransactionState.COMMIT)));
        assertEquals(Decision.RESOLVE_RECORD, TwoPcResolver.decideOrphan(Optional.of(TransactionState.PREPARE)));
    }

    @Test
    void faultsAndModesParse() {
        assertEquals(new TwoPcFault(TwoPcFault.Point.AFTER_PREPARE, -1), TwoPcFault.parse("after-prepare:halt"));
        assertEquals(new TwoPcFault(TwoPcFault.Point.AFTER_DECISION, 3000), TwoPcFault.parse("after-decision:pause=3000"));
        assertEquals(TwoPcFault.NONE, TwoPcFault.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TwoPcFault.parse("before-begin:halt"));
        assertEquals(TransactionMode.TWOPC, TransactionMode.parse("'twopc'"));
        assertThrows(IllegalArgumentException.class, () -> TransactionSettings.of("TWOPC", Duration.ofMillis(10)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TransactionSettings.of("ATOMIC", Duration.ofSeconds(30)));
        assertTrue(bad.getMessage().contains("--transaction-mode"), bad.getMessage());
        assertEquals(new Dtid("ks", "-80", 5, "ab"), Dtid.parse("ks:-80:5:ab"));
        assertEquals("'a''b','ks:-80'", Dtid.xidSql("a'b", "ks", "-80"));
    }

    private static Target shard(String shard) {
        return Target.newBuilder().setKeyspace("ks").setShard(shard).build();
    }

    private static Target primary(String shard) {
        return shard(shard).toBuilder().setTabletType(TabletType.PRIMARY).build();
    }
}
