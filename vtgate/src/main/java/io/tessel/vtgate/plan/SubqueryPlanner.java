package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLObject;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.expr.SQLExistsExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLInListExpr;
import com.alibaba.druid.sql.ast.expr.SQLInSubQueryExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLNotExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.expr.SQLQueryExpr;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.ast.statement.SQLSelect;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.SubqueryOpcode;
import io.tessel.vtgate.engine.UncorrelatedSubquery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pulls uncorrelated subqueries out of a statement that spans shards, as Vitess's pullout subqueries: each
 * runs first as its own plan and its result replaces it as bind variables —
 * {@code x IN (subq)} becomes {@code :__sq_has_values1 = 1 and x in ::__sq1}, NOT IN becomes
 * {@code :__sq_has_values1 = 0 or x not in ::__sq1}, EXISTS and scalar subqueries become {@code :__sq1}. A
 * subquery naming a table of the outer query (correlated) cannot be run first and is refused.
 */
final class SubqueryPlanner {
    private record Pulled(SubqueryOpcode opcode, String result, String hasValues, Primitive plan) {}

    private final PlanContext context;
    private final SelectPlanner selects;
    private final List<Pulled> pulled = new ArrayList<>();

    SubqueryPlanner(PlanContext context, SelectPlanner selects) {
        this.context = context;
        this.selects = selects;
    }

    /** Replaces the subqueries of {@code node} (the outer query's clauses) with bind variables. */
    void pullOut(SQLObject node, Set<String> outerAliases) {
        List<SQLExpr> found = new ArrayList<>();
        node.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLInSubQueryExpr x) {
                found.add(x);
                return false;
            }

            @Override
            public boolean visit(SQLExistsExpr x) {
                found.add(x);
                return false;
            }

            @Override
            public boolean visit(SQLQueryExpr x) {
                found.add(x);
                return false;
            }
        });
        for (SQLExpr e : found) {
            replace(e, outerAliases);
        }
    }

    /** The outer plan wrapped so every pulled-out subquery runs before it, in order. */
    Primitive wrap(Primitive outer) {
        Primitive top = outer;
        for (int i = pulled.size() - 1; i >= 0; i--) {
            Pulled p = pulled.get(i);
            top = new UncorrelatedSubquery(p.opcode(), p.result(), p.hasValues(), p.plan(), top);
        }
        return top;
    }

    private void replace(SQLExpr expr, Set<String> outerAliases) {
        int n = pulled.size() + 1;
        String result = "__sq" + n;
        String hasValues = "__sq_has_values" + n;
        SQLExpr replacement;
        SQLSelect select;
        SubqueryOpcode opcode;
        switch (expr) {
            case SQLInSubQueryExpr in -> {
                select = in.getSubQuery();
                opcode = in.isNot() ? SubqueryOpcode.NOT_IN : SubqueryOpcode.IN;
                SQLInListExpr list = new SQLInListExpr(in.getExpr().clone(), in.isNot());
                list.addTarget(SqlWriter.bindVar(result, true));
                SQLExpr flag = new SQLBinaryOpExpr(SqlWriter.bindVar(hasValues, false), SQLBinaryOperator.Equality,
                        new SQLIntegerExpr(in.isNot() ? 0 : 1));
                SQLBinaryOpExpr both = new SQLBinaryOpExpr(flag, in.isNot() ? SQLBinaryOperator.BooleanOr
                        : SQLBinaryOperator.BooleanAnd, list);
                // inside another expression (x AND y NOT IN (subq), NOT (y IN (subq))) the pair stays together
                both.setParenthesized(in.getParent() instanceof SQLExpr);
                replacement = both;
            }
            case SQLExistsExpr exists -> {
                select = exists.getSubQuery();
                opcode = SubqueryOpcode.EXISTS;
                SQLExpr var = SqlWriter.bindVar(result, false);
                replacement = exists.isNot() ? new SQLNotExpr(var) : var;
            }
            case SQLQueryExpr query -> {
                select = query.getSubQuery();
                opcode = SubqueryOpcode.VALUE;
                replacement = SqlWriter.bindVar(result, false);
            }
            default -> throw new IllegalStateException("BUG: not a subquery: " + expr);
        }
        if (isCorrelated(select, outerAliases)) {
            throw Planner.unsupported("cross-shard correlated subquery");
        }
        Plan plan = selects.planSubquery(new SQLSelectStatement(select.clone()));
        pulled.add(new Pulled(opcode, result, opcode == SubqueryOpcode.IN || opcode == SubqueryOpcode.NOT_IN
                ? hasValues : null, plan.root()));
        SQLUtils.replaceInParent(expr, replacement);
    }

    /** Whether the subquery names a column qualified by an alias it does not define itself but the outer query does. */
    private static boolean isCorrelated(SQLSelect select, Set<String> outerAliases) {
        Set<String> inner = new HashSet<>();
        for (SQLExprTableSource t : TableCollector.tables(select)) {
            inner.add(Names.unquote(t.getAlias() == null ? t.getTableName() : t.getAlias()).toLowerCase(Locale.ROOT));
        }
        boolean[] isCorrelated = {false};
        select.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLPropertyExpr x) {
                if (x.getOwner() instanceof SQLIdentifierExpr owner) {
                    String alias = Names.unquote(owner.getName()).toLowerCase(Locale.ROOT);
                    isCorrelated[0] |= !inner.contains(alias) && outerAliases.contains(alias);
                }
                return true;
            }
        });
        return isCorrelated[0];
    }
}
