package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLObject;
import com.alibaba.druid.sql.ast.expr.SQLAggregateExpr;
import com.alibaba.druid.sql.ast.statement.SQLSelectItem;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;

/** Finding aggregate functions in select lists. Stateless. */
final class Aggregates {
    private Aggregates() {}

    static boolean hasAggregates(SQLSelectQueryBlock block) {
        for (SQLSelectItem item : block.getSelectList()) {
            if (contains(item)) {
                return true;
            }
        }
        return block.getGroupBy() != null && block.getGroupBy().getHaving() != null
                && contains(block.getGroupBy().getHaving());
    }

    /** Calls {@code action} for each aggregate function in {@code node} (not looking inside aggregates). */
    static void each(SQLObject node, java.util.function.Consumer<SQLAggregateExpr> action) {
        node.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLAggregateExpr x) {
                action.accept(x);
                return false;
            }
        });
    }

    static boolean contains(SQLObject node) {
        boolean[] found = {false};
        node.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLAggregateExpr x) {
                found[0] = true;
                return false;
            }
        });
        return found[0];
    }
}
