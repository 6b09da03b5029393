package io.tessel.vtgate.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Context;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionMetadata;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.UnresolvedTransactionsRequest;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes atomic (TWOPC) transactions whose vtgate went away, as Vitess's tablet watchdog plus vtgate's
 * ResolveTransaction do (docs/design/twopc.md). Periodically it asks every primary tablet for decision records
 * older than the abandon age and for its own prepared XA branches that old, then: a record still PREPARE is
 * decided ROLLBACK (compare-and-set: it fails if a vtgate decided COMMIT first, which then wins); a COMMIT
 * record's branches are committed, a ROLLBACK record's rolled back, and the record concluded once every
 * participant is done. A prepared branch whose record is missing or ROLLBACK is rolled back; COMMIT committed.
 * Every step is idempotent (a branch already resolved counts as done), so several vtgates may resolve at
 * once. Thread-safe.
 */
public final class TwoPcResolver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwoPcResolver.class);
    /** How long one primary's turn in a pass may take (gRPC calls without it wait on a silent peer for long). */
    static final Duration TARGET_DEADLINE = Duration.ofSeconds(30);
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("twopc-resolver-deadlines").factory());

    /** What to do with a transaction's branches. */
    enum Decision { COMMIT, ROLLBACK, RESOLVE_RECORD }

    private final ServingGraph graph;
    private final TabletGateway gateway;
    private final Duration abandonAge;
    private final TwoPcMeters meters;
    private ScheduledExecutorService timer;

    public TwoPcResolver(ServingGraph graph, TabletGateway gateway, Duration abandonAge, TwoPcMeters meters) {
        if (abandonAge.toSeconds() < 1) {
            throw new IllegalArgumentException("--twopc-abandon-age must be at least 1s, not " + abandonAge);
        }
        this.graph = graph;
        this.gateway = gateway;
        this.abandonAge = abandonAge;
        this.meters = meters;
    }

    /** Resolves every half of the abandon age (at least every second, at most every 30 s), on a thread of its own. */
    public synchronized void start() {
        long every = Math.clamp(abandonAge.toMillis() / 2, 1_000, 30_000);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vtgate-twopc-resolver")
                .factory());
        timer.scheduleWithFixedDelay(this::resolveQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void resolveQuietly() {
        try {
            resolveOnce();
        } catch (RuntimeException e) {
            log.warn("vtgate: twopc resolver: {}", e.toString());
        }
    }

    /** What a decision record in {@code state} means for its branches (PREPARE: decide rollback first). */
    static Decision decide(TransactionState state) {
        return state == TransactionState.COMMIT ? Decision.COMMIT : Decision.ROLLBACK;
    }

    /** What a prepared branch found with XA RECOVER means, given its record's state (empty: no record). */
    static Decision decideOrphan(Optional<TransactionState> record) {
        return record.map(state -> switch (state) {
            case COMMIT -> Decision.COMMIT;
            case PREPARE -> Decision.RESOLVE_RECORD;
            default -> Decision.ROLLBACK;
        }).orElse(Decision.ROLLBACK); // concluded (every branch was resolved) or a late prepare after a rollback
    }

    /**
     * One pass over every primary tablet; returns how many transactions or branches it resolved. A prepared
     * branch of a transaction whose record this pass already handled is skipped: the list was read before.
     */
    public int resolveOnce() {
        int resolved = 0;
        Set<String> handled = new HashSet<>();
        for (Target target : primaries()) {
            Context.CancellableContext bounded = Context.current().withDeadlineAfter(TARGET_DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS, DEADLINES);
            try {
                resolved += bounded.call(() -> resolveTarget(target, handled));
            } catch (Exception e) { // resolveTarget handles its VtExceptions; anything else ends this target's turn
                log.warn("vtgate: twopc resolver: {}/{}: {}", target.getKeyspace(), target.getShard(), e.toString());
            } finally {
                bounded.cancel(null);
            }
        }
        return resolved;
    }

    /**
     * One primary's work: its old records and prepared branches, within the caller's deadline, so one tablet
     * that stopped answering cannot stall the others' resolution.
     */
    private int resolveTarget(Target target, Set<String> handled) {
        UnresolvedTransactionsResponse work;
        try {
            work = gateway.queryService(target).unresolvedTransactions(UnresolvedTransactionsRequest.newBuilder()
                    .setTarget(target).setAbandonAgeSeconds(abandonAge.toSeconds()).build());
        } catch (VtException e) {
            log.debug("vtgate: twopc resolver: {}/{}: {}", target.getKeyspace(), target.getShard(), e.getMessage());
            return 0;
        }
        int resolved = 0;
        for (TransactionMetadata record : work.getTransactionsList()) {
            handled.add(record.getDtid());
            resolved += resolveRecord(target, record) ? 1 : 0;
        }
        for (String dtid : work.getPreparedDtidsList()) {
            if (!handled.contains(dtid)) {
                resolved += resolveOrphan(target, dtid) ? 1 : 0;
            }
        }
        return resolved;
    }

    /**
     * What the primaries hold now, whatever its age, as JSON for vtgate's {@code /debug/twopc}: every decision
     * record (dtid, state, creation time, participants) with the shard keeping it, every prepared XA branch,
     * and the shards that could not be asked. Empty lists when nothing is in flight or in doubt.
     */
    public String pendingJson() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        ArrayNode records = root.putArray("transactions");
        ArrayNode branches = root.putArray("prepared_branches");
        ArrayNode unreachable = root.putArray("unreachable_shards");
        for (Target target : primaries()) {
            String shard = target.getKeyspace() + "/" + target.getShard();
            UnresolvedTransactionsResponse pending;
            try {
                pending = gateway.queryService(target).unresolvedTransactions(UnresolvedTransactionsRequest
                        .newBuilder().setTarget(target).setAbandonAgeSeconds(0).build());
            } catch (VtException e) {
                unreachable.addObject().put("shard", shard).put("error", e.getMessage());
                continue;
            }
            for (TransactionMetadata r : pending.getTransactionsList()) {
                ObjectNode o = records.addObject().put("dtid", r.getDtid())
                        .put("state", r.getState().name()).put("kept_by", shard)
                        .put("created", Instant.EPOCH.plusNanos(r.getTimeCreated()).toString());
                ArrayNode participants = o.putArray("participants");
                r.getParticipantsList().forEach(p -> participants.add(p.getKeyspace() + "/" + p.getShard()));
            }
            pending.getPreparedDtidsList().forEach(dtid -> branches.addObject().put("shard", shard).put("dtid", dtid));
        }
        return root.toString();
    }

    private List<Target> primaries() {
        List<Target> out = new ArrayList<>();
        for (String keyspace : graph.keyspaces()) {
            for (String shard : graph.shards(keyspace).orElse(List.of())) {
                out.add(primary(keyspace, shard));
            }
        }
        return out;
    }

    /** Finishes the transaction of a decision record kept on {@code mm}; whether it is concluded. */
    boolean resolveRecord(Target mm, TransactionMetadata record) {
        String dtid = record.getDtid();
        try {
            TransactionState state = record.getState();
            if (state == TransactionState.PREPARE) {
                state = decideRollback(mm, dtid);
            }
            boolean isCommit = decide(state) == Decision.COMMIT;
            for (Target p : record.getParticipantsList()) {
                resolveBranch(primary(p.getKeyspace(), p.getShard()), dtid, isCommit);
            }
            gateway.queryService(mm).concludeTransaction(ConcludeTransactionRequest.newBuilder().setTarget(mm)
                    .setDtid(dtid).build());
            meters.resolverAction(isCommit ? "commit" : "rollback");
            log.info("vtgate: twopc resolver: {} abandoned atomic transaction {}", isCommit ? "committed" : "rolled back",
                    dtid);
            return true;
        } catch (VtException e) {
            meters.resolverAction("failed");
            log.warn("vtgate: twopc resolver: atomic transaction {} not resolved yet: {}", dtid, e.getMessage());
            return false;
        }
    }

    /** Sets a PREPARE record to ROLLBACK; the state it then has (COMMIT when a vtgate decided first). */
    private TransactionState decideRollback(Target mm, String dtid) {
        QueryService tablet = gateway.queryService(mm);
        try {
            tablet.setRollback(SetRollbackRequest.newBuilder().setTarget(mm).setDtid(dtid).build());
            return TransactionState.ROLLBACK;
        } catch (VtException e) {
            if (e.code() != ErrorCode.FAILED_PRECONDITION) {
                throw e;
            }
            Optional<TransactionState> now = readState(mm, dtid);
            if (now.isEmpty() || now.get() == TransactionState.PREPARE) {
                throw e;
            }
            return now.get();
        }
    }

    /** Resolves one prepared branch on {@code participant} that outlived the abandon age; whether it did. */
    boolean resolveOrphan(Target participant, String dtid) {
        try {
            Target mm = TwoPcCommit.metadataManager(dtid);
            Optional<TransactionMetadata> record = read(mm, dtid);
            Decision decision = decideOrphan(record.map(TransactionMetadata::getState));
            if (decision == Decision.RESOLVE_RECORD) {
                // The branch is aged by its dtid (the transaction's first statement); a PREPARE record younger
                // than the abandon age is a commit running now (a long transaction): its own age decides.
                return isAbandoned(record.orElseThrow()) && resolveRecord(mm, record.get());
            }
            resolveBranch(participant, dtid, decision == Decision.COMMIT);
            meters.resolverAction(decision == Decision.COMMIT ? "orphan_commit" : "orphan_rollback");
            log.info("vtgate: twopc resolver: {} prepared branch {} of {} ({})", decision == Decision.COMMIT
                    ? "committed" : "rolled back", participant.getShard(), dtid, record.isEmpty() ? "no record"
                    : record.get().getState());
            return true;
        } catch (VtException e) {
            meters.resolverAction("failed");
            log.warn("vtgate: twopc resolver: prepared branch {} of {} not resolved yet: {}", participant.getShard(),
                    dtid, e.getMessage());
            return false;
        }
    }

    private boolean isAbandoned(TransactionMetadata record) {
        long ageNanos = System.currentTimeMillis() * 1_000_000L - record.getTimeCreated();
        return ageNanos >= abandonAge.toNanos();
    }

    private void resolveBranch(Target participant, String dtid, boolean isCommit) {
        QueryService tablet = gateway.queryService(participant);
        if (isCommit) {
            tablet.commitPrepared(CommitPreparedRequest.newBuilder().setTarget(participant).setDtid(dtid).build());
        } else {
            tablet.rollbackPrepared(RollbackPreparedRequest.newBuilder().setTarget(participant).setDtid(dtid).build());
        }
    }

    private Optional<TransactionMetadata> read(Target mm, String dtid) {
        var response = gateway.queryService(mm).readTransaction(ReadTransactionRequest.newBuilder().setTarget(mm)
                .setDtid(dtid).build());
        return response.hasMetadata() ? Optional.of(response.getMetadata()) : Optional.empty();
    }

    private Optional<TransactionState> readState(Target mm, String dtid) {
        return read(mm, dtid).map(TransactionMetadata::getState);
    }

    private static Target primary(String keyspace, String shard) {
        return Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(TabletType.PRIMARY).build();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
