package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLOrderBy;
import com.alibaba.druid.sql.ast.SQLOrderingSpecification;
import com.alibaba.druid.sql.ast.expr.SQLAggregateExpr;
import com.alibaba.druid.sql.ast.expr.SQLAggregateOption;
import com.alibaba.druid.sql.ast.expr.SQLAllColumnExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.statement.SQLSelectGroupByClause;
import com.alibaba.druid.sql.ast.statement.SQLSelectItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectOrderByItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import io.tessel.vtgate.engine.Aggregate;
import io.tessel.vtgate.engine.AggregateOpcode;
import io.tessel.vtgate.engine.AggregateParam;
import io.tessel.vtgate.engine.AggregateVariant;
import io.tessel.vtgate.engine.Filter;
import io.tessel.vtgate.engine.GroupByParam;
import io.tessel.vtgate.engine.Limit;
import io.tessel.vtgate.engine.MemorySort;
import io.tessel.vtgate.engine.OrderBy;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Projection;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteParams.ColumnSlice;
import io.tessel.vtgate.engine.SimpleProjection;
import io.tessel.vtgate.evalengine.ArithmeticOp;
import io.tessel.vtgate.evalengine.Expr;
import io.tessel.vtgate.evalengine.ExprTranslator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Plans aggregation across shards, as Vitess does: shards compute partial aggregates grouped and ordered by
 * the GROUP BY keys (and the argument of a DISTINCT aggregate), vtgate merge-sorts them and combines equal
 * keys (COUNT as a sum of counts, SUM, MIN, MAX; AVG as SUM / COUNT), then evaluates HAVING, sorts for an
 * ORDER BY the grouping does not give, and applies LIMIT. Text keys compare by {@code weight_string()}.
 */
final class AggregateSelect {
    private final ScatterSelect scatter;
    private final SQLSelectQueryBlock block;
    /** The shard query's visible columns, one per select item, in order. */
    private final List<SQLSelectItem> shardItems = new ArrayList<>();
    /** Columns only vtgate needs (weight strings, AVG's counts, HAVING/ORDER BY aggregates), after the visible ones. */
    private final List<SQLSelectItem> hiddenItems = new ArrayList<>();
    private final List<AggregateParam> aggregates = new ArrayList<>();
    private final List<GroupByParam> groupBy = new ArrayList<>();
    /** Column of each aggregate or key by its SQL text, for HAVING and ORDER BY. */
    private final Map<String, Integer> columnsByText = new HashMap<>();
    /** AVG columns: the SUM column (where the average lands) and its COUNT column. */
    private final Map<Integer, Integer> averages = new HashMap<>();
    private final List<SQLExpr> groupKeys = new ArrayList<>();
    private SQLExpr distinctArgument;
    /** Positions in {@link #aggregates} of DISTINCT aggregates, which get the argument's weight string later. */
    private final List<Integer> distinctAggregates = new ArrayList<>();
    private int visibleCount;

    AggregateSelect(ScatterSelect scatter, SQLSelectQueryBlock block) {
        this.scatter = scatter;
        this.block = block;
    }

