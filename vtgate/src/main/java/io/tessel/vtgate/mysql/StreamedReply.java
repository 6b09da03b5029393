package io.tessel.vtgate.mysql;

import io.tessel.common.errors.RpcErrors;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.engine.ResultSink;
import io.tessel.vtgate.exec.Session;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply to a COM_QUERY whose result streams ({@code SET workload = 'olap'}): the column definitions go
 * out with the first part, the rows of each part as it arrives, then the end packet with the session's
 * status once the statement is done. After each part the writer flushes and, while the client reads slower
 * than the shards send, waits for the socket ({@link PacketWriter#flushAndAwaitWritable}), which holds the
 * shards back through their bounded queues and the tablets' flow control. A client that disconnects stops
 * the stream. A result without fields (a statement that returns none) becomes an OK packet. Used by one
 * command runner thread.
 */
final class StreamedReply implements ResultSink {
    private static final Logger log = LoggerFactory.getLogger(StreamedReply.class);

    private final PacketWriter w;
    private final Capabilities caps;
    private final Session session;
    private int columns = -1; // until the fields arrive
    private long rowsAffected;
    private long insertId;
    private int warnings;
    private String info = "";
    private boolean isClientGone;

    private StreamedReply(PacketWriter w, Capabilities caps, Session session) {
        this.w = w;
        this.caps = caps;
        this.session = session;
    }

    /**
     * Runs {@code statement} with a sink that writes its result to the client as it comes. A failure before
     * any packet reached the channel is thrown (the caller replies with ERR as for any command); after that,
     * an ERR packet ends the result set in place of its end packet, as MySQL does.
     */
    static void write(PacketWriter w, Capabilities caps, Session session, Consumer<ResultSink> statement) {
        StreamedReply reply = new StreamedReply(w, caps, session);
        try {
            statement.accept(reply);
        } catch (RuntimeException e) {
            if (!w.isWritten()) {
                throw e;
            }
            VtException error = RpcErrors.toVtException(e);
            log.debug("vtgate conn {}: streamed query failed after rows were sent: {}", session.connectionId(),
                    error.getMessage());
            Replies.error(w, error);
            return;
        }
        reply.finish();
    }

    @Override
    public boolean accept(QueryResult part) {
        if (isClientGone) {
            return false;
        }
        warnings += part.getWarningsCount();
        if (columns < 0 && part.getFieldsCount() == 0) {
            rowsAffected += part.getRowsAffected();
            insertId = insertId == 0 ? part.getInsertId() : insertId;
            info = part.getInfo().isEmpty() ? info : part.getInfo();
            return true;
        }
        if (columns < 0) {
            columns = part.getFieldsCount();
            Replies.resultSetStart(w, part.getFieldsList(), caps, session.statusFlags());
        }
        Replies.textRows(w, part, columns);
        isClientGone = !w.flushAndAwaitWritable();
        return !isClientGone;
    }

    private void finish() {
        if (columns < 0) {
            Replies.ok(w, rowsAffected, insertId, session.statusFlags(), warnings, info);
        } else {
            Replies.endOfRows(w, caps, warnings, session.statusFlags());
        }
    }
}
