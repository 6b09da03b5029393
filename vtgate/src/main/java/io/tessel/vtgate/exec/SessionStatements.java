package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.ExecuteOptions.Workload;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.exec.SystemVariables.Assignment;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The statements that change a session rather than data: USE, and SET of vtgate's own variables
 * ({@code workload}, {@code transaction_mode}, {@code autocommit}, {@code sql_select_limit}), of user
 * variables ({@code @x}), of system variables vtgate keeps, and of those that need a reserved connection
 * ({@link ReservedSettings}). Also a session's defaults, at its start and on COM_RESET_CONNECTION.
 * Thread-safe.
 */
final class SessionStatements {
    private final ServingGraph graph;
    private final TxConn txConn;
    private final Passthrough passthrough;
    private final ReservedSettings reservedSettings;
    private final TransactionMode defaultMode;
    private final TabletType defaultTabletType;
    private final BiFunction<Session, String, QueryResult> select;

    /**
     * @param select plans and runs a SELECT in a session, to evaluate the expression a user variable is set to
     */
    SessionStatements(Executor.Services services, Passthrough passthrough, TransactionMode defaultMode,
                      TabletType defaultTabletType, BiFunction<Session, String, QueryResult> select) {
        this.graph = services.graph();
        this.txConn = services.txConn();
        this.passthrough = passthrough;
        this.reservedSettings = new ReservedSettings(txConn);
        this.defaultMode = defaultMode;
        this.defaultTabletType = defaultTabletType;
        this.select = select;
    }

    Session newSession(int connectionId, String user, List<String> roles) {
        Session session = new Session(connectionId, user, roles);
        session.setTransactionMode(defaultMode);
        return session;
    }

    /** Whether {@code name} ({@code ks}, {@code ks:shard}, {@code ks@replica}) names a serving keyspace or shard. */
    boolean databaseExists(String name) {
        TargetString t = TargetString.parse(name, defaultTabletType);
        return graph.shards(t.keyspace()).map(shards -> t.shard().isEmpty() || shards.contains(t.shard())).orElse(false);
    }

    QueryResult use(Session session, String sql) {
        List<Token> t = Tokenizer.tokenize(sql);
        Token db = t.get(1);
        if (db.kind() == Token.Kind.EOF || t.get(2).kind() != Token.Kind.EOF) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                    "You have an error in your SQL syntax near '" + sql + "'");
        }
        useDatabase(session, db.kind() == Token.Kind.QUOTED_IDENT ? db.text() : sql.substring(db.start(), db.end()));
        return QueryResult.getDefaultInstance();
    }

    void useDatabase(Session session, String name) {
        if (name.startsWith("@") && !session.targetString().isEmpty()) { // USE @replica: same keyspace, other type
            String current = session.targetString();
            int at = current.lastIndexOf('@');
            name = (at < 0 ? current : current.substring(0, at)) + name;
        }
        if (!databaseExists(name)) {
            throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_BAD_DB_ERROR, "Unknown database '" + name + "'");
        }
        session.setTargetString(name);
    }

    QueryResult set(Session session, String sql) {
        List<Assignment> assignments = SystemVariables.parseSet(sql, Tokenizer.tokenize(sql));
        for (Assignment a : assignments) {
            if (a.name().equals("workload")) {
                session.setWorkload(workload(a));
            } else if (a.name().equals("transaction_mode")) {
                if (!a.isLiteral()) {
                    throw SystemVariables.unsupported("SET transaction_mode to an expression");
                }
                session.setTransactionMode(TransactionMode.parse(a.value()));
            } else if (a.name().equals("autocommit")) {
                if (!a.isLiteral()) {
                    throw SystemVariables.unsupported("SET autocommit to an expression");
                }
                setAutocommit(session, a.value());
            } else if (a.isUserVariable()) {
                session.userVariables().put(UserVariables.sessionName(a), userVariable(session, a));
            } else if (a.name().equals("sql_select_limit")) {
                session.setSqlSelectLimit(ReservedSettings.selectLimit(a));
            } else if (SystemVariables.isKept(a)) {
                SystemVariables.apply(session, a, q -> passthrough.routeAnywhere(session, q));
            } else {
                reservedSettings.apply(session, a, q -> passthrough.routeAnywhere(session, q),
                        Passthrough.options(session));
            }
        }
        return QueryResult.getDefaultInstance();
    }

    /** A user variable's new value: a literal as it is, an expression evaluated like a SELECT of it. */
    private BindVariable userVariable(Session session, Assignment a) {
        BindVariable literal = a.isLiteral() ? UserVariables.literal(a) : null;
        if (literal != null) {
            return literal;
        }
        String expression = a.isLiteral() ? a.literalSql() : a.expression();
        return UserVariables.fromResult(select.apply(session, "select " + expression));
    }

    /** {@code SET workload = 'oltp' | 'olap' | 'dba'}, as Vitess takes it. */
    private static Workload workload(Assignment a) {
        if (!a.isLiteral()) {
            throw SystemVariables.unsupported("SET workload to an expression");
        }
        String value = a.value() == null ? "" : a.value().toUpperCase(Locale.ROOT);
        return switch (value) {
            case "OLTP" -> Workload.OLTP;
            case "OLAP" -> Workload.OLAP;
            case "DBA" -> Workload.DBA;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'workload' can't be set to the value of '" + a.value() + "'");
        };
    }

    private void setAutocommit(Session session, String value) {
        boolean on = switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "1", "on", "true" -> true;
            case "0", "off", "false" -> false;
            default -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'autocommit' can't be set to the value of '" + value + "'");
        };
        if (on && !session.isAutocommit() && session.isInTransaction()) {
            txConn.commit(session); // turning autocommit on commits the open transaction, as in MySQL
        }
        session.setAutocommit(on);
    }

    /** COM_RESET_CONNECTION: rolls back, releases reserved connections and forgets every session variable. */
    void reset(Session session) {
        try {
            txConn.release(session);
        } finally {
            session.setAutocommit(true);
            session.setWorkload(Workload.OLTP);
            session.setTransactionMode(defaultMode);
            session.setSqlSelectLimit(0);
            session.systemVariables().clear();
            session.settings().clear();
            session.userVariables().clear();
            session.sqlPrepared().clear();
        }
    }
}