    Primitive plan(SQLSelectStatement statement) {
        List<SQLSelectItem> items = new ArrayList<>(block.getSelectList());
        visibleCount = items.size();
        SQLSelectGroupByClause groupClause = block.getGroupBy();
        if (groupClause != null && groupClause.isWithRollUp()) {
            throw Planner.unsupported("GROUP BY ... WITH ROLLUP across shards");
        }
        List<SQLExpr> keys = groupClause == null ? List.of() : groupClause.getItems();
        for (SQLExpr key : keys) {
            int visible = ScatterSelect.visibleColumn(key, items, -1);
            groupKeys.add(visible >= 0 ? items.get(visible).getExpr() : key);
        }
        for (SQLSelectItem item : items) {
            addItem(item);
        }
        if (shardItems.size() != visibleCount) {
            throw new IllegalStateException("BUG: " + shardItems.size() + " shard columns for " + visibleCount + " items");
        }
        SQLExpr having = groupClause == null ? null : groupClause.getHaving();
        List<SQLSelectOrderByItem> order = block.getOrderBy() == null ? List.of() : block.getOrderBy().getItems();
        if (having != null) {
            Aggregates.each(having, this::ensureAggregate);
        }
        order.forEach(o -> Aggregates.each(o.getExpr(), this::ensureAggregate));
        List<OrderBy> merge = groupByColumns();
        rewriteShardQuery(merge);
        PlanValue[] limit = scatter.pushLimitRemoved(block);
        Primitive top = new Route(scatter.routeParams(SqlWriter.toSql(statement), merge, ColumnSlice.ALL));
        AggregateVariant variant = groupKeys.isEmpty() ? AggregateVariant.SCALAR : AggregateVariant.ORDERED;
        top = new Aggregate(top, variant, aggregates, groupBy, 0);
        if (!averages.isEmpty()) {
            top = averages(top);
        }
        if (having != null) {
            top = new Filter(top, ExprTranslator.translate(having, e -> resolve(e, items)));
        }
        List<OrderBy> finalOrder = finalOrder(order, items);
        if (!finalOrder.isEmpty()) {
            top = new MemorySort(top, finalOrder, null);
        }
        if (limit != null) {
            top = new Limit(top, limit[0], limit[1]);
        }
        return hiddenItems.isEmpty() ? top : new SimpleProjection(top, 0, visibleCount);
    }

    private void addItem(SQLSelectItem item) {
        SQLExpr e = item.getExpr();
        int column = shardItems.size();
        String text = SqlWriter.toSql(e);
        if (e instanceof SQLAllColumnExpr) {
            throw Planner.unsupported("SELECT * with aggregates or GROUP BY across shards");
        }
        if (e instanceof SQLAggregateExpr agg) {
            addAggregate(agg, item.getAlias() == null ? label(agg) : item.getAlias(), item.getAlias(), false);
        } else if (Aggregates.contains(e)) {
            throw Planner.unsupported("an expression over aggregate functions (" + text + ") across shards");
        } else {
            shardItems.add(item);
            if (indexOfKey(e) < 0) {
                aggregates.add(new AggregateParam(AggregateOpcode.ANY_VALUE, column, item.getAlias()));
            }
        }
        columnsByText.putIfAbsent(text.toLowerCase(Locale.ROOT), column);
        if (item.getAlias() != null) {
            columnsByText.putIfAbsent(Names.column(item.getAlias()), column);
        }
    }

    /**
     * Adds the shard column(s) of an aggregate and how vtgate combines them; returns its column. A visible
     * aggregate takes the next visible column, a hidden one (used only by HAVING or ORDER BY) a hidden column.
     */
    private int addAggregate(SQLAggregateExpr agg, String name, String alias, boolean isHidden) {
        String fn = agg.getMethodName().toLowerCase(Locale.ROOT);
        boolean isDistinct = agg.getOption() == SQLAggregateOption.DISTINCT;
        int column = isHidden ? visibleCount + hiddenItems.size() : shardItems.size();
        List<SQLSelectItem> target = isHidden ? hiddenItems : shardItems;
        if (isDistinct && (fn.equals("count") || fn.equals("sum"))) {
            if (agg.getArguments().size() != 1) {
                throw Planner.unsupported(fn + "(DISTINCT) of several expressions across shards");
            }
            SQLExpr argument = agg.getArguments().getFirst();
            if (distinctArgument != null && !SqlWriter.toSql(distinctArgument).equals(SqlWriter.toSql(argument))) {
                throw Planner.unsupported("DISTINCT aggregates of different expressions across shards");
            }
            distinctArgument = argument;
            target.add(item(argument.clone(), isHidden ? null : name));
            distinctAggregates.add(aggregates.size());
            aggregates.add(new AggregateParam(fn.equals("count") ? AggregateOpcode.COUNT_DISTINCT
                    : AggregateOpcode.SUM_DISTINCT, column, alias));
            return column;
        }
        switch (fn) {
            case "count", "sum", "min", "max" -> {
                target.add(item(agg, isHidden ? null : alias)); // unaliased, the shard labels it as MySQL would
                AggregateOpcode op = switch (fn) {
                    case "count" -> AggregateOpcode.COUNT;
                    case "sum" -> AggregateOpcode.SUM;
                    case "min" -> AggregateOpcode.MIN;
                    default -> AggregateOpcode.MAX;
                };
                int weight = op == AggregateOpcode.MIN || op == AggregateOpcode.MAX
                        ? hidden(ScatterSelect.weightString(agg)) : -1; // text MIN/MAX by collation
                aggregates.add(new AggregateParam(op, column, weight, alias));
            }
            case "avg" -> {
                if (isDistinct) {
                    throw Planner.unsupported("AVG(DISTINCT) across shards");
                }
                SQLAggregateExpr sum = new SQLAggregateExpr("sum");
                agg.getArguments().forEach(a -> sum.addArgument(a.clone()));
                SQLAggregateExpr count = new SQLAggregateExpr("count");
                agg.getArguments().forEach(a -> count.addArgument(a.clone()));
                target.add(item(sum, isHidden ? null : name));
                aggregates.add(new AggregateParam(AggregateOpcode.SUM, column, alias));
                int countColumn = hidden(count);
                aggregates.add(new AggregateParam(AggregateOpcode.COUNT, countColumn, null));
                averages.put(column, countColumn);
            }
            default -> throw Planner.unsupported("aggregate function " + fn.toUpperCase(Locale.ROOT) + " across shards");
        }
        return column;
    }

