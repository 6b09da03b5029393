package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLOrderingSpecification;
import com.alibaba.druid.sql.ast.expr.SQLAllColumnExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.ast.statement.SQLJoinTableSource;
import com.alibaba.druid.sql.ast.statement.SQLJoinTableSource.JoinType;
import com.alibaba.druid.sql.ast.statement.SQLSelectItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectOrderByItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLTableSource;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlSelectQueryBlock;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;
import io.tessel.vtgate.engine.Filter;
import io.tessel.vtgate.engine.Join;
import io.tessel.vtgate.engine.JoinOpcode;
import io.tessel.vtgate.engine.Limit;
import io.tessel.vtgate.engine.MemorySort;
import io.tessel.vtgate.engine.OrderBy;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Projection;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.evalengine.Expr;
import io.tessel.vtgate.evalengine.ExprTranslator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans a join of tables that do not live on the same shards as a nested-loop join at vtgate, as Vitess's
 * ApplyJoin: tables run left to right, one route each; each row of the tables so far binds the columns a
 * later table's conditions use ({@code :alias_column}), so a condition on the later table's vindex routes
 * it to one shard per row. LEFT JOIN keeps left rows without a match. WHERE conditions on the outer side of
 * a LEFT JOIN, ORDER BY and LIMIT run at vtgate. Aggregates, DISTINCT, GROUP BY and {@code *} over such joins
 * are refused as unsupported.
 */
final class JoinPlanner {
    /** One table of the join, its query's columns and its conditions. */
    private static final class Leaf {
        final ResolvedTable table;
        final SQLExprTableSource source;
        final boolean isLeftJoined;
        final List<SQLExpr> columns = new ArrayList<>();
        final List<SQLExpr> conditions = new ArrayList<>();
        int offset; // first column in the joined row

        Leaf(ResolvedTable table, SQLExprTableSource source, boolean isLeftJoined) {
            this.table = table;
            this.source = source;
            this.isLeftJoined = isLeftJoined;
        }

        int column(SQLExpr expr) {
            String text = SqlWriter.toSql(expr);
            for (int i = 0; i < columns.size(); i++) {
                if (SqlWriter.toSql(columns.get(i)).equalsIgnoreCase(text)) {
                    return i;
                }
            }
            columns.add(expr.clone());
            return columns.size() - 1;
        }
    }

    private final PlanContext context;
    private final List<Leaf> leaves = new ArrayList<>();
    private final List<SQLExpr> vtgateFilters = new ArrayList<>();

    JoinPlanner(PlanContext context) {
        this.context = context;
    }

