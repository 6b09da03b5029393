package io.tessel.vtgate.exec;

import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import java.util.List;

/**
 * The transaction control statements vtgate answers itself: BEGIN and START TRANSACTION, COMMIT, and
 * ROLLBACK [WORK], over every shard the session's transaction reached ({@link TxConn}); and what a deadlock
 * leaves of a transaction. Thread-safe.
 */
final class TransactionControl {
    private final TxConn txConn;

    TransactionControl(TxConn txConn) {
        this.txConn = txConn;
    }

    /** Whether a statement starting with START is START TRANSACTION (others go to a tablet). */
    static boolean isStartTransaction(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        return t.get(1).is("transaction");
    }

    /** Whether a statement starting with ROLLBACK is a plain ROLLBACK [WORK] (not ROLLBACK TO a savepoint). */
    static boolean isPlainRollback(String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        return t.get(1).kind() == Token.Kind.EOF || (t.get(1).is("work") && t.get(2).kind() == Token.Kind.EOF);
    }

    QueryResult begin(Session session) {
        if (session.isInTransaction()) {
            txConn.commit(session); // MySQL commits an open transaction on BEGIN
        }
        session.setInTransaction(true);
        return QueryResult.getDefaultInstance();
    }

    QueryResult commit(Session session) {
        txConn.commit(session);
        return QueryResult.getDefaultInstance();
    }

    QueryResult rollback(Session session) {
        txConn.rollback(session);
        return QueryResult.getDefaultInstance();
    }

    /**
     * A deadlock (1213) makes MySQL roll the whole transaction back, and the tablet forgets it; vtgate then
     * rolls back the transaction's other shards too and leaves the transaction, so the session continues as
     * a MySQL session would (a following BEGIN or COMMIT finds no dead transaction id) and no shard keeps
     * half of a transaction the client was told is gone. Returns {@code e} for the caller to throw.
     */
    VtException afterError(Session session, VtException e) {
        if (e.hasErrno() && e.errno() == SqlError.ER_LOCK_DEADLOCK.errno() && session.isInTransaction()) {
            txConn.rollbackAfterAbort(session);
        }
        return e;
    }
}
