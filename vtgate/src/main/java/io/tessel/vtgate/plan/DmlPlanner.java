package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLLimit;
import com.alibaba.druid.sql.ast.SQLOrderBy;
import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.ast.statement.SQLTableSource;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlDeleteStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlUpdateStatement;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.vindex.ColumnVindex;
import java.util.List;
import java.util.Set;

/**
 * Plans UPDATE and DELETE: routed by vindex equality or IN on the WHERE clause like a SELECT, else sent to
 * every shard (in one transaction); statements on one unsharded keyspace go there whole. Updating a primary
 * vindex column would move the row to another shard and is refused, as are LIMIT and ORDER BY across shards.
 * Tables that own lookup vindexes keep their lookup rows in step ({@link OwnedDml}).
 */
final class DmlPlanner {
    private final PlanContext context;

    DmlPlanner(PlanContext context) {
        this.context = context;
    }

    Plan planUpdate(MySqlUpdateStatement update) {
        String unsharded = TableCollector.singleUnshardedKeyspace(update, context);
        if (unsharded != null) {
            return whole(update, unsharded);
        }
        ResolvedTable table = singleTable(update.getTableSource(), "UPDATE");
        OwnedDml.requireUpdatable(table, update.getItems());
        RouteParams dml = route(update, table, update.getWhere(), update.getLimit(), update.getOrderBy(), "UPDATE");
        return new Plan(OwnedDml.update(table, dml, new OwnedDml.Source(update.getTableSource(), update.getWhere(),
                update.getOrderBy(), update.getLimit()), update.getItems()), false);
    }

    Plan planDelete(MySqlDeleteStatement delete) {
        String unsharded = TableCollector.singleUnshardedKeyspace(delete, context);
        if (unsharded != null) {
            return whole(delete, unsharded);
        }
        if (delete.getFrom() != null || delete.getUsing() != null) {
            throw Planner.unsupported("multi-table DELETE on a sharded keyspace");
        }
        ResolvedTable table = singleTable(delete.getTableSource(), "DELETE");
        RouteParams dml = route(delete, table, delete.getWhere(), delete.getLimit(), delete.getOrderBy(), "DELETE");
        if (table.schema() == null || table.schema().ownedLookups().isEmpty()) {
            return new Plan(new Route(dml), false);
        }
        return new Plan(OwnedDml.delete(table, dml, new OwnedDml.Source(delete.getTableSource(), delete.getWhere(),
                delete.getOrderBy(), delete.getLimit())), false);
    }

    private RouteParams route(SQLStatement statement, ResolvedTable table, SQLExpr where, SQLLimit limit,
            SQLOrderBy orderBy, String verb) {
        if (table.isReference()) {
            throw Planner.unsupported(verb + " of reference table '" + table.name() + "' of a sharded keyspace");
        }
        SelectPlanner.requireNoSubqueries(statement);
        SqlWriter.stripKeyspaces(statement, context.vschema().keyspaces().keySet());
        RouteChoice choice = RoutePlanner.choose(table, where);
        if (!choice.isSingleShard() && (limit != null || orderBy != null)) {
            throw Planner.unsupported("multi shard " + verb + " with LIMIT or ORDER BY");
        }
        if (choice.inPredicate() != null) {
            choice.inPredicate().getTargetList().clear();
            choice.inPredicate().addTarget(SqlWriter.bindVar(RouteParams.LIST_VAR, true));
        }
        return new RouteParams(choice.opcode(), table.keyspace().name(), SqlWriter.toSql(statement), "", table.name(),
                choice.vindex(), choice.values(), List.of(), List.of(), null, true);
    }

    private ResolvedTable singleTable(SQLTableSource source, String verb) {
        if (!(source instanceof SQLExprTableSource table)) {
            throw Planner.unsupported("multi-table " + verb + " on a sharded keyspace");
        }
        return context.resolve(table);
    }

    private Plan whole(SQLStatement statement, String keyspace) {
        SqlWriter.stripKeyspaces(statement, context.vschema().keyspaces().keySet());
        SqlWriter.stripKeyspaces(statement, Set.of(keyspace));
        return new Plan(new Route(RouteParams.of(RouteOpcode.UNSHARDED, keyspace, SqlWriter.toSql(statement), "", true)),
                false);
    }

    /** The vindex (of any kind) on the column {@code expr} names, or null. */
    private static ColumnVindex vindexOn(ResolvedTable table, SQLExpr expr) {
        String column = RoutePlanner.columnName(table, expr);
        if (column == null || table.schema() == null) {
            return null;
        }
        for (ColumnVindex cv : table.schema().columnVindexes()) {
            if (cv.columns().stream().anyMatch(c -> Names.column(c).equals(column))) {
                return cv;
            }
        }
        return null;
    }

    static boolean isVindexColumn(ResolvedTable table, SQLExpr expr) {
        return vindexOn(table, expr) != null;
    }
}
