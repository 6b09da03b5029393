package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLObject;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.expr.SQLExistsExpr;
import com.alibaba.druid.sql.ast.expr.SQLInSubQueryExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLQueryExpr;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.ast.statement.SQLJoinTableSource;
import com.alibaba.druid.sql.ast.statement.SQLSelectQuery;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import com.alibaba.druid.sql.ast.statement.SQLTableSource;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.engine.RouteParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Plans SELECT: statements whose tables all live in one unsharded keyspace go there whole; a single table of
 * a sharded keyspace is routed by its WHERE clause, whole when it reaches one shard, else through the
 * scatter pipeline ({@link ScatterSelect}).
 */
final class SelectPlanner {
    private final PlanContext context;
    private final String source;

    /** @param source the statement's (normalized) text, for labels that must read as the client wrote them */
    SelectPlanner(PlanContext context, String source) {
        this.context = context;
        this.source = source;
    }

    Plan plan(SQLSelectStatement statement) {
        boolean isReadOnly = !isLocking(statement);
        String unsharded = TableCollector.singleUnshardedKeyspace(statement, context);
        if (unsharded != null) {
            return new Plan(unshardedRoute(statement, unsharded), isReadOnly);
        }
        if (statement.getSelect().getWithSubQuery() != null) {
            throw Planner.unsupported("WITH (common table expressions) on a sharded keyspace");
        }
        SQLSelectQuery query = statement.getSelect().getQuery();
        if (query instanceof com.alibaba.druid.sql.ast.statement.SQLUnionQuery union) {
            return new Plan(new UnionPlanner(this).plan(union), isReadOnly);
        }
        if (!(query instanceof SQLSelectQueryBlock block)) {
            throw Planner.unsupported("this SELECT form on a sharded keyspace");
        }
        SQLTableSource from = block.getFrom();
        if (from instanceof SQLExprTableSource source && source.getSchema() != null
                && PlanContext.isSystemSchema(Names.unquote(source.getSchema()))) {
            return new Plan(anyShardRoute(statement), isReadOnly);
        }
        if (from == null || (from instanceof SQLExprTableSource t && TableCollector.tables(t).isEmpty())) {
            return new Plan(anyShardRoute(statement), isReadOnly);
        }
        if (!(from instanceof SQLJoinTableSource) && !(from instanceof SQLExprTableSource)) {
            throw Planner.unsupported("derived tables on a sharded keyspace");
        }
        SubqueryPlanner subqueries = new SubqueryPlanner(context, this);
        Set<String> aliases = new HashSet<>();
        for (SQLExprTableSource t : TableCollector.tables(from)) {
            aliases.add(Names.unquote(t.getAlias() == null ? t.getTableName() : t.getAlias()).toLowerCase(Locale.ROOT));
        }
        block.getSelectList().forEach(item -> subqueries.pullOut(item, aliases));
        if (block.getWhere() != null) {
            subqueries.pullOut(block.getWhere(), aliases);
        }
        requireNoSubqueries(block);
        Primitive root = from instanceof SQLExprTableSource source
                ? singleTable(statement, block, context.resolve(source)) : join(statement, block);
        return new Plan(subqueries.wrap(root), isReadOnly);
    }

    /** A subquery pulled out of an outer query, planned as a SELECT of its own. */
    Plan planSubquery(SQLSelectStatement statement) {
        return plan(statement);
    }

    /**
     * A join whose tables all live on the same shards (joined on their primary vindex columns with the same
     * vindex, or reference tables) is one route; any other join is a nested loop at vtgate ({@link JoinPlanner}).
     */
    private Primitive join(SQLSelectStatement statement, SQLSelectQueryBlock block) {
        List<ResolvedTable> tables = new ArrayList<>();
        for (SQLExprTableSource t : TableCollector.tables(block.getFrom())) {
            tables.add(context.resolve(t));
        }
        ResolvedTable anchor = ColocatedTables.anchor(tables, block);
        if (anchor == null) {
            return new JoinPlanner(context).plan(block);
        }
        SqlWriter.stripKeyspaces(statement, context.vschema().keyspaces().keySet());
        RouteChoice choice = ColocatedTables.bestRoute(tables, block.getWhere());
        if (choice.isSingleShard()) {
            String fieldQuery = choice.vindex() != null || choice.opcode() == RouteOpcode.NONE ? fieldQuery(block) : "";
            return new Route(new RouteParams(choice.opcode(), anchor.keyspace().name(), SqlWriter.toSql(statement),
                    fieldQuery, anchor.name(), choice.vindex(), choice.values(), List.of(), List.of(), null, false));
        }
        return new ScatterSelect(anchor, choice, block, fieldQuery(block), source).plan(statement);
    }

