package io.tessel.vtgate.exec;

import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.vtgate.mysql.ServerStatus;
import io.tessel.proto.Query.BindVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one client connection as vtgate sees it: the target keyspace, autocommit, the shard
 * sessions (the open transaction's, and reserved connections), the session variables vtgate keeps, the
 * settings that must reach MySQL, and user variables. The connection runs one command at
 * a time, and each hand-off between threads is a happens-before edge; only the shard sessions are touched
 * by several threads at once (a scatter in a transaction), under a lock.
 */
public final class Session {
    /**
     * One shard the session holds something on: its transaction (id 0 when none) and its reserved connection
     * (id 0 when none; when both, the ids are the same), on the tablet that opened them: later statements,
     * commit, rollback and release go to that tablet, even once it stops taking new work to shut down.
     */
    public record ShardSession(Target target, long transactionId, long reservedId, TabletAlias tabletAlias) {
        boolean isInTransaction() {
            return transactionId != 0;
        }
    }

    private final int connectionId;
    private final String user;
    private final List<String> roles;
    private String targetString = "";
    private boolean autocommit = true;
    private volatile boolean inTransaction;
    private boolean clientFoundRows;
    private final List<ShardSession> shardSessions = new ArrayList<>(1);
    private final ReentrantLock shardLock = new ReentrantLock();
    private volatile long lastInsertId;
    private TransactionMode transactionMode = TransactionMode.MULTI;
    /** the open transaction's dtid when it is atomic (TWOPC), else null; guarded by shardLock */
    private String dtid;
    private Workload workload = Workload.OLTP;
    private final Map<String, String> systemVariables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Diagnostics diagnostics = new Diagnostics();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, BindVariable> userVariables = new HashMap<>();
    private final SqlPrepared sqlPrepared = new SqlPrepared();
    private long sqlSelectLimit;

    public Session(int connectionId, String user, List<String> roles) {
        this.connectionId = connectionId;
        this.user = user;
        this.roles = List.copyOf(roles);
    }

    public int connectionId() {
        return connectionId;
    }

    public String user() {
        return user;
    }

    public List<String> roles() {
        return roles;
    }

    /** The database name the client selected, in Vitess's target syntax ({@code ks[:shard][@type]}); "" for none. */
    public String targetString() {
        return targetString;
    }

    public void setTargetString(String targetString) {
        this.targetString = targetString;
    }

    public boolean isAutocommit() {
        return autocommit;
    }

    public void setAutocommit(boolean autocommit) {
        this.autocommit = autocommit;
    }

    public boolean isInTransaction() {
        return inTransaction;
    }

    public void setInTransaction(boolean inTransaction) {
        this.inTransaction = inTransaction;
    }

    /** Whether the client asked for CLIENT_FOUND_ROWS: UPDATE counts matched rows, not changed ones. */
    public boolean isClientFoundRows() {
        return clientFoundRows;
    }

    public void setClientFoundRows(boolean clientFoundRows) {
        this.clientFoundRows = clientFoundRows;
    }

    public List<ShardSession> shardSessions() {
        shardLock.lock();
        try {
            return new ArrayList<>(shardSessions);
        } finally {
            shardLock.unlock();
        }
    }

    /** What the session holds on {@code target}, or null when nothing. */
    ShardSession shardSession(Target target) {
        shardLock.lock();
        try {
            for (ShardSession ss : shardSessions) {
                if (ss.target().equals(target)) {
                    return ss;
                }
            }
            return null;
        } finally {
            shardLock.unlock();
        }
    }

    /**
     * Records what the session holds on a shard, replacing what it held there; a shard session holding
     * neither a transaction nor a reservation is forgotten. Joining with a transaction marks the session in
     * a transaction. Thread-safe: shards of a scatter join concurrently.
     */
    void putShardSession(ShardSession shardSession) {
        shardLock.lock();
        try {
            shardSessions.removeIf(ss -> ss.target().equals(shardSession.target()));
            if (shardSession.transactionId() != 0 || shardSession.reservedId() != 0) {
                shardSessions.add(shardSession);
            }
            if (shardSession.isInTransaction()) {
                inTransaction = true;
            }
        } finally {
            shardLock.unlock();
        }
    }

    /** Marks the session in a transaction even though no shard joined (BeginExecute failed before beginning). */
    void markInTransaction() {
        inTransaction = true;
    }

    /** Forgets what the session holds on {@code target}. */
    void removeShardSession(Target target) {
        shardLock.lock();
        try {
            shardSessions.removeIf(ss -> ss.target().equals(target));
        } finally {
            shardLock.unlock();
        }
    }

    /**
     * Leaves the transaction (after commit or rollback): shards that only took part in it are forgotten,
     * reserved ones stay with no transaction. Returns the shard sessions that were in the transaction.
     */
    List<ShardSession> endTransaction() {
        shardLock.lock();
        try {
            List<ShardSession> ended = new ArrayList<>();
            List<ShardSession> kept = new ArrayList<>();
            for (ShardSession ss : shardSessions) {
                if (ss.isInTransaction()) {
                    ended.add(ss);
                }
                if (ss.reservedId() != 0) {
                    kept.add(new ShardSession(ss.target(), 0, ss.reservedId(), ss.tabletAlias()));
                }
            }
            shardSessions.clear();
            shardSessions.addAll(kept);
            inTransaction = false;
            dtid = null;
            return ended;
        } finally {
            shardLock.unlock();
        }
    }

    /** Forgets every shard session and leaves the transaction (the session released them all). */
    void clearShardSessions() {
        shardLock.lock();
        try {
            shardSessions.clear();
            inTransaction = false;
            dtid = null;
        } finally {
            shardLock.unlock();
        }
    }

    /** How many shards take part in the open transaction. */
    int transactionShards() {
        shardLock.lock();
        try {
            return (int) shardSessions.stream().filter(ShardSession::isInTransaction).count();
        } finally {
            shardLock.unlock();
        }
    }

    /**
     * The open transaction's dtid when it is atomic (TWOPC), else null. In TWOPC mode the first shard the
     * transaction reaches makes it atomic and becomes its metadata manager ({@code newDtid} makes the id for
     * that shard); a transaction that reached shards before (the mode changed inside it) stays as it began.
     */
    String dtidForBegin(Target target, java.util.function.Function<Target, String> newDtid) {
        shardLock.lock();
        try {
            if (dtid == null && transactionMode == TransactionMode.TWOPC
                    && shardSessions.stream().noneMatch(ShardSession::isInTransaction)) {
                dtid = newDtid.apply(target);
            }
            return dtid;
        } finally {
            shardLock.unlock();
        }
    }

    /** The open transaction's dtid when it is atomic (TWOPC), else null. */
    String dtid() {
        shardLock.lock();
        try {
            return dtid;
        } finally {
            shardLock.unlock();
        }
    }

    /** How the session's transactions may span shards ({@code SET transaction_mode}). */
    public TransactionMode transactionMode() {
        return transactionMode;
    }

    public void setTransactionMode(TransactionMode transactionMode) {
        this.transactionMode = transactionMode;
    }

    /** The session's workload ({@code SET workload}): OLAP streams results and lifts the row limits. */
    public Workload workload() {
        return workload;
    }

    public void setWorkload(Workload workload) {
        this.workload = workload;
    }

    /** Whether results are streamed to the client as they arrive (workload OLAP). */
    public boolean isStreaming() {
        return workload == Workload.OLAP;
    }

    /** The id of the last row an auto-increment insert generated, for LAST_INSERT_ID(). */
    public long lastInsertId() {
        return lastInsertId;
    }

    public void setLastInsertId(long lastInsertId) {
        this.lastInsertId = lastInsertId;
    }

    /**
     * The system variables the session set that must reach MySQL, by lower-case name, each with its value as
     * SQL (a quoted string, a number, a keyword), in the order they were first set. While there are any, the
     * session's statements run on reserved connections where they were applied ({@link #isReserved()}).
     */
    public Map<String, String> settings() {
        return settings;
    }

    /** Whether the session's statements run on reserved connections: it has settings that must reach MySQL. */
    public boolean isReserved() {
        return !settings.isEmpty();
    }

    /** The pre-queries that give a fresh connection the session's settings: one SET, or none. */
    List<String> preQueries() {
        if (settings.isEmpty()) {
            return List.of();
        }
        List<String> assignments = new ArrayList<>(settings.size());
        settings.forEach((name, value) -> assignments.add("@@session." + name + " = " + value));
        return List.of("set " + String.join(", ", assignments));
    }

    /** The session's user variables ({@code @x}) by lower-case name, as bind variables; unset ones are absent. */
    public Map<String, BindVariable> userVariables() {
        return userVariables;
    }

    /** The session's SQL-level prepared statements ({@code PREPARE s FROM ...}). */
    SqlPrepared sqlPrepared() {
        return sqlPrepared;
    }

    /** {@code sql_select_limit}: the most rows a SELECT returns to the client; 0 for no limit. */
    public long sqlSelectLimit() {
        return sqlSelectLimit;
    }

    public void setSqlSelectLimit(long sqlSelectLimit) {
        this.sqlSelectLimit = sqlSelectLimit;
    }

    /** Session-scoped system variables vtgate answers itself (e.g. character_set_results). */
    public Map<String, String> systemVariables() {
        return systemVariables;
    }

    /** The warnings and error of the last statement. */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /** Status flags for OK and EOF packets. */
    public int statusFlags() {
        int flags = 0;
        if (autocommit) {
            flags |= ServerStatus.SERVER_STATUS_AUTOCOMMIT;
        }
        if (inTransaction) {
            flags |= ServerStatus.SERVER_STATUS_IN_TRANS;
        }
        return flags;
    }
}
