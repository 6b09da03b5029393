package io.tessel.vtgate.mysql;

import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.exec.Session;
import java.util.List;

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

    /** Column definitions of a table, for COM_FIELD_LIST. */
    QueryResult fieldList(Session session, String table);

    void useDatabase(Session session, String name);

    /** COM_RESET_CONNECTION: roll back and forget session state. */
    void resetSession(Session session);

    /** The client is gone: roll back whatever the session holds open. */
    void closeSession(Session session);
}
