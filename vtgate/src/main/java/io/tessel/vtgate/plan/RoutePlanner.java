package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.expr.SQLCharExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLInListExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLNullExpr;
import com.alibaba.druid.sql.ast.expr.SQLNumberExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.expr.SQLVariantRefExpr;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.vindex.ColumnVindex;
import io.tessel.vtgate.vindex.LookupVindex;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.Vindex;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the route of a single-table statement from its WHERE clause, as Vitess's route planning: each
 * top-level AND term of the form {@code col = value} or {@code col IN (values)} on a column with a vindex is
 * a candidate, and the best (fewest shards, cheapest vindex) wins; with none the statement scatters. Lookup
 * vindexes are candidates too (cost 10 unique, 20 otherwise), so a functional vindex wins over them.
 * Values must be literals or bind variables; anything else cannot be mapped to a shard before running.
 */
final class RoutePlanner {
    private RoutePlanner() {}

    static RouteChoice choose(ResolvedTable table, SQLExpr where) {
        if (!table.keyspace().isSharded()) {
            return RouteChoice.of(RouteOpcode.UNSHARDED);
        }
        if (table.isReference()) {
            return RouteChoice.of(RouteOpcode.REFERENCE);
        }
        RouteChoice best = RouteChoice.of(RouteOpcode.SCATTER);
        for (SQLExpr term : conjuncts(where)) {
            RouteChoice candidate = candidate(table, term);
            if (candidate != null && candidate.rank() < best.rank()) {
                best = candidate;
            }
        }
        return best;
    }

    /** The top-level AND terms of a predicate; none for a null predicate. */
    static List<SQLExpr> conjuncts(SQLExpr where) {
        List<SQLExpr> out = new ArrayList<>();
        addConjuncts(where, out);
        return out;
    }

    private static void addConjuncts(SQLExpr expr, List<SQLExpr> out) {
        if (expr == null) {
            return;
        }
        if (expr instanceof SQLBinaryOpExpr b && b.getOperator() == SQLBinaryOperator.BooleanAnd) {
            addConjuncts(b.getLeft(), out);
            addConjuncts(b.getRight(), out);
        } else {
            out.add(expr);
        }
    }

    private static RouteChoice candidate(ResolvedTable table, SQLExpr term) {
        if (term instanceof SQLBinaryOpExpr b && b.getOperator() == SQLBinaryOperator.Equality) {
            RouteChoice c = equality(table, b.getLeft(), b.getRight());
            return c != null ? c : equality(table, b.getRight(), b.getLeft());
        }
        if (term instanceof SQLInListExpr in && !in.isNot()) {
            ColumnVindex cv = vindexOf(table, in.getExpr());
            if (cv == null) {
                return null;
            }
            if (in.getTargetList().size() == 1 && in.getTargetList().getFirst() instanceof SQLVariantRefExpr v
                    && v.getName().startsWith("::")) { // a pulled-out subquery's values
                return new RouteChoice(RouteOpcode.IN, cv.vindex(),
                        new PlanValue.ListBindVar(v.getName().substring(2)), in);
            }
            List<PlanValue> values = new ArrayList<>();
            for (SQLExpr e : in.getTargetList()) {
                PlanValue v = planValue(e);
                if (v == null) {
                    return null;
                }
                values.add(v);
            }
            return new RouteChoice(RouteOpcode.IN, cv.vindex(), new PlanValue.Tuple(values), in);
        }
        return null;
    }

    private static RouteChoice equality(ResolvedTable table, SQLExpr column, SQLExpr value) {
        ColumnVindex cv = vindexOf(table, column);
        PlanValue v = cv == null ? null : planValue(value);
        if (v == null) {
            return null;
        }
        if (v instanceof PlanValue.Literal l && l.value().isNull()) {
            return RouteChoice.of(RouteOpcode.NONE); // col = NULL is never true
        }
        Vindex vindex = cv.vindex();
        return new RouteChoice(vindex.isUnique() ? RouteOpcode.EQUAL_UNIQUE : RouteOpcode.EQUAL, vindex, v, null);
    }

    /** The cheapest routable vindex on the column {@code expr} names, or null. */
    static ColumnVindex vindexOf(ResolvedTable table, SQLExpr expr) {
        String column = columnName(table, expr);
        if (column == null || table.schema() == null) {
            return null;
        }
        ColumnVindex best = null;
        for (ColumnVindex cv : table.schema().columnVindexes()) {
            if (cv.columns().size() == 1 && Names.column(cv.columns().getFirst()).equals(column)
                    && isRoutable(cv.vindex()) && (best == null || cv.vindex().cost() < best.vindex().cost())) {
                best = cv;
            }
        }
        return best;
    }

    /**
     * Functional single-column vindexes, and lookup vindexes over one from column that are not being
     * backfilled ({@code write_only} ones map every value to every shard, so they narrow nothing down).
     */
    private static boolean isRoutable(Vindex vindex) {
        return switch (vindex) {
            case LookupVindex lookup -> lookup.fromColumns().size() == 1 && !lookup.isWriteOnly();
            case SingleColumnVindex single -> !single.needsVCursor();
            default -> false;
        };
    }

    /** The lower-cased column name {@code expr} refers to in {@code table}, or null when it is not a column of it. */
    static String columnName(ResolvedTable table, SQLExpr expr) {
        if (expr instanceof SQLIdentifierExpr id) {
            return Names.column(id.getName());
        }
        if (expr instanceof SQLPropertyExpr p && p.getOwner() instanceof SQLIdentifierExpr owner) {
            String qualifier = Names.unquote(owner.getName());
            if (qualifier.equalsIgnoreCase(table.alias()) || qualifier.equalsIgnoreCase(table.name())) {
                return Names.column(p.getName());
            }
        }
        return null;
    }

    /** A literal or bind variable as a plan value; null for any other expression. */
    static PlanValue planValue(SQLExpr expr) {
        return switch (expr) {
            case SQLVariantRefExpr v when v.getName().startsWith(":") && !v.getName().startsWith("::") ->
                    new PlanValue.BindVar(v.getName().substring(1));
            case SQLIntegerExpr i -> new PlanValue.Literal(Value.of(Type.INT64, i.getNumber().toString()));
            case SQLNumberExpr n -> new PlanValue.Literal(Value.of(Type.DECIMAL, n.getNumber().toString()));
            case SQLCharExpr c -> new PlanValue.Literal(Value.ofVarchar(c.getText()));
            case SQLNullExpr n -> new PlanValue.Literal(Value.NULL);
            default -> null;
        };
    }
}
