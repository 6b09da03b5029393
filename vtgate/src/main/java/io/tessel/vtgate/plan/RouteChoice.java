package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.expr.SQLInListExpr;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.vindex.Vindex;

/**
 * The shards a single-table statement reaches, as the planner chose them from its WHERE clause: the
 * opcode, and for vindex routes the vindex and the value(s); for IN routes the IN predicate that the shard
 * query rewrites to {@code col IN ::__vals}.
 */
record RouteChoice(RouteOpcode opcode, Vindex vindex, PlanValue values, SQLInListExpr inPredicate) {
    static RouteChoice of(RouteOpcode opcode) {
        return new RouteChoice(opcode, null, null, null);
    }

    /** Whether the route reaches at most one shard, so the whole statement can run there unchanged. */
    boolean isSingleShard() {
        return switch (opcode) {
            case UNSHARDED, EQUAL_UNIQUE, REFERENCE, NONE -> true;
            case EQUAL, IN, SCATTER, BY_DESTINATION -> false;
        };
    }

    /** Lower is better: fewer shards and cheaper vindexes first. */
    int rank() {
        int base = switch (opcode) {
            case NONE -> 0;
            case UNSHARDED, REFERENCE -> 1;
            case EQUAL_UNIQUE -> 2;
            case EQUAL -> 3;
            case IN -> 4;
            case BY_DESTINATION -> 5;
            case SCATTER -> 6;
        };
        return base * 100 + (vindex == null ? 0 : vindex.cost());
    }
}
