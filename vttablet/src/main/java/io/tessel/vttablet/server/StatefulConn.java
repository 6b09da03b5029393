package io.tessel.vttablet.server;

import io.tessel.vttablet.pool.DbConn;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection {@link TxEngine} holds across calls, for a transaction, a reservation or both.
 * {@code inUse} keeps a second call off it while one runs; the other fields change only by the caller
 * holding {@code inUse}, and are volatile for the killer's ({@link TxKiller}) first look.
 */
final class StatefulConn {
    final long id;
    final DbConn conn;
    final AtomicBoolean inUse = new AtomicBoolean();
    volatile boolean isReserved;
    volatile boolean isInTransaction;
    volatile long txStartNanos;
    volatile long idleSinceNanos = System.nanoTime();
    /** its transaction's place in a hot row's queue, released when the transaction ends */
    volatile TxSerializer.Slot hotRow = TxSerializer.Slot.NONE;
    /** the XA branch's xid as SQL ({@code 'dtid','ks:shard'}), null for a plain transaction */
    volatile String xid;
    /** whether the XA branch ended cleanly (one-phase commit or rollback), so the connection may be pooled */
    volatile boolean isXaEnded;

    StatefulConn(long id, DbConn conn) {
        this.id = id;
        this.conn = conn;
    }
}
