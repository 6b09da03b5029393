package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.queryservice.QueryService;
import io.tessel.common.twopc.Dtid;
import io.tessel.proto.Query.CommitPreparedRequest;
import io.tessel.proto.Query.ConcludeTransactionRequest;
import io.tessel.proto.Query.CreateTransactionRequest;
import io.tessel.proto.Query.PrepareRequest;
import io.tessel.proto.Query.ReadTransactionRequest;
import io.tessel.proto.Query.ReadTransactionResponse;
import io.tessel.proto.Query.RollbackPreparedRequest;
import io.tessel.proto.Query.SetRollbackRequest;
import io.tessel.proto.Query.StartCommitRequest;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.exec.Session.ShardSession;
import io.tessel.vtgate.gateway.TabletGateway;
import io.grpc.Context;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vtgate's side of an atomic commit over several shards (docs/design/twopc.md): (1) CreateTransaction writes
 * the decision record on the metadata manager (MM, the shard the dtid names); (2) Prepare on every
 * participant, any failure rolling everything back; (3) StartCommit moves the record from PREPARE to COMMIT,
 * the decision point (it fails when a resolver decided rollback first); (4) CommitPrepared on every
 * participant; (5) ConcludeTransaction deletes the record. Once the decision is durable the commit succeeds
 * for the client even if a participant cannot be reached: the resolver commits it when it is back. When
 * the decision cannot be recorded or read back, the client gets an error saying the outcome is left to the
 * resolver. Stateless and thread-safe.
 */
final class TwoPcCommit {
    private static final Logger log = LoggerFactory.getLogger(TwoPcCommit.class);

    private final TabletGateway gateway;
    private final TwoPcMeters meters;
    private final TwoPcFault fault;

    TwoPcCommit(TabletGateway gateway, TwoPcMeters meters, TwoPcFault fault) {
        this.gateway = gateway;
        this.meters = meters;
        this.fault = fault;
    }

    /** Commits the branches {@code shards} of {@code dtid} atomically, or throws with all of them rolled back. */
    void commit(String dtid, List<ShardSession> shards) {
        Target mm = metadataManager(dtid);
        QueryService mmTablet;
        try {
            mmTablet = gateway.queryService(mm);
            mmTablet.createTransaction(CreateTransactionRequest.newBuilder().setTarget(mm).setDtid(dtid)
                    .addAllParticipants(shards.stream().map(ss -> shardOnly(ss.target())).toList()).build());
        } catch (VtException e) {
            rollbackBranches(dtid, shards);
            throw e;
        }
        Map<ShardSession, VtException> prepareFailures = onEach(shards, ss -> tabletOf(ss).prepare(PrepareRequest
                .newBuilder().setTarget(ss.target()).setTransactionId(ss.transactionId()).setDtid(dtid).build()));
        shards.forEach(ss -> meters.prepare(!prepareFailures.containsKey(ss)));
        if (!prepareFailures.isEmpty()) {
            // No commit decision was made, and only this vtgate could make one: every branch rolls back now,
            // even when the rollback decision cannot be recorded (the resolver then records it).
            boolean isDecided = decideRollback(dtid, mm);
            if (rollbackBranches(dtid, shards) && isDecided) {
                conclude(dtid, mm, mmTablet);
            }
            throw shards.stream().map(prepareFailures::get).filter(Objects::nonNull).findFirst().orElseThrow();
        }
        fault.strike(TwoPcFault.Point.AFTER_PREPARE, dtid);
        decideCommit(dtid, mm, mmTablet, shards);
        fault.strike(TwoPcFault.Point.AFTER_DECISION, dtid);
        commitPrepared(dtid, mm, mmTablet, shards);
    }

    /** The commit decision; a failed one is followed by the rollback decision, whose outcome is thrown. */
    private void decideCommit(String dtid, Target mm, QueryService mmTablet, List<ShardSession> shards) {
        try {
            mmTablet.startCommit(StartCommitRequest.newBuilder().setTarget(mm).setDtid(dtid).build());
            return;
        } catch (VtException e) {
            log.warn("vtgate: atomic transaction {}: the commit decision failed: {}", dtid, e.getMessage());
            if (decideRollback(dtid, mm)) { // else the first CAS may have reached MySQL: the outcome is unknown
                if (rollbackBranches(dtid, shards)) {
                    conclude(dtid, mm, mmTablet);
                }
                meters.outcome("rolled_back");
                throw VtException.of(ErrorCode.ABORTED, "atomic transaction " + dtid + " was rolled back: "
                        + e.getMessage());
            }
            if (isDecidedCommit(dtid, mm, mmTablet)) { // the first CAS did reach MySQL: carry on committing
                log.info("vtgate: atomic transaction {}: the commit decision was recorded after all", dtid);
                return;
            }
            meters.outcome("undecided");
            throw VtException.of(ErrorCode.UNAVAILABLE, "atomic transaction " + dtid + ": the commit decision "
                    + "could not be recorded on " + mm.getKeyspace() + "/" + mm.getShard() + " (" + e.getMessage()
                    + "); the resolver commits or rolls back every shard once it can reach it");
        }
    }

