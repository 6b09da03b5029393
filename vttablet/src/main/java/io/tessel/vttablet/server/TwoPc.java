package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.common.twopc.Dtid;
import io.tessel.proto.Query.Target;
import io.tessel.proto.Query.TransactionMetadata;
import io.tessel.proto.Query.TransactionState;
import io.tessel.proto.Query.UnresolvedTransactionsResponse;
import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.pool.DbPools;
import io.tessel.vttablet.pool.PoolKind;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's part of two-phase commit outside open transactions (docs/design/twopc.md): the decision
 * records it keeps as metadata manager, in {@code _vt.dt_state} and {@code _vt.dt_participant}, written in
 * autocommit transactions of their own; and its prepared XA branches, committed or rolled back from any
 * connection by xid ({@code XA COMMIT 'dtid','ks:shard'}), where MySQL's "unknown XID" (1397) means the
 * branch is already resolved. Thread-safe; every call takes a pool connection of its own.
 */
final class TwoPc {
    private static final Logger log = LoggerFactory.getLogger(TwoPc.class);
    static final int ER_XAER_NOTA = 1397;
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> SCHEMA = List.of(
            "create database if not exists _vt",
            "create table if not exists _vt.dt_state (dtid varbinary(512) not null primary key, "
                    + "state varchar(16) not null, time_created bigint not null, key (time_created)) engine=InnoDB",
            "create table if not exists _vt.dt_participant (dtid varbinary(512) not null, id int not null, "
                    + "keyspace varchar(256) not null, shard varchar(256) not null, primary key (dtid, id)) engine=InnoDB");

    private final DbPools pools;
    private final QueryExecutor executor;
    private final String keyspace;
    private final String shard;
    private final String logPrefix;

    TwoPc(DbPools pools, QueryExecutor executor, String keyspace, String shard, String logPrefix) {
        this.pools = pools;
        this.executor = executor;
        this.keyspace = keyspace;
        this.shard = shard;
        this.logPrefix = logPrefix;
    }

    /** Creates the {@code _vt} decision tables when missing. */
    void createSchema() {
        withConn(PoolKind.DBA, conn -> {
            for (String sql : SCHEMA) {
                executor.run(conn, sql);
            }
            return null;
        });
    }

    /** This tablet's branch of {@code dtid} as XA xid SQL. */
    String xid(String dtid) {
        return Dtid.xidSql(dtid, keyspace, shard);
    }

