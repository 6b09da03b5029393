package io.tessel.vtgate.mysql;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.exec.Session;
import io.tessel.vtgate.mysql.packet.BinaryParams;
import io.tessel.vtgate.mysql.packet.Command.ComStmtExecute;
import io.tessel.vtgate.mysql.packet.Command.ComStmtFetch;
import io.tessel.vtgate.mysql.packet.Command.ComStmtSendLongData;
import io.tessel.vtgate.sql.Placeholders;
import io.tessel.vtgate.sql.StatementSplitter;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one connection and the COM_STMT_* commands on them. A statement is its text
 * with the {@code ?} markers turned into bind variables ({@link Placeholders}); each execution hands that
 * text and the decoded parameters to {@link SqlHandler#execute}, so planning and routing are those of
 * the literal query. Prepare describes the columns the handler can know before execution (a SELECT's
 * field query); for others it sends none, as MySQL does for statements whose columns it cannot know yet.
 * A read-only cursor is served from the buffered result.
 *
 * <p>Used only by the connection's command runner: one command at a time, each hand-off between threads a
 * happens-before edge, so no locking.
 */
final class PreparedStatements {
    /** MySQL's {@code max_prepared_stmt_count} default, here per connection. */
    static final int DEFAULT_MAX_STATEMENTS = 16_382;


    /** One prepared statement; its parameter types stay bound across executions, its long data until one. */
    private static final class Statement {
        final Placeholders sql;
        int[] types;
        ByteArrayOutputStream[] longData;
        QueryResult cursor;
        int cursorAt;

        Statement(Placeholders sql) {
            this.sql = sql;
        }

        void clearLongData() {
            longData = null;
        }
    }

    private final SqlHandler handler;
    private final Session session;
    private final Capabilities caps;
    private final int maxStatements;
    private final Map<Integer, Statement> statements = new HashMap<>();
    private int nextId = 1;

    PreparedStatements(SqlHandler handler, Session session, Capabilities caps, int maxStatements) {
        this.handler = handler;
        this.session = session;
        this.caps = caps;
        this.maxStatements = maxStatements;
    }

    /** COM_STMT_PREPARE: registers the statement and answers COM_STMT_PREPARE_OK. */
    void prepare(PacketWriter w, String sql) {
        List<String> parts = StatementSplitter.split(sql);
        if (parts.isEmpty()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_EMPTY_QUERY, "Query was empty");
        }
        if (parts.size() > 1) {
            throw CommandHandler.multipleStatements(parts.get(1));
        }
        if (statements.size() >= maxStatements) {
            throw VtException.of(ErrorCode.RESOURCE_EXHAUSTED, SqlError.ER_MAX_PREPARED_STMT_COUNT_REACHED,
                    "Can't create more than max_prepared_stmt_count statements (current value: " + maxStatements + ")");
        }
        Placeholders placeholders = Placeholders.of(sql);
        if (placeholders.count() > 0xFFFF) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PS_MANY_PARAM,
                    "Prepared statement contains too many placeholders");
        }
        int id = nextId;
        do {
            nextId = nextId == Integer.MAX_VALUE ? 1 : nextId + 1;
        } while (statements.containsKey(nextId));
        List<Field> columns = handler.prepareFields(session, placeholders.sql(), placeholders.count());
        statements.put(id, new Statement(placeholders));
        Replies.prepareOk(w, id, placeholders.count(), columns, caps, session.statusFlags());
    }

    /** COM_STMT_EXECUTE: decodes the parameters, runs the statement, answers with binary rows or a cursor. */
    void execute(PacketWriter w, ComStmtExecute e) {
        Statement s = lookup(e.statementId(), "mysqld_stmt_execute");
        s.cursor = null;
        byte[][] longData = null;
        if (s.longData != null) {
            longData = new byte[s.longData.length][];
            for (int k = 0; k < longData.length; k++) {
                longData[k] = s.longData[k] == null ? null : s.longData[k].toByteArray();
            }
        }
        BinaryParams.Bound bound;
        try {
            bound = BinaryParams.read(e.params(), s.sql.count(), s.types, longData);
        } finally {
            s.clearLongData(); // MySQL drops long data after each execution, failed or not
        }
        s.types = bound.types();
        QueryResult r = handler.execute(session, s.sql.sql(), bound.bindVars());
        boolean isCursor = (e.flags() & ComStmtExecute.CURSOR_TYPE_READ_ONLY) != 0 && r.getFieldsCount() > 0;
        if (isCursor) {
            s.cursor = r;
            s.cursorAt = 0;
            Replies.cursorOpened(w, r.getFieldsList(), caps, session.statusFlags());
        } else {
            Replies.binaryResult(w, r, caps, session.statusFlags());
        }
    }

    /** COM_STMT_FETCH: the next rows of the open cursor, then an end packet saying whether it is done. */
    void fetch(PacketWriter w, ComStmtFetch f) {
        Statement s = lookup(f.statementId(), "mysqld_stmt_fetch");
        QueryResult r = s.cursor;
        if (r == null) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_STMT_HAS_NO_OPEN_CURSOR,
                    "The statement (" + Integer.toUnsignedString(f.statementId()) + ") has no open cursor.");
        }
        int to = (int) Math.min(r.getRowsCount(), s.cursorAt + Math.max(1, f.rows()));
        Replies.binaryRows(w, r, s.cursorAt, to);
        s.cursorAt = to;
        int status = session.statusFlags() | ServerStatus.SERVER_STATUS_CURSOR_EXISTS;
        if (to == r.getRowsCount()) {
            status |= ServerStatus.SERVER_STATUS_LAST_ROW_SENT;
            s.cursor = null;
        }
        Replies.endOfRows(w, caps, 0, status);
    }

    /** COM_STMT_SEND_LONG_DATA: appends to a parameter's value. Never answered; bad ids are ignored, as MySQL does. */
    void sendLongData(ComStmtSendLongData d) {
        Statement s = statements.get(d.statementId());
        if (s == null || d.paramId() >= s.sql.count()) {
            return;
        }
        if (s.longData == null) {
            s.longData = new ByteArrayOutputStream[s.sql.count()];
        }
        if (s.longData[d.paramId()] == null) {
            s.longData[d.paramId()] = new ByteArrayOutputStream(Math.max(32, d.data().length));
        }
        s.longData[d.paramId()].writeBytes(d.data());
    }

    /** COM_STMT_RESET: forgets long data and closes the cursor; answers OK. */
    void reset(PacketWriter w, int statementId) {
        Statement s = lookup(statementId, "mysqld_stmt_reset");
        s.clearLongData();
        s.cursor = null;
        Replies.ok(w, 0, 0, session.statusFlags(), 0, "");
    }

    /** COM_STMT_CLOSE: never answered; an unknown id is ignored. */
    void close(int statementId) {
        statements.remove(statementId);
    }

    /** COM_RESET_CONNECTION deallocates every statement. */
    void clear() {
        statements.clear();
    }

    int size() {
        return statements.size();
    }

    private Statement lookup(int statementId, String command) {
        Statement s = statements.get(statementId);
        if (s == null) {
            throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_UNKNOWN_STMT_HANDLER, "Unknown prepared statement "
                    + "handler (" + Integer.toUnsignedString(statementId) + ") given to " + command);
        }
        return s;
    }
}