    private Primitive singleTable(SQLSelectStatement statement, SQLSelectQueryBlock block, ResolvedTable table) {
        SqlWriter.stripKeyspaces(statement, context.vschema().keyspaces().keySet());
        RouteChoice choice = RoutePlanner.choose(table, block.getWhere());
        if (choice.inPredicate() != null) {
            choice.inPredicate().getTargetList().clear();
            choice.inPredicate().addTarget(SqlWriter.bindVar(RouteParams.LIST_VAR, true));
        }
        if (choice.isSingleShard()) {
            // a value may map to no shard (a lookup without the row, 'abc' for a hash): then the field query
            // gives the result's columns
            String fieldQuery = choice.vindex() != null || choice.opcode() == RouteOpcode.NONE ? fieldQuery(block) : "";
            return new Route(new RouteParams(choice.opcode(), table.keyspace().name(), SqlWriter.toSql(statement),
                    fieldQuery, table.name(), choice.vindex(), choice.values(), List.of(), List.of(), null, false));
        }
        return new ScatterSelect(table, choice, block, fieldQuery(block), source).plan(statement);
    }

    private Primitive unshardedRoute(SQLSelectStatement statement, String keyspace) {
        SqlWriter.stripKeyspaces(statement, context.vschema().keyspaces().keySet());
        SqlWriter.stripKeyspaces(statement, java.util.Set.of(keyspace));
        return new Route(RouteParams.of(RouteOpcode.UNSHARDED, keyspace, SqlWriter.toSql(statement), "", false));
    }

    /** A statement that reads no table of a keyspace (system schemas, no FROM): any shard of a keyspace answers. */
    private Primitive anyShardRoute(SQLSelectStatement statement) {
        String keyspace = context.defaultKeyspace().isEmpty()
                ? context.graph().keyspaces().stream().sorted().findFirst().orElseThrow(
                        () -> io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.UNAVAILABLE,
                                "no keyspace is serving"))
                : context.defaultKeyspace();
        return new Route(RouteParams.of(RouteOpcode.REFERENCE, keyspace, SqlWriter.toSql(statement), "", false));
    }

    /** {@code select ... from t where 1 != 1}: the shard answers with the result's fields and no rows. */
    static String fieldQuery(SQLSelectQueryBlock block) {
        SQLSelectQueryBlock copy = block.clone();
        copy.setWhere(new SQLBinaryOpExpr(new SQLIntegerExpr(1), SQLBinaryOperator.NotEqual, new SQLIntegerExpr(1)));
        copy.setOrderBy(null);
        copy.setLimit(null);
        copy.setForUpdate(false);
        return SqlWriter.toSql(copy);
    }

    private static boolean isLocking(SQLSelectStatement statement) {
        return statement.getSelect().getQuery() instanceof SQLSelectQueryBlock b && (b.isForUpdate() || b.isForShare()
                || (b instanceof com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlSelectQueryBlock m && m.isLockInShareMode()));
    }

    static void requireNoSubqueries(SQLObject node) {
        boolean[] found = {false};
        node.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLQueryExpr x) {
                found[0] = true;
                return false;
            }

            @Override
            public boolean visit(SQLInSubQueryExpr x) {
                found[0] = true;
                return false;
            }

            @Override
            public boolean visit(SQLExistsExpr x) {
                found[0] = true;
                return false;
            }
        });
        if (found[0]) {
            throw Planner.unsupported("subqueries on a sharded table");
        }
    }

    static boolean isColumnPosition(SQLExpr expr) {
        return expr instanceof SQLIntegerExpr;
    }
}