    /**
     * Waits until MySQL no longer lists connection {@code connectionId} (a prepared branch's, just closed):
     * until then the branch belongs to that session and another connection's XA COMMIT would not find it.
     */
    void awaitDetached(long connectionId) {
        long deadline = System.nanoTime() + DETACH_TIMEOUT.toNanos();
        String sql = "select count(*) from information_schema.processlist where id = " + connectionId;
        while (withConn(PoolKind.QUERY, conn -> queryLong(conn, sql)) > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw VtException.of(ErrorCode.DEADLINE_EXCEEDED, logPrefix + ": the connection of a prepared "
                        + "transaction did not close within " + DETACH_TIMEOUT);
            }
            try {
                Thread.sleep(2); // MySQL ends the session on its own thread once it reads the quit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VtException.of(ErrorCode.CANCELED, "interrupted while a prepared transaction detached");
            }
        }
    }

    /** Commits the prepared branch of {@code dtid}; an unknown branch was already resolved. */
    void commitPrepared(String dtid) {
        resolvePrepared("xa commit " + xid(dtid), dtid);
    }

    /** Rolls back the prepared branch of {@code dtid}; an unknown branch was already resolved (or never prepared). */
    void rollbackPrepared(String dtid) {
        resolvePrepared("xa rollback " + xid(dtid), dtid);
    }

    private void resolvePrepared(String sql, String dtid) {
        try {
            withConn(PoolKind.QUERY, conn -> {
                executor.run(conn, sql);
                return null;
            });
        } catch (VtException e) {
            if (e.errno() != ER_XAER_NOTA) {
                throw e;
            }
            log.debug("{}: {}: branch {} already resolved", logPrefix, sql, dtid);
        }
    }

    /** Writes the decision record of {@code dtid} in state PREPARE with its participants, in one transaction. */
    void createTransaction(String dtid, List<Target> participants) {
        withConn(PoolKind.TRANSACTION, conn -> {
            try {
                conn.connection().setAutoCommit(false);
                try (PreparedStatement st = conn.connection().prepareStatement(
                        "insert into _vt.dt_state (dtid, state, time_created) values (?, 'PREPARE', ?)")) {
                    st.setString(1, dtid);
                    st.setLong(2, System.currentTimeMillis() * 1_000_000L);
                    st.executeUpdate();
                }
                try (PreparedStatement st = conn.connection().prepareStatement(
                        "insert into _vt.dt_participant (dtid, id, keyspace, shard) values (?, ?, ?, ?)")) {
                    for (int i = 0; i < participants.size(); i++) {
                        st.setString(1, dtid);
                        st.setInt(2, i + 1);
                        st.setString(3, participants.get(i).getKeyspace());
                        st.setString(4, participants.get(i).getShard());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                conn.connection().commit();
                return null;
            } catch (SQLException e) {
                rollbackQuietly(conn);
                throw failed(conn, e);
            } finally {
                restoreAutocommit(conn);
            }
        });
    }

    /** Moves the record of {@code dtid} from PREPARE to {@code to}; FAILED_PRECONDITION when it is not PREPARE. */
    void transition(String dtid, TransactionState to) {
        int updated = withConn(PoolKind.QUERY, conn -> update(conn,
                "update _vt.dt_state set state = ? where dtid = ? and state = 'PREPARE'", to.name(), dtid));
        if (updated == 1) {
            return;
        }
        Optional<TransactionMetadata> now = read(dtid);
        if (now.isPresent() && now.get().getState() == to) {
            return; // already decided the same way
        }
        throw VtException.of(ErrorCode.FAILED_PRECONDITION, "could not transition atomic transaction " + dtid + " to "
                + to + ": it is " + now.map(m -> m.getState().name()).orElse("not found"));
    }

    /** Deletes the record of {@code dtid}. */
    void conclude(String dtid) {
        withConn(PoolKind.QUERY, conn -> {
            update(conn, "delete from _vt.dt_participant where dtid = ?", dtid);
            return update(conn, "delete from _vt.dt_state where dtid = ?", dtid);
        });
    }

    /** The record of {@code dtid}, or empty. */
    Optional<TransactionMetadata> read(String dtid) {
        List<TransactionMetadata> found = records("where s.dtid = ?", dtid);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Records created more than {@code abandonAge} ago, and this tablet's prepared branches made that long ago. */
    UnresolvedTransactionsResponse unresolved(Duration abandonAge) {
        long cutoffMillis = System.currentTimeMillis() - abandonAge.toMillis();
        UnresolvedTransactionsResponse.Builder out = UnresolvedTransactionsResponse.newBuilder();
        for (TransactionMetadata m : records("where s.time_created < ?", cutoffMillis * 1_000_000L)) {
            Dtid parsed = Dtid.parse(m.getDtid());
            if (parsed != null && parsed.keyspace().equals(keyspace) && parsed.shard().equals(shard)) {
                out.addTransactions(m); // tablets sharing one MySQL each report their own records
            }
        }
        for (String dtid : preparedDtids()) {
            Dtid parsed = Dtid.parse(dtid);
            if (parsed != null && parsed.createdMillis() < cutoffMillis) {
                out.addPreparedDtids(dtid);
            }
        }
        return out.build();
    }

    /** The dtids of this tablet's prepared branches (XA RECOVER rows whose branch is this keyspace:shard). */
    List<String> preparedDtids() {
        String branch = Dtid.branch(keyspace, shard);
        return withConn(PoolKind.QUERY, conn -> {
            List<String> out = new ArrayList<>();
            try (Statement st = conn.connection().createStatement(); ResultSet rs = st.executeQuery("xa recover")) {
                while (rs.next()) {
                    int gtridLength = rs.getInt("gtrid_length");
                    byte[] data = rs.getBytes("data");
                    String gtrid = new String(data, 0, gtridLength, StandardCharsets.UTF_8);
                    String bqual = new String(data, gtridLength, data.length - gtridLength, StandardCharsets.UTF_8);
                    if (bqual.equals(branch)) {
                        out.add(gtrid);
                    }
                }
            } catch (SQLException e) {
                throw failed(conn, e);
            }
            return out;
        });
    }

    private List<TransactionMetadata> records(String where, Object arg) {
        return withConn(PoolKind.QUERY, conn -> {
            Map<String, TransactionMetadata.Builder> byDtid = new LinkedHashMap<>();
            String sql = "select s.dtid, s.state, s.time_created, p.keyspace, p.shard from _vt.dt_state s "
                    + "left join _vt.dt_participant p on p.dtid = s.dtid " + where + " order by s.dtid, p.id";
            try (PreparedStatement st = conn.connection().prepareStatement(sql)) {
                st.setObject(1, arg);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        TransactionMetadata.Builder m = byDtid.computeIfAbsent(rs.getString(1), dtid -> newRecord(rs, dtid));
                        if (rs.getString(4) != null) {
                            m.addParticipants(Target.newBuilder().setKeyspace(rs.getString(4)).setShard(rs.getString(5)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw failed(conn, e);
            }
            return byDtid.values().stream().map(TransactionMetadata.Builder::build).toList();
        });
    }

    private static TransactionMetadata.Builder newRecord(ResultSet rs, String dtid) {
        try {
            return TransactionMetadata.newBuilder().setDtid(dtid).setState(TransactionState.valueOf(rs.getString(2)))
                    .setTimeCreated(rs.getLong(3));
        } catch (SQLException e) {
            throw MysqlErrors.toVtException(e);
        }
    }

    private static int update(DbConn conn, String sql, Object... args) {
        try (PreparedStatement st = conn.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw failed(conn, e);
        }
    }

    /** A query's single number (e.g. {@code select connection_id()}). */
    static long queryLong(DbConn conn, String sql) {
        try (Statement st = conn.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failed(conn, e);
        }
    }

    private <T> T withConn(PoolKind kind, java.util.function.Function<DbConn, T> work) {
        DbConn conn = pools.get(kind);
        try {
            return work.apply(conn);
        } finally {
            pools.giveBack(conn);
        }
    }

    private static void rollbackQuietly(DbConn conn) {
        try {
            conn.connection().rollback();
        } catch (SQLException e) {
            conn.markBroken();
        }
    }

    private static void restoreAutocommit(DbConn conn) {
        try {
            conn.connection().setAutoCommit(true);
        } catch (SQLException e) {
            conn.markBroken();
        }
    }

    private static VtException failed(DbConn conn, SQLException e) {
        if (MysqlErrors.isConnectionError(e)) {
            conn.markBroken();
        }
        return MysqlErrors.toVtException(e);
    }
}
