package io.tessel.vtgate.mysql;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.exec.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted SqlHandler: known databases, canned results per SQL text, errors for the rest. A statement with
 * a gate waits for it to open before answering; one with an effect applies it to the session first.
 */
final class FakeSqlHandler implements SqlHandler {
    final Map<String, QueryResult> results = new ConcurrentHashMap<>();
    final List<String> databases = List.of("commerce");
    final List<String> executed = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<Integer> closedSessions = ConcurrentHashMap.newKeySet();
    final Map<String, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();
    final Map<String, java.util.function.Consumer<Session>> effects = new ConcurrentHashMap<>();
    final java.util.concurrent.Semaphore waiting = new java.util.concurrent.Semaphore(0);

    @Override
    public Session newSession(int connectionId, String user, List<String> roles) {
        return new Session(connectionId, user, roles);
    }

    @Override
    public boolean databaseExists(String name) {
        return databases.contains(name);
    }

    @Override
    public QueryResult query(Session session, String sql) {
        effects.getOrDefault(sql, s -> { }).accept(session);
        java.util.concurrent.CountDownLatch gate = gates.get(sql);
        if (gate != null) {
            waiting.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VtException.of(ErrorCode.CANCELED, "interrupted");
            }
        }
        QueryResult r = results.get(sql);
        if (r == null) {
            throw VtException.mysql(ErrorCode.INVALID_ARGUMENT, 1064, "42000", "syntax error near '" + sql + "'", null);
        }
        return r;
    }

    /** Prepared executions: the statement text, then each parameter as {@code name=TYPE:value}, in order. */
    @Override
    public QueryResult execute(Session session, String sql, Map<String, BindVariable> params) {
        StringBuilder key = new StringBuilder(sql);
        params.forEach((name, v) -> key.append(' ').append(name).append('=').append(v.getType()).append(':')
                .append(v.getValue().toStringUtf8()));
        executed.add(key.toString());
        return query(session, params.isEmpty() ? sql : key.toString());
    }

    /** Columns at prepare: the fields of the result registered as {@code "fields " + sql}, if any. */
    @Override
    public List<Field> prepareFields(Session session, String sql, int paramCount) {
        QueryResult r = results.get("fields " + sql);
        return r == null ? List.of() : r.getFieldsList();
    }

    @Override
    public QueryResult fieldList(Session session, String table) {
        return query(session, "fields " + table);
    }

    @Override
    public void useDatabase(Session session, String name) {
        session.setTargetString(name);
    }

    @Override
    public void resetSession(Session session) {}

    @Override
    public void closeSession(Session session) {
        closedSessions.add(session.connectionId());
    }
}