    /** Makes sure an aggregate used by HAVING or ORDER BY has a column (a hidden one if it is not selected). */
    private void ensureAggregate(SQLAggregateExpr agg) {
        String text = SqlWriter.toSql(agg).toLowerCase(Locale.ROOT);
        if (!columnsByText.containsKey(text)) {
            int column = addAggregate(agg, text, null, true);
            columnsByText.put(text, column);
        }
    }

    private int hidden(SQLExpr expr) {
        hiddenItems.add(item(expr, null));
        return visibleCount + hiddenItems.size() - 1;
    }

    /**
     * How MySQL labels an aggregate the shards compute differently (AVG, DISTINCT aggregates): its text, with the
     * DISTINCT keyword in the case the client wrote it.
     */
    private String label(SQLAggregateExpr agg) {
        String text = SqlWriter.toSql(agg);
        java.util.regex.Matcher written = java.util.regex.Pattern.compile("(?i)\\bdistinct\\b").matcher(scatter.source());
        return text.contains("DISTINCT") && written.find() ? text.replace("DISTINCT", written.group()) : text;
    }

    private static SQLSelectItem item(SQLExpr expr, String alias) {
        return alias == null ? new SQLSelectItem(expr) : new SQLSelectItem(expr, "`" + alias.replace("`", "``") + "`");
    }

