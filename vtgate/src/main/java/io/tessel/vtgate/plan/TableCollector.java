package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLObject;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.ast.statement.SQLWithSubqueryClause;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds every table a statement names, in subqueries too; names defined by WITH are not tables. */
final class TableCollector {
    private TableCollector() {}

    static List<SQLExprTableSource> tables(SQLObject statement) {
        List<SQLExprTableSource> out = new ArrayList<>();
        Set<String> cteNames = new HashSet<>();
        statement.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLWithSubqueryClause.Entry x) {
                cteNames.add(Names.unquote(x.getAlias()).toLowerCase(java.util.Locale.ROOT));
                return true;
            }

            @Override
            public boolean visit(SQLExprTableSource x) {
                if (x.getExpr() != null && x.getTableName() != null) {
                    out.add(x);
                }
                return true;
            }
        });
        out.removeIf(t -> t.getSchema() == null
                && cteNames.contains(Names.unquote(t.getTableName()).toLowerCase(java.util.Locale.ROOT)));
        out.removeIf(t -> t.getSchema() == null && t.getTableName().equalsIgnoreCase("dual"));
        return out;
    }

    /**
     * The one unsharded keyspace every table of {@code statement} lives in, or null when tables are in a
     * sharded keyspace or in several keyspaces; a statement without tables belongs to the default keyspace
     * when that is unsharded.
     */
    static String singleUnshardedKeyspace(SQLObject statement, PlanContext context) {
        String keyspace = null;
        for (SQLExprTableSource t : tables(statement)) {
            if (t.getSchema() != null && PlanContext.isSystemSchema(Names.unquote(t.getSchema()))) {
                return null;
            }
            ResolvedTable table = context.resolve(t);
            if (table.keyspace().isSharded() || (keyspace != null && !keyspace.equals(table.keyspace().name()))) {
                return null;
            }
            keyspace = table.keyspace().name();
        }
        if (keyspace == null && !context.defaultKeyspace().isEmpty()
                && !context.keyspace(context.defaultKeyspace()).isSharded()) {
            return context.defaultKeyspace();
        }
        return keyspace;
    }
}