    /** After the decision: commits every branch; a failed one is left to the resolver, the record with it. */
    private void commitPrepared(String dtid, Target mm, QueryService mmTablet, List<ShardSession> shards) {
        Map<ShardSession, VtException> failures = onEach(shards, ss -> tabletOf(ss).commitPrepared(
                CommitPreparedRequest.newBuilder().setTarget(ss.target()).setDtid(dtid).build()));
        failures.forEach((ss, e) -> log.warn("vtgate: atomic transaction {}: committing {}/{} failed ({}); the "
                + "resolver will commit it", dtid, ss.target().getKeyspace(), ss.target().getShard(), e.getMessage()));
        meters.outcome(failures.isEmpty() ? "committed" : "commit_pending");
        if (failures.isEmpty()) {
            conclude(dtid, mm, mmTablet);
        }
    }

    /**
     * Records the rollback decision (PREPARE to ROLLBACK; a resolver may have already); whether it holds. When
     * it cannot be recorded the record stays PREPARE and a resolver decides after the abandon age.
     */
    private boolean decideRollback(String dtid, Target mm) {
        try {
            gateway.queryService(mm).setRollback(SetRollbackRequest.newBuilder().setTarget(mm).setDtid(dtid).build());
            return true;
        } catch (VtException e) {
            log.warn("vtgate: atomic transaction {}: the rollback decision failed ({}); left to the resolver",
                    dtid, e.getMessage());
            return false;
        }
    }

    /** Whether the record reads COMMIT now; false when it does not or cannot be read. */
    private static boolean isDecidedCommit(String dtid, Target mm, QueryService mmTablet) {
        try {
            ReadTransactionResponse r = mmTablet.readTransaction(ReadTransactionRequest.newBuilder().setTarget(mm)
                    .setDtid(dtid).build());
            return r.hasMetadata() && r.getMetadata().getState() == TransactionState.COMMIT;
        } catch (VtException e) {
            return false;
        }
    }

    /** Rolls back every branch (open or prepared); whether all succeeded. */
    private boolean rollbackBranches(String dtid, List<ShardSession> shards) {
        Map<ShardSession, VtException> failures = onEach(shards, ss -> tabletOf(ss).rollbackPrepared(
                RollbackPreparedRequest.newBuilder().setTarget(ss.target()).setTransactionId(ss.transactionId())
                        .setDtid(dtid).build()));
        failures.forEach((ss, e) -> log.warn("vtgate: atomic transaction {}: rolling back {}/{} failed: {}", dtid,
                ss.target().getKeyspace(), ss.target().getShard(), e.getMessage()));
        return failures.isEmpty();
    }

    /**
     * Runs {@code call} for every shard at once, as Vitess runs a phase's RPCs, and waits for all of them; the
     * failures by shard (empty when all succeeded). Each call keeps the statement's gRPC context.
     */
    private static Map<ShardSession, VtException> onEach(List<ShardSession> shards, Consumer<ShardSession> call) {
        Map<ShardSession, VtException> failures = new ConcurrentHashMap<>();
        if (shards.size() == 1) {
            run(shards.getFirst(), call, failures);
            return failures;
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ShardSession ss : shards) {
                threads.execute(Context.current().wrap(() -> run(ss, call, failures)));
            }
        } // close() waits for every call
        return failures;
    }

    private static void run(ShardSession ss, Consumer<ShardSession> call, Map<ShardSession, VtException> failures) {
        try {
            call.accept(ss);
        } catch (VtException e) {
            failures.put(ss, e);
        } catch (RuntimeException e) {
            failures.put(ss, VtException.of(ErrorCode.INTERNAL, String.valueOf(e), e));
        }
    }

    private static void conclude(String dtid, Target mm, QueryService mmTablet) {
        try {
            mmTablet.concludeTransaction(ConcludeTransactionRequest.newBuilder().setTarget(mm).setDtid(dtid).build());
        } catch (VtException e) {
            log.warn("vtgate: atomic transaction {}: concluding failed ({}); the resolver will", dtid, e.getMessage());
        }
    }

    /** The primary of the shard a dtid names as its metadata manager. */
    static Target metadataManager(String dtid) {
        Dtid parsed = Dtid.parse(dtid);
        if (parsed == null) {
            throw VtException.of(ErrorCode.INTERNAL, "malformed dtid " + dtid);
        }
        return Target.newBuilder().setKeyspace(parsed.keyspace()).setShard(parsed.shard())
                .setTabletType(TabletType.PRIMARY).build();
    }

    private static Target shardOnly(Target t) {
        return Target.newBuilder().setKeyspace(t.getKeyspace()).setShard(t.getShard()).build();
    }

    private QueryService tabletOf(ShardSession ss) {
        return gateway.transactionService(ss.target(), ss.tabletAlias());
    }
}
