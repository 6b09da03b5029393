package io.tessel.vtgate.exec;

import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.vtgate.mysql.ServerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one client connection as vtgate sees it: the target keyspace, autocommit, the open
 * transaction's shard sessions and the session variables vtgate keeps. The connection runs one command at
 * a time, and each hand-off between threads is a happens-before edge; only the shard sessions are touched
 * by several threads at once (a scatter in a transaction), under a lock.
 */
public final class Session {
    /**
     * One shard taking part in the open transaction, on the tablet that began it: its later statements, commit
     * and rollback go to that tablet, even once it stops taking new work to shut down.
     */
    public record ShardSession(Target target, long transactionId, TabletAlias tabletAlias) {}

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
    private Workload workload = Workload.OLTP;
    private final Map<String, String> systemVariables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

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

    /** The open transaction's part on {@code target}, null if the transaction has not touched it yet. */
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
     * Records a shard joining the transaction (a transaction id of 0 means BeginExecute failed before
     * beginning) and marks the session in a transaction. Thread-safe: shards of a scatter join concurrently.
     */
    void addShardSession(ShardSession shardSession) {
        shardLock.lock();
        try {
            if (shardSession.transactionId() != 0) {
                shardSessions.add(shardSession);
            }
            inTransaction = true;
        } finally {
            shardLock.unlock();
        }
    }

    /** Forgets every shard session and leaves the transaction (after commit or rollback). */
    void clearShardSessions() {
        shardLock.lock();
        try {
            shardSessions.clear();
            inTransaction = false;
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

    /** Session-scoped system variables vtgate answers itself (e.g. character_set_results). */
    public Map<String, String> systemVariables() {
        return systemVariables;
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
