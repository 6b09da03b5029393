package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLObject;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLInListExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.expr.SQLVariantRefExpr;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlASTVisitorAdapter;
import com.alibaba.druid.sql.dialect.mysql.visitor.MySqlOutputVisitor;
import java.util.Set;

/**
 * Turns druid AST nodes back into the SQL sent to shards: lower-case keywords on one line, list bind
 * variables as {@code col IN ::name} (the tablet expands them), and keyspace qualifiers removed, since a
 * shard's database is the keyspace's physical database. Stateless.
 */
final class SqlWriter {
    private SqlWriter() {}

    static String toSql(SQLObject node) {
        StringBuilder out = new StringBuilder(64);
        node.accept(new Writer(out));
        return out.toString();
    }

    /** A bind variable expression {@code :name}; {@code ::name} for a list. */
    static SQLVariantRefExpr bindVar(String name, boolean isList) {
        return new SQLVariantRefExpr((isList ? "::" : ":") + name);
    }

    /** Removes qualifiers naming one of {@code keyspaces} from table references and column references. */
    static void stripKeyspaces(SQLObject node, Set<String> keyspaces) {
        node.accept(new MySqlASTVisitorAdapter() {
            @Override
            public boolean visit(SQLExprTableSource x) {
                if (x.getSchema() != null && keyspaces.contains(Names.unquote(x.getSchema()))) {
                    x.setSchema(null);
                }
                return true;
            }

            @Override
            public boolean visit(SQLPropertyExpr x) {
                if (x.getOwner() instanceof SQLPropertyExpr owner && owner.getOwner() instanceof SQLIdentifierExpr ks
                        && keyspaces.contains(Names.unquote(ks.getName()))) {
                    x.setOwner(new SQLIdentifierExpr(owner.getName()));
                }
                return true;
            }
        });
    }

    private static final class Writer extends MySqlOutputVisitor {
        Writer(StringBuilder out) {
            super(out);
            setUppCase(false);
            setPrettyFormat(false);
        }

        /**
         * druid prints the comma before a bind variable in a select list only when the parser marked it
         * ({@code hasPrefixComma}), and {@code clone()} drops the mark: a cloned {@code select :v1, :v2} (a UNION
         * branch) came out as {@code select :v1 :v2}. Every item after the first gets its comma here.
         */
        @Override
        protected void printSelectList(java.util.List<com.alibaba.druid.sql.ast.statement.SQLSelectItem> items) {
            for (int i = 1; i < items.size(); i++) {
                if (items.get(i).getExpr() instanceof SQLVariantRefExpr v) {
                    v.setHasPrefixComma(true);
                }
            }
            super.printSelectList(items);
        }

        @Override
        public boolean visit(SQLInListExpr x) {
            if (x.getTargetList().size() == 1 && x.getTargetList().getFirst() instanceof SQLVariantRefExpr v
                    && v.getName().startsWith("::")) {
                SQLExpr left = x.getExpr();
                left.accept(this);
                print(x.isNot() ? " not in " : " in ");
                print(v.getName());
                return false;
            }
            return super.visit(x);
        }
    }
}
