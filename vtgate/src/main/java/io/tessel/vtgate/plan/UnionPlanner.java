package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLOrderingSpecification;
import com.alibaba.druid.sql.ast.expr.SQLAllColumnExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.statement.SQLSelect;
import com.alibaba.druid.sql.ast.statement.SQLSelectItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectOrderByItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectQuery;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import com.alibaba.druid.sql.ast.statement.SQLUnionOperator;
import com.alibaba.druid.sql.ast.statement.SQLUnionQuery;
import io.tessel.vtgate.engine.Concatenate;
import io.tessel.vtgate.engine.Distinct;
import io.tessel.vtgate.engine.DistinctColumn;
import io.tessel.vtgate.engine.Limit;
import io.tessel.vtgate.engine.MemorySort;
import io.tessel.vtgate.engine.OrderBy;
import io.tessel.vtgate.engine.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans UNION and UNION ALL across shards: each SELECT is planned on its own and vtgate concatenates the
 * results (removing duplicates for UNION), then applies the union's ORDER BY and LIMIT.
 */
final class UnionPlanner {
    private final SelectPlanner selects;

    UnionPlanner(SelectPlanner selects) {
        this.selects = selects;
    }

    Primitive plan(SQLUnionQuery union) {
        List<SQLSelectQuery> branches = new ArrayList<>();
        List<SQLUnionOperator> operators = new ArrayList<>();
        flatten(union, branches, operators);
        boolean isAll = operators.stream().allMatch(o -> o == SQLUnionOperator.UNION_ALL);
        boolean isDistinct = operators.stream().allMatch(o -> o == SQLUnionOperator.UNION || o == SQLUnionOperator.DISTINCT);
        if (!isAll && !isDistinct) {
            throw Planner.unsupported(isMixed(operators) ? "mixing UNION and UNION ALL across shards"
                    : operators.getFirst().name + " across shards");
        }
        List<Primitive> sources = new ArrayList<>();
        for (SQLSelectQuery branch : branches) {
            sources.add(selects.planSubquery(new SQLSelectStatement(new SQLSelect(branch.clone()))).root());
        }
        Primitive top = new Concatenate(sources);
        List<SQLSelectItem> items = ((SQLSelectQueryBlock) branches.getFirst()).getSelectList();
        if (isDistinct) {
            requireNamedColumns(items, "UNION");
            List<DistinctColumn> columns = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                columns.add(DistinctColumn.of(i));
            }
            top = new Distinct(top, columns, 0);
        }
        if (union.getOrderBy() != null) {
            List<OrderBy> order = new ArrayList<>();
            for (SQLSelectOrderByItem o : union.getOrderBy().getItems()) {
                int column = ScatterSelect.visibleColumn(o.getExpr(), items, -1);
                if (column < 0) {
                    column = byName(o.getExpr(), items);
                }
                order.add(new OrderBy(column, -1, o.getType() == SQLOrderingSpecification.DESC));
            }
            top = new MemorySort(top, order, null);
        }
        if (union.getLimit() != null) {
            top = new Limit(top, ScatterSelect.limitValue(union.getLimit().getRowCount()),
                    union.getLimit().getOffset() == null ? null : ScatterSelect.limitValue(union.getLimit().getOffset()));
        }
        return top;
    }

    private static void flatten(SQLSelectQuery query, List<SQLSelectQuery> branches, List<SQLUnionOperator> operators) {
        if (query instanceof SQLUnionQuery u) {
            if (u.getOrderBy() != null && !branches.isEmpty()) {
                throw Planner.unsupported("ORDER BY inside a nested UNION across shards");
            }
            List<SQLSelectQuery> relations = u.getRelations();
            for (int i = 0; i < relations.size(); i++) {
                if (i > 0) {
                    operators.add(u.getOperator());
                }
                flatten(relations.get(i), branches, operators);
            }
        } else if (query instanceof SQLSelectQueryBlock block) {
            branches.add(block);
        } else {
            throw Planner.unsupported("this UNION branch across shards");
        }
    }

    private static boolean isMixed(List<SQLUnionOperator> operators) {
        return operators.contains(SQLUnionOperator.UNION_ALL)
                && (operators.contains(SQLUnionOperator.UNION) || operators.contains(SQLUnionOperator.DISTINCT));
    }

    private static int byName(SQLExpr expr, List<SQLSelectItem> items) {
        String name = SqlWriter.toSql(expr);
        for (int i = 0; i < items.size(); i++) {
            SQLExpr e = items.get(i).getExpr();
            String column = e instanceof SQLPropertyExpr p ? p.getName() : SqlWriter.toSql(e);
            if (Names.column(column).equals(Names.column(name))) {
                return i;
            }
        }
        throw Planner.unsupported("UNION ordered by " + name + ", which is not a column of the first SELECT");
    }

    private static void requireNamedColumns(List<SQLSelectItem> items, String what) {
        for (SQLSelectItem item : items) {
            if (item.getExpr() instanceof SQLAllColumnExpr
                    || (item.getExpr() instanceof SQLPropertyExpr p && p.getName().equals("*"))) {
                throw Planner.unsupported(what + " of SELECT * across shards (name the columns)");
            }
        }
    }
}
