package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.statement.SQLJoinTableSource;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLTableSource;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.vindex.ColumnVindex;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the tables of a join live on the same shards, as Vitess's route merging: all in one
 * keyspace, and either the keyspace is unsharded, or every sharded table is linked to the others by an
 * equality between primary vindex columns of the same vindex (reference tables join anything).
 */
final class ColocatedTables {
    private ColocatedTables() {}

    /** The table to route the merged join by, or null when the join must run at vtgate. */
    static ResolvedTable anchor(List<ResolvedTable> tables, SQLSelectQueryBlock block) {
        String keyspace = tables.getFirst().keyspace().name();
        List<ResolvedTable> sharded = new ArrayList<>();
        for (ResolvedTable t : tables) {
            if (!t.keyspace().name().equals(keyspace)) {
                return null;
            }
            if (t.isSharded()) {
                sharded.add(t);
            }
        }
        if (sharded.isEmpty()) {
            return tables.getFirst();
        }
        int[] group = new int[sharded.size()];
        for (int i = 0; i < group.length; i++) {
            group[i] = i;
        }
        List<SQLExpr> equalities = new ArrayList<>(RoutePlanner.conjuncts(block.getWhere()));
        collectOn(block.getFrom(), equalities);
        for (SQLExpr e : equalities) {
            if (e instanceof SQLBinaryOpExpr b && b.getOperator() == SQLBinaryOperator.Equality) {
                int left = primaryOwner(sharded, b.getLeft());
                int right = primaryOwner(sharded, b.getRight());
                if (left >= 0 && right >= 0 && sameVindex(sharded.get(left), sharded.get(right))) {
                    union(group, left, right);
                }
            }
        }
        for (int i = 1; i < group.length; i++) {
            if (find(group, i) != find(group, 0)) {
                return null;
            }
        }
        return sharded.getFirst();
    }

    /** The best route over the co-located tables' WHERE conditions. */
    static RouteChoice bestRoute(List<ResolvedTable> tables, SQLExpr where) {
        RouteChoice best = null;
        for (ResolvedTable t : tables) {
            if (!t.isSharded() && t.keyspace().isSharded()) {
                continue; // a reference table does not decide the shards
            }
            RouteChoice c = RoutePlanner.choose(t, where);
            if (best == null || c.rank() < best.rank()) {
                best = c;
            }
        }
        return best == null ? RouteChoice.of(RouteOpcode.REFERENCE) : best;
    }

    private static void collectOn(SQLTableSource source, List<SQLExpr> out) {
        if (source instanceof SQLJoinTableSource join) {
            out.addAll(RoutePlanner.conjuncts(join.getCondition()));
            collectOn(join.getLeft(), out);
            collectOn(join.getRight(), out);
        }
    }

    private static int primaryOwner(List<ResolvedTable> tables, SQLExpr column) {
        for (int i = 0; i < tables.size(); i++) {
            ResolvedTable t = tables.get(i);
            ColumnVindex primary = t.schema().primaryVindex().orElse(null);
            String name = RoutePlanner.columnName(t, column);
            if (primary != null && name != null && !(column instanceof com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr)
                    && primary.columns().size() == 1 && Names.column(primary.columns().getFirst()).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameVindex(ResolvedTable a, ResolvedTable b) {
        var va = a.schema().primaryVindex().orElseThrow().vindex();
        var vb = b.schema().primaryVindex().orElseThrow().vindex();
        return va.name().equals(vb.name()) || (va.getClass() == vb.getClass() && !va.needsVCursor()
                && va.getClass().getSimpleName().matches("(Hash|XxHash|Numeric|Binary|BinaryMd5|ReverseBits)Vindex"));
    }

    private static int find(int[] group, int i) {
        while (group[i] != i) {
            i = group[i];
        }
        return i;
    }

    private static void union(int[] group, int a, int b) {
        group[find(group, a)] = find(group, b);
    }
}