    Primitive plan(SQLSelectQueryBlock block) {
        if (Aggregates.hasAggregates(block) || block.getGroupBy() != null || block.isDistinct()) {
            throw Planner.unsupported("aggregates, GROUP BY or DISTINCT over a join across shards");
        }
        collectLeaves(block.getFrom(), false);
        for (SQLExpr c : RoutePlanner.conjuncts(block.getWhere())) {
            assignWhere(c);
        }
        List<SQLSelectItem> items = block.getSelectList();
        int[][] visible = new int[items.size()][]; // {leaf, column}
        for (int i = 0; i < items.size(); i++) {
            SQLExpr e = items.get(i).getExpr();
            if (e instanceof SQLAllColumnExpr || (e instanceof SQLPropertyExpr p && p.getName().equals("*"))) {
                throw Planner.unsupported("SELECT * over a join across shards (name the columns)");
            }
            Set<Integer> refs = leavesOf(e);
            if (refs.size() > 1) {
                throw Planner.unsupported("an expression over columns of several tables ("
                        + SqlWriter.toSql(e) + ") in a join across shards");
            }
            int leaf = refs.isEmpty() ? 0 : refs.iterator().next();
            visible[i] = new int[] {leaf, leaves.get(leaf).column(e)};
        }
        List<int[]> orderKeys = orderKeys(block, items, visible);
        Map<String, int[]> filterColumns = new LinkedHashMap<>();
        vtgateFilters.forEach(f -> columnsOf(f).forEach(c -> filterColumns.put(SqlWriter.toSql(c).toLowerCase(Locale.ROOT),
                new int[] {leafOf(c), leaves.get(leafOf(c)).column(c)})));
        reserveBindColumns();
        Primitive top = joinAll();
        for (SQLExpr f : vtgateFilters) {
            top = new Filter(top, ExprTranslator.translate(f, e -> {
                int[] at = filterColumns.get(SqlWriter.toSql(e).toLowerCase(Locale.ROOT));
                return at == null ? OptionalInt.empty() : OptionalInt.of(leaves.get(at[0]).offset + at[1]);
            }));
        }
        if (!orderKeys.isEmpty()) {
            List<OrderBy> order = new ArrayList<>();
            for (int[] k : orderKeys) {
                order.add(new OrderBy(leaves.get(k[0]).offset + k[1], leaves.get(k[0]).offset + k[2], k[3] == 1));
            }
            top = new MemorySort(top, order, null);
        }
        if (block.getLimit() != null) {
            PlanValue count = ScatterSelect.limitValue(block.getLimit().getRowCount());
            PlanValue offset = block.getLimit().getOffset() == null ? null
                    : ScatterSelect.limitValue(block.getLimit().getOffset());
            top = new Limit(top, count, offset);
        }
        List<Expr> expressions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            expressions.add(new Expr.Column(leaves.get(visible[i][0]).offset + visible[i][1]));
            SQLSelectItem item = items.get(i);
            names.add(item.getAlias() != null ? Names.unquote(item.getAlias())
                    : item.getExpr() instanceof SQLPropertyExpr p ? Names.unquote(p.getName())
                    : item.getExpr() instanceof SQLIdentifierExpr id ? Names.unquote(id.getName())
                    : SqlWriter.toSql(item.getExpr()));
        }
        return new Projection(top, expressions, names);
    }

    private void collectLeaves(SQLTableSource source, boolean isLeftJoined) {
        if (source instanceof SQLExprTableSource table) {
            if (TableCollector.tables(table).isEmpty()) {
                throw Planner.unsupported("a join with " + SqlWriter.toSql(table));
            }
            leaves.add(new Leaf(context.resolve(table), table, isLeftJoined));
            return;
        }
        if (!(source instanceof SQLJoinTableSource join)) {
            throw Planner.unsupported("derived tables in a join across shards");
        }
        if (join.isNatural() || !join.getUsing().isEmpty()) {
            throw Planner.unsupported("NATURAL JOIN or JOIN ... USING across shards (use ON)");
        }
        JoinType type = join.getJoinType();
        boolean isLeft = type == JoinType.LEFT_OUTER_JOIN;
        if (!isLeft && type != JoinType.JOIN && type != JoinType.INNER_JOIN && type != JoinType.COMMA
                && type != JoinType.CROSS_JOIN && type != JoinType.STRAIGHT_JOIN) {
            throw Planner.unsupported(type.name + " across shards");
        }
        collectLeaves(join.getLeft(), isLeftJoined);
        if (!(join.getRight() instanceof SQLExprTableSource)) {
            throw Planner.unsupported("a parenthesized join on the right of a join across shards");
        }
        collectLeaves(join.getRight(), isLeft);
        int rightLeaf = leaves.size() - 1;
        for (SQLExpr c : RoutePlanner.conjuncts(join.getCondition())) {
            Set<Integer> refs = leavesOf(c);
            if (isLeft) {
                if (!refs.isEmpty() && refs.stream().anyMatch(r -> r > rightLeaf)) {
                    throw Planner.unsupported("ON condition naming a later table across shards");
                }
                leaves.get(rightLeaf).conditions.add(c);
            } else {
                assignWhere(c);
            }
        }
    }

    /** An inner condition goes to the last table it names (earlier tables' columns become bind variables). */
    private void assignWhere(SQLExpr condition) {
        Set<Integer> refs = leavesOf(condition);
        int last = refs.isEmpty() ? 0 : ((TreeSet<Integer>) refs).last();
        boolean isOuter = refs.stream().anyMatch(r -> leaves.get(r).isLeftJoined);
        if (isOuter) {
            vtgateFilters.add(condition); // filters the rows the outer join produced
        } else {
            leaves.get(last).conditions.add(condition);
        }
    }

    private List<int[]> orderKeys(SQLSelectQueryBlock block, List<SQLSelectItem> items, int[][] visible) {
        List<int[]> keys = new ArrayList<>(); // {leaf, column, weight column, desc}
        if (block.getOrderBy() == null) {
            return keys;
        }
        for (SQLSelectOrderByItem o : block.getOrderBy().getItems()) {
            int item = ScatterSelect.visibleColumn(o.getExpr(), items, -1);
            SQLExpr expr = item >= 0 ? items.get(item).getExpr() : o.getExpr();
            Set<Integer> refs = leavesOf(expr);
            if (refs.size() > 1) {
                throw Planner.unsupported("ORDER BY over columns of several tables in a join across shards");
            }
            int leaf = item >= 0 ? visible[item][0] : refs.isEmpty() ? 0 : refs.iterator().next();
            int column = item >= 0 ? visible[item][1] : leaves.get(leaf).column(expr);
            int weight = leaves.get(leaf).column(ScatterSelect.weightString(expr));
            keys.add(new int[] {leaf, column, weight, o.getType() == SQLOrderingSpecification.DESC ? 1 : 0});
        }
        return keys;
    }

    /**
     * Adds to each leaf the columns later leaves' conditions bind, then fixes every leaf's offset in the joined
     * row; no leaf gains columns after this.
     */
    private void reserveBindColumns() {
        for (int i = 1; i < leaves.size(); i++) {
            for (SQLExpr c : leaves.get(i).conditions) {
                for (SQLExpr column : columnsOf(c)) {
                    int leaf = leafOf(column);
                    if (leaf < i) {
                        leaves.get(leaf).column(column);
                    }
                }
            }
        }
        for (Leaf leaf : leaves) {
            if (leaf.columns.isEmpty()) {
                leaf.columns.add(new com.alibaba.druid.sql.ast.expr.SQLIntegerExpr(1)); // every table yields a row
            }
        }
        int width = 0;
        for (Leaf leaf : leaves) {
            leaf.offset = width;
            width += leaf.columns.size();
        }
    }

    /** Joins the leaves left to right; every join returns all columns of its left side, then of its right side. */
    private Primitive joinAll() {
        int width = leaves.getFirst().columns.size();
        Primitive top = leafRoute(0, Map.of());
        for (int i = 1; i < leaves.size(); i++) {
            Leaf leaf = leaves.get(i);
            Map<String, Integer> vars = new LinkedHashMap<>();
            Primitive right = leafRoute(i, vars);
            List<Integer> columns = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                columns.add(-(c + 1));
            }
            for (int c = 0; c < leaf.columns.size(); c++) {
                columns.add(c + 1);
            }
            top = new Join(top, right, leaf.isLeftJoined ? JoinOpcode.LEFT : JoinOpcode.INNER, columns, vars);
            width += leaf.columns.size();
        }
        return top;
    }

    /** The route of leaf {@code index}; its conditions' references to earlier leaves become bind variables. */
    private Primitive leafRoute(int index, Map<String, Integer> vars) {
        Leaf leaf = leaves.get(index);
        MySqlSelectQueryBlock query = new MySqlSelectQueryBlock();
        leaf.columns.forEach(c -> query.addSelectItem(new SQLSelectItem(c.clone())));
        SQLExprTableSource from = leaf.source.clone();
        query.setFrom(from);
        SQLExpr where = null;
        for (SQLExpr c : leaf.conditions) {
            SQLExpr bound = bindEarlier(c.clone(), index, vars);
            where = where == null ? bound : new SQLBinaryOpExpr(where, SQLBinaryOperator.BooleanAnd, bound);
        }
        query.setWhere(where);
        SqlWriter.stripKeyspaces(query, context.vschema().keyspaces().keySet());
        RouteChoice choice = RoutePlanner.choose(leaf.table, where);
        if (choice.inPredicate() != null) {
            choice.inPredicate().getTargetList().clear();
            choice.inPredicate().addTarget(SqlWriter.bindVar(RouteParams.LIST_VAR, true));
        }
        String fieldQuery = SelectPlanner.fieldQuery(query);
        return new Route(new RouteParams(choice.opcode(), leaf.table.keyspace().name(), SqlWriter.toSql(query),
                fieldQuery, leaf.table.name(), choice.vindex(), choice.values(), List.of(), List.of(), null, false));
    }

    private SQLExpr bindEarlier(SQLExpr condition, int index, Map<String, Integer> vars) {
        SQLExpr[] root = {condition};
        for (SQLExpr column : columnsOf(condition)) {
            int leaf = leafOf(column);
            if (leaf < index) {
                Leaf from = leaves.get(leaf);
                String name = (from.table.alias() + "_" + Names.unquote(((SQLPropertyExpr) column).getName()))
                        .toLowerCase(Locale.ROOT);
                vars.put(name, from.offset + from.column(column));
                SQLExpr var = SqlWriter.bindVar(name, false);
                if (column == root[0]) {
                    root[0] = var;
                } else {
                    SQLUtils.replaceInParent(column, var);
                }
            }
        }
        return root[0];
    }

    /** The leaves a condition or expression names (qualified columns only; an unqualified column is refused). */
    private Set<Integer> leavesOf(SQLExpr expr) {
        Set<Integer> out = new TreeSet<>();
        columnsOf(expr).forEach(c -> out.add(leafOf(c)));
        return out;
    }

    private List<SQLExpr> columnsOf(SQLExpr expr) {
        List<SQLExpr> out = new ArrayList<>();
        expr.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLPropertyExpr x) {
                out.add(x);
                return false;
            }

            @Override
            public boolean visit(SQLIdentifierExpr x) {
                throw Planner.unsupported("unqualified column '" + x.getName()
                        + "' in a join across shards (qualify it with its table)");
            }

            @Override
            public boolean visit(com.alibaba.druid.sql.ast.expr.SQLQueryExpr x) {
                throw Planner.unsupported("subqueries in a join across shards");
            }
        });
        return out;
    }

    private int leafOf(SQLExpr column) {
        if (column instanceof SQLPropertyExpr p && p.getOwner() instanceof SQLIdentifierExpr owner) {
            String q = Names.unquote(owner.getName());
            for (int i = 0; i < leaves.size(); i++) {
                ResolvedTable t = leaves.get(i).table;
                if (q.equalsIgnoreCase(t.alias()) || q.equalsIgnoreCase(t.name())) {
                    return i;
                }
            }
        }
        throw Planner.unsupported("column " + SqlWriter.toSql(column) + " of no table in the join");
    }
}
