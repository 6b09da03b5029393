package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLLimit;
import com.alibaba.druid.sql.ast.SQLOrderBy;
import com.alibaba.druid.sql.ast.SQLOrderingSpecification;
import com.alibaba.druid.sql.ast.expr.SQLAllColumnExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLMethodInvokeExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.statement.SQLSelectItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectOrderByItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import io.tessel.vtgate.engine.Distinct;
import io.tessel.vtgate.engine.DistinctColumn;
import io.tessel.vtgate.engine.Limit;
import io.tessel.vtgate.engine.OrderBy;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.engine.RouteParams.ColumnSlice;
import io.tessel.vtgate.engine.SimpleProjection;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a single-table SELECT that reaches several shards, as Vitess does: each shard runs the query with its
 * ORDER BY and a LIMIT of offset + count, vtgate merge-sorts the shards' rows (text keys by their
 * {@code weight_string()}, fetched as hidden columns), removes duplicates for DISTINCT and applies the limit.
 * Aggregation and GROUP BY are planned by {@link AggregateSelect}.
 */
final class ScatterSelect {
    /** Bind variable holding offset + count for the shards' LIMIT when the query has an offset. */
    static final String UPPER_LIMIT = "__upper_limit";

    private final ResolvedTable table;
    private final RouteChoice choice;
    private final SQLSelectQueryBlock block;
    private final String fieldQuery;
    private final String source;

    ScatterSelect(ResolvedTable table, RouteChoice choice, SQLSelectQueryBlock block, String fieldQuery, String source) {
        this.table = table;
        this.choice = choice;
        this.block = block;
        this.fieldQuery = fieldQuery;
        this.source = source;
    }

    /** The statement's text, for column labels. */
    String source() {
        return source;
    }

