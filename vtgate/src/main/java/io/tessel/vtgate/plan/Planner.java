package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlDeleteStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlInsertStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlUpdateStatement;
import com.alibaba.druid.sql.ast.statement.SQLReplaceStatement;
import com.alibaba.druid.sql.dialect.mysql.parser.MySqlStatementParser;
import com.alibaba.druid.sql.parser.ParserException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.engine.SequenceCache;
import java.util.List;

/**
 * Turns a normalized statement into a plan, as Vitess's planner: parses it with druid's MySQL parser and
 * hands each statement kind to its planner. A statement on an unsharded keyspace that druid cannot parse is
 * sent to the keyspace's shard as it is (MySQL is the judge of its syntax); on a sharded keyspace it is a
 * syntax error. Thread-safe; plans are cached by the caller.
 */
public final class Planner {
    private final SequenceCache sequences;

    public Planner(SequenceCache sequences) {
        this.sequences = sequences;
    }

    public Plan plan(String sql, PlanContext context) {
        if (!context.targetShard().isEmpty()) { // USE `ks:-80`: the statement goes to that shard as it is
            return new Plan(new Route(new RouteParams(RouteOpcode.BY_DESTINATION, context.defaultKeyspace(), sql, "", "",
                    null, null, List.of(context.targetShard()), List.of(), null, false)), false);
        }
        Plan next = SequencePlanner.tryPlan(sql, context, sequences);
        if (next != null) {
            return next;
        }
        sql = RowAlias.rewrite(sql);
        SQLStatement statement;
        try {
            MySqlStatementParser parser = new MySqlStatementParser(sql);
            statement = parser.parseStatement();
            if (parser.getLexer().token() != com.alibaba.druid.sql.parser.Token.EOF) {
                throw new ParserException("unexpected text after the statement at position " + parser.getLexer().pos());
            }
        } catch (ParserException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            return passThrough(sql, context, e);
        }
        return switch (statement) {
            case SQLSelectStatement s -> new SelectPlanner(context, sql).plan(s);
            case MySqlInsertStatement s -> new InsertPlanner(context, sequences).plan(s, false);
            case SQLReplaceStatement s -> throw unsupported("REPLACE on a sharded keyspace");
            case MySqlUpdateStatement s -> new DmlPlanner(context).planUpdate(s);
            case MySqlDeleteStatement s -> new DmlPlanner(context).planDelete(s);
            default -> passThrough(sql, context, null);
        };
    }

    /** The statement as it is to the default keyspace's shard, when that keyspace is unsharded. */
    private static Plan passThrough(String sql, PlanContext context, RuntimeException parseError) {
        if (!context.defaultKeyspace().isEmpty() && !context.keyspace(context.defaultKeyspace()).isSharded()) {
            return new Plan(new Route(RouteParams.of(RouteOpcode.UNSHARDED, context.defaultKeyspace(), sql, "",
                    true)), false);
        }
        if (parseError == null) {
            throw unsupported("this statement on a sharded keyspace");
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                "You have an error in your SQL syntax (" + parseError.getMessage() + ") in '" + truncated(sql) + "'");
    }

    /** A statement for an error message: at most 1000 characters (a 10 MB INSERT is not sent back whole). */
    static String truncated(String sql) {
        return sql.length() <= 1000 ? sql : sql.substring(0, 1000) + " [TRUNCATED]";
    }

    static VtException unsupported(String what) {
        return VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET, "VT12001: unsupported: " + what);
    }
}
