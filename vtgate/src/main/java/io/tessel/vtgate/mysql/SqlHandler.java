package io.tessel.vtgate.mysql;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.engine.ResultSink;
import io.tessel.vtgate.exec.Session;
import java.util.List;
import java.util.Map;

/**
 * What the MySQL protocol layer asks of the engine behind it. Calls other than
 * {@link #databaseExists} may block and are made off the event loop; failures are thrown as
 * {@link io.tessel.common.errors.VtException}.
 */
public interface SqlHandler {
    Session newSession(int connectionId, String user, List<String> roles);

    /** Whether a database name (a target) is known; called on the event loop, must not block. */
    boolean databaseExists(String name);

    QueryResult query(Session session, String sql);

    /**
     * Runs a statement (COM_QUERY) and sends its result to {@code sink} in parts: as the shards send them when
     * the session streams ({@link Session#isStreaming()}), else as one part.
     */
    default void streamQuery(Session session, String sql, ResultSink sink) {
        sink.accept(query(session, sql));
    }

    /**
     * Runs a prepared statement (COM_STMT_EXECUTE): {@code sql} has its {@code ?} markers as bind variables
     * {@code :v1 .. :vN} ({@link io.tessel.vtgate.sql.Placeholders}) and {@code params} their values.
     */
    QueryResult execute(Session session, String sql, Map<String, BindVariable> params);

    /**
     * The columns a prepared statement ({@code ?} markers as {@code :v1 .. :vN}) will return, for
     * COM_STMT_PREPARE; empty when it returns none or they cannot be known before it runs.
     */
    List<Field> prepareFields(Session session, String sql, int paramCount);

    /** Column definitions of a table, for COM_FIELD_LIST. */
    QueryResult fieldList(Session session, String table);

    void useDatabase(Session session, String name);

    /** COM_RESET_CONNECTION: roll back and forget session state. */
    void resetSession(Session session);

    /** The client is gone: roll back whatever the session holds open. */
    void closeSession(Session session);
}