    Primitive plan(SQLSelectStatement statement) {
        if (Aggregates.hasAggregates(block) || (block.getGroupBy() != null && !block.getGroupBy().getItems().isEmpty())) {
            return new AggregateSelect(this, block).plan(statement);
        }
        List<SQLSelectItem> items = new ArrayList<>(block.getSelectList());
        int firstStar = firstStar(items);
        boolean isDistinct = block.isDistinct();
        if (isDistinct && firstStar >= 0) {
            throw Planner.unsupported("SELECT DISTINCT * across shards");
        }
        boolean isJoin = block.getFrom() instanceof com.alibaba.druid.sql.ast.statement.SQLJoinTableSource;
        List<SQLExpr> hidden = new ArrayList<>();
        List<int[]> keys = new ArrayList<>(); // {column or -(hidden index + 1), weight hidden index, desc}
        for (SQLSelectOrderByItem item : orderItems()) {
            int visible = visibleColumn(item.getExpr(), items, firstStar);
            SQLExpr keyExpr = visible >= 0 ? items.get(visible).getExpr() : item.getExpr();
            if (visible < 0 && isDistinct) {
                throw Planner.unsupported("SELECT DISTINCT ordered by an expression not in the select list, across shards");
            }
            int column = visible >= 0 ? visible : -(addHidden(hidden, keyExpr) + 1);
            int weight = addHidden(hidden, weightString(keyExpr));
            keys.add(new int[] {column, weight, item.getType() == SQLOrderingSpecification.DESC ? 1 : 0});
        }
        List<Integer> distinctWeights = new ArrayList<>();
        if (isDistinct) {
            for (SQLSelectItem item : items) {
                distinctWeights.add(addHidden(hidden, weightString(item.getExpr())));
            }
        }
        // With SELECT *, the visible columns' count is unknown: hidden columns go first and * is qualified.
        boolean isHiddenFirst = firstStar >= 0 && !hidden.isEmpty();
        if (isHiddenFirst && isJoin) {
            throw Planner.unsupported("SELECT * over a join ordered across shards (name the columns)");
        }
        int base = isHiddenFirst ? hidden.size() : 0;
        int hiddenBase = isHiddenFirst ? 0 : items.size();
        layOut(items, hidden, isHiddenFirst);
        PlanValue[] limit = pushLimit();
        List<OrderBy> order = new ArrayList<>();
        for (int[] k : keys) {
            int column = k[0] >= 0 ? base + k[0] : hiddenBase + (-k[0] - 1);
            order.add(new OrderBy(column, hiddenBase + k[1], k[2] == 1));
        }
        ColumnSlice visible = hidden.isEmpty() ? ColumnSlice.ALL
                : isHiddenFirst ? new ColumnSlice(hidden.size(), -1) : new ColumnSlice(0, items.size());
        Primitive top;
        if (isDistinct) {
            top = new Route(routeParams(SqlWriter.toSql(statement), order, ColumnSlice.ALL));
            List<DistinctColumn> columns = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                columns.add(new DistinctColumn(i, hiddenBase + distinctWeights.get(i)));
            }
            top = new Distinct(top, columns, 0);
            top = limit == null ? top : new Limit(top, limit[0], limit[1]);
            return visible == ColumnSlice.ALL ? top : new SimpleProjection(top, visible.from(), visible.to());
        }
        top = new Route(routeParams(SqlWriter.toSql(statement), order, visible));
        return limit == null ? top : new Limit(top, limit[0], limit[1]);
    }

    RouteParams routeParams(String query, List<OrderBy> order, ColumnSlice columns) {
        return new RouteParams(choice.opcode(), table.keyspace().name(), query, fieldQuery, table.name(),
                choice.vindex(), choice.values(), List.of(), order, columns, false);
    }

    private List<SQLSelectOrderByItem> orderItems() {
        SQLOrderBy orderBy = block.getOrderBy();
        return orderBy == null ? List.of() : orderBy.getItems();
    }

    /**
     * Rewrites the shard query's LIMIT: count stays when there is no offset; with an offset the shards return
     * offset + count rows ({@code :__upper_limit}). Returns {count, offset} for vtgate's Limit, or null.
     */
    PlanValue[] pushLimit() {
        SQLLimit limit = block.getLimit();
        if (limit == null) {
            return null;
        }
        PlanValue count = limitValue(limit.getRowCount());
        PlanValue offset = limit.getOffset() == null ? null : limitValue(limit.getOffset());
        if (offset != null) {
            block.setLimit(new SQLLimit(SqlWriter.bindVar(UPPER_LIMIT, false)));
        }
        return new PlanValue[] {count, offset};
    }

    /** For aggregated queries: the LIMIT is vtgate's alone (shards return every group); returns {count, offset}. */
    PlanValue[] pushLimitRemoved(SQLSelectQueryBlock query) {
        SQLLimit limit = query.getLimit();
        if (limit == null) {
            return null;
        }
        query.setLimit(null);
        return new PlanValue[] {limitValue(limit.getRowCount()),
                limit.getOffset() == null ? null : limitValue(limit.getOffset())};
    }

    static PlanValue limitValue(SQLExpr expr) {
        PlanValue v = RoutePlanner.planValue(expr);
        if (v == null) {
            throw Planner.unsupported("LIMIT with an expression across shards");
        }
        return v;
    }

    /** Puts the hidden columns into the shard query's select list: after the items, or before them (qualifying *). */
    private void layOut(List<SQLSelectItem> items, List<SQLExpr> hidden, boolean isHiddenFirst) {
        List<SQLSelectItem> list = block.getSelectList();
        list.clear();
        if (isHiddenFirst) {
            // positions in the shard's ORDER BY would now point at the hidden columns: name the items instead
            for (SQLSelectOrderByItem o : orderItems()) {
                if (o.getExpr() instanceof SQLIntegerExpr position) {
                    o.setExpr(items.get(position.getNumber().intValue() - 1).getExpr().clone());
                }
            }
            hidden.forEach(h -> list.add(new SQLSelectItem(h)));
            for (SQLSelectItem item : items) {
                if (item.getExpr() instanceof SQLAllColumnExpr) {
                    item.setExpr(new SQLPropertyExpr(new SQLIdentifierExpr(table.alias()), "*"));
                }
                list.add(item);
            }
        } else {
            list.addAll(items);
            hidden.forEach(h -> list.add(new SQLSelectItem(h)));
        }
        list.forEach(item -> item.setParent(block));
    }

    static int addHidden(List<SQLExpr> hidden, SQLExpr expr) {
        String text = SqlWriter.toSql(expr);
        for (int i = 0; i < hidden.size(); i++) {
            if (SqlWriter.toSql(hidden.get(i)).equals(text)) {
                return i;
            }
        }
        hidden.add(expr);
        return hidden.size() - 1;
    }

    static SQLExpr weightString(SQLExpr expr) {
        SQLMethodInvokeExpr ws = new SQLMethodInvokeExpr("weight_string");
        ws.addArgument(expr.clone());
        return ws;
    }

    /**
     * The select item an ORDER BY or GROUP BY expression names: a 1-based position, an alias, or the same
     * expression; -1 if none (or when it would come after a *, whose width is unknown).
     */
    static int visibleColumn(SQLExpr expr, List<SQLSelectItem> items, int firstStar) {
        int limit = firstStar < 0 ? items.size() : firstStar;
        if (expr instanceof SQLIntegerExpr position) {
            int index = position.getNumber().intValue() - 1;
            if (index < 0 || index >= items.size()) {
                throw io.tessel.common.errors.VtException.of(io.tessel.common.errors.ErrorCode.INVALID_ARGUMENT,
                        io.tessel.common.errors.SqlError.ER_UNKNOWN_ERROR, "Unknown column '" + (index + 1) + "' in 'order clause'");
            }
            if (index >= limit) {
                throw Planner.unsupported("ORDER BY or GROUP BY position " + (index + 1) + " after a * across shards");
            }
            return index;
        }
        String text = SqlWriter.toSql(expr);
        for (int i = 0; i < limit; i++) {
            SQLSelectItem item = items.get(i);
            if (item.getAlias() != null && expr instanceof SQLIdentifierExpr id
                    && Names.column(item.getAlias()).equals(Names.column(id.getName()))) {
                return i;
            }
            if (SqlWriter.toSql(item.getExpr()).equalsIgnoreCase(text)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstStar(List<SQLSelectItem> items) {
        for (int i = 0; i < items.size(); i++) {
            SQLExpr e = items.get(i).getExpr();
            if (e instanceof SQLAllColumnExpr || (e instanceof SQLPropertyExpr p && p.getName().equals("*"))) {
                return i;
            }
        }
        return -1;
    }
}
