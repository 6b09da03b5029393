package io.tessel.vtgate.exec;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Flag;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.exec.Session.ShardSession;
import io.tessel.vtgate.exec.SystemVariables.Assignment;
import java.util.Set;
import java.util.function.Function;

/**
 * SET of a system variable that must reach MySQL ({@code sql_mode}, {@code time_zone}, ...), as Vitess does
 * it: the session records the variable and its value as SQL, and from then on its statements run on
 * reserved connections, one per shard, that got the session's settings as pre-queries
 * ({@link Session#preQueries()}). A SET that would not change what the session sees (a driver re-asserting
 * a default) records nothing and reserves nothing. The new value is applied at once on every connection the
 * session has reserved, or on a first one, so MySQL checks it: a SET that MySQL refuses fails and leaves the
 * session as it was. {@code SET x = DEFAULT} forgets the setting. Variables that would change how the
 * tablet's connection replicates or identifies itself are refused, and so is {@code NO_BACKSLASH_ESCAPES} in
 * {@code sql_mode}: the tablets quote bind variables' strings with backslash escapes. Stateless.
 */
final class ReservedSettings {
    /** Variables a client must not change on the tablets' connections. */
    private static final Set<String> DENIED = Set.of("sql_log_bin", "gtid_next", "gtid_domain_id", "gtid_seq_no",
            "server_id", "skip_replication", "pseudo_thread_id", "pseudo_slave_mode", "pseudo_replica_mode",
            "sql_log_off", "wsrep_on");

    private final TxConn txConn;

    ReservedSettings(TxConn txConn) {
        this.txConn = txConn;
    }

    /**
     * Applies {@code a} to the session.
     *
     * @param anyTablet runs a statement for the session on one tablet (on its reserved connection there when
     *                  it has one, else reserving it when the session has settings)
     * @param options   the session's execute options
     */
    void apply(Session session, Assignment a, Function<String, QueryResult> anyTablet, ExecuteOptions options) {
        String name = a.name();
        if (DENIED.contains(name)) {
            throw SystemVariables.unsupported("SET " + name);
        }
        if (a.isDefault()) {
            if (session.settings().remove(name) != null) {
                applyEverywhere(session, name, "default", anyTablet, options, false);
            }
            return;
        }
        String[] wantedAndCurrent = SystemVariables.wantedAndCurrent(a, anyTablet);
        if (name.equals("sql_mode") && wantedAndCurrent[0] != null
                && wantedAndCurrent[0].toUpperCase(java.util.Locale.ROOT).contains("NO_BACKSLASH_ESCAPES")) {
            // the tablets write bind variables' strings with backslash escapes
            throw SystemVariables.unsupported("sql_mode NO_BACKSLASH_ESCAPES");
        }
        if (SystemVariables.sameSetting(name, wantedAndCurrent[0], wantedAndCurrent[1])) {
            return; // already what the session sees: nothing to reserve
        }
        String value = a.isLiteral() ? a.literalSql() : evaluated(a, anyTablet);
        String previous = session.settings().put(name, value);
        try {
            applyEverywhere(session, name, value, anyTablet, options, true);
        } catch (RuntimeException e) {
            if (previous == null) {
                session.settings().remove(name);
            } else {
                session.settings().put(name, previous);
            }
            throw e;
        }
    }

    /** The value of an expression, as a literal that gives MySQL the same value. */
    private static String evaluated(Assignment a, Function<String, QueryResult> anyTablet) {
        QueryResult r = anyTablet.apply("select " + a.expression());
        String value = SystemVariables.cell(r, 0);
        if (value == null) {
            return "null";
        }
        Field field = r.getFields(0);
        return isNumber(field.getType()) ? value : SystemVariables.quote(value);
    }

    /** Integral, floating-point and decimal types: their values are written bare. */
    static boolean isNumber(Type type) {
        int code = type.getNumber();
        boolean isNumeric = (code & (Flag.ISINTEGRAL_VALUE | Flag.ISFLOAT_VALUE)) != 0 && (code & Flag.ISQUOTED_VALUE) == 0;
        return isNumeric || type == Type.DECIMAL;
    }

    /**
     * Runs {@code SET @@session.name = value} on every shard where the session holds a reserved connection;
     * when it holds none and {@code isReserving}, on one tablet, which reserves the first connection.
     */
    private void applyEverywhere(Session session, String name, String value, Function<String, QueryResult> anyTablet,
                                 ExecuteOptions options, boolean isReserving) {
        String set = "set @@session." + name + " = " + value;
        boolean isApplied = false;
        for (ShardSession ss : session.shardSessions()) {
            if (ss.reservedId() != 0) {
                txConn.execute(session, ss.target(), BoundQuery.newBuilder().setSql(set).build(), options);
                isApplied = true;
            }
        }
        if (!isApplied && isReserving) {
            anyTablet.apply(set);
        }
    }

    /** {@code SET sql_select_limit}: a non-negative number, or DEFAULT (0: no limit). */
    static long selectLimit(Assignment a) {
        if (a.isDefault()) {
            return 0;
        }
        try {
            if (!a.isLiteral() || a.value() == null) {
                throw new NumberFormatException();
            }
            long limit = Long.parseUnsignedLong(a.value());
            return limit < 0 ? 0 : limit; // above Long.MAX_VALUE: as good as none
        } catch (NumberFormatException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_WRONG_VALUE_FOR_VAR,
                    "Variable 'sql_select_limit' can't be set to the value of '"
                            + (a.isLiteral() ? a.value() : a.expression()) + "'");
        }
    }
}