    private int indexOfKey(SQLExpr expr) {
        String text = SqlWriter.toSql(expr);
        for (int i = 0; i < groupKeys.size(); i++) {
            if (SqlWriter.toSql(groupKeys.get(i)).equalsIgnoreCase(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The group keys' columns (hidden ones added) with weight strings, plus the DISTINCT argument: the merge order. */
    private List<OrderBy> groupByColumns() {
        List<OrderBy> merge = new ArrayList<>();
        for (SQLExpr key : groupKeys) {
            int column = columnOf(key);
            int weight = hidden(ScatterSelect.weightString(key));
            groupBy.add(new GroupByParam(column, weight));
            merge.add(new OrderBy(column, weight, false));
        }
        if (distinctArgument != null) {
            int column = columnOf(distinctArgument);
            int weight = hidden(ScatterSelect.weightString(distinctArgument));
            merge.add(new OrderBy(column, weight, false));
            for (int i : distinctAggregates) {
                AggregateParam p = aggregates.get(i);
                aggregates.set(i, new AggregateParam(p.opcode(), p.column(), weight, p.alias()));
            }
        }
        return merge;
    }

    private int columnOf(SQLExpr expr) {
        String text = SqlWriter.toSql(expr);
        List<SQLSelectItem> all = allItems();
        for (int i = 0; i < all.size(); i++) {
            SQLSelectItem item = all.get(i);
            if (!(item.getExpr() instanceof SQLAggregateExpr) && SqlWriter.toSql(item.getExpr()).equalsIgnoreCase(text)) {
                return i;
            }
        }
        return hidden(expr.clone());
    }

    private List<SQLSelectItem> allItems() {
        List<SQLSelectItem> all = new ArrayList<>(shardItems);
        all.addAll(hiddenItems);
        return all;
    }

    /** The shard query: partial aggregates grouped and ordered by the keys; no HAVING, ORDER BY or LIMIT. */
    private void rewriteShardQuery(List<OrderBy> merge) {
        block.getSelectList().clear();
        allItems().forEach(item -> {
            item.setParent(block);
            block.getSelectList().add(item);
        });
        SQLSelectGroupByClause group = new SQLSelectGroupByClause();
        SQLOrderBy order = new SQLOrderBy();
        List<SQLExpr> keys = new ArrayList<>(groupKeys);
        if (distinctArgument != null) {
            keys.add(distinctArgument);
        }
        for (SQLExpr key : keys) {
            group.addItem(key.clone());
            order.addItem(new SQLSelectOrderByItem(key.clone(), SQLOrderingSpecification.ASC));
        }
        block.setGroupBy(keys.isEmpty() ? null : group);
        block.setOrderBy(keys.isEmpty() ? null : order);
    }

    /** Replaces each AVG's SUM column with SUM / COUNT. */
    private Primitive averages(Primitive input) {
        List<Expr> expressions = new ArrayList<>();
        List<SQLSelectItem> all = allItems();
        for (int i = 0; i < all.size(); i++) {
            Integer count = averages.get(i);
            expressions.add(count == null ? new Expr.Column(i)
                    : new Expr.Arithmetic(ArithmeticOp.DIVIDE, new Expr.Column(i), new Expr.Column(count)));
        }
        List<String> names = new ArrayList<>();
        for (SQLSelectItem item : all) {
            names.add(item.getAlias() == null ? null : Names.unquote(item.getAlias()));
        }
        return new Projection(input, expressions, names);
    }

    private OptionalInt resolve(SQLExpr expr, List<SQLSelectItem> items) {
        String text = SqlWriter.toSql(expr).toLowerCase(Locale.ROOT);
        Integer column = columnsByText.get(text);
        if (column == null && expr instanceof SQLIdentifierExpr id) {
            column = columnsByText.get(Names.column(id.getName()));
        }
        if (column == null && indexOfKey(expr) >= 0) {
            column = columnOf(expr);
        }
        return column == null ? OptionalInt.empty() : OptionalInt.of(column);
    }

    private List<OrderBy> finalOrder(List<SQLSelectOrderByItem> order, List<SQLSelectItem> items) {
        List<OrderBy> out = new ArrayList<>();
        boolean isGroupOrder = order.size() <= groupBy.size();
        for (int i = 0; i < order.size(); i++) {
            SQLSelectOrderByItem o = order.get(i);
            int visible = ScatterSelect.visibleColumn(o.getExpr(), items, -1);
            OptionalInt column = visible >= 0 ? OptionalInt.of(visible) : resolve(o.getExpr(), items);
            if (column.isEmpty()) {
                throw Planner.unsupported("ORDER BY " + SqlWriter.toSql(o.getExpr())
                        + " on an aggregated query across shards (order by a selected column or aggregate)");
            }
            boolean isDescending = o.getType() == SQLOrderingSpecification.DESC;
            int weight = -1;
            for (GroupByParam g : groupBy) {
                weight = g.keyColumn() == column.getAsInt() ? g.weightStringColumn() : weight;
            }
            isGroupOrder &= !isDescending && i < groupBy.size() && groupBy.get(i).keyColumn() == column.getAsInt();
            out.add(new OrderBy(column.getAsInt(), weight, isDescending));
        }
        return isGroupOrder ? List.of() : out; // rows already come out in group key order
    }
}
