package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOperator;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.statement.SQLSelectQuery;
import com.alibaba.druid.sql.ast.statement.SQLSelectQueryBlock;
import com.alibaba.druid.sql.ast.statement.SQLSelectStatement;
import com.alibaba.druid.sql.ast.statement.SQLUnionQuery;
import com.alibaba.druid.sql.dialect.mysql.parser.MySqlStatementParser;
import com.alibaba.druid.sql.parser.ParserException;
import java.util.Optional;

/**
 * The field query of a whole SELECT: the statement with {@code 1 != 1} added to the WHERE of each of its
 * top-level query blocks (every branch of a UNION), so that planned and run as usual it returns the columns
 * vtgate would return, with no rows read (MySQL sees an impossible WHERE). Used to describe a prepared
 * statement's columns at prepare time. Stateless.
 */
public final class FieldQuery {
    private FieldQuery() {}

    /** The field query of {@code sql}, or empty when it is not a SELECT druid can parse. */
    public static Optional<String> of(String sql) {
        SQLStatement statement;
        try {
            MySqlStatementParser parser = new MySqlStatementParser(sql);
            statement = parser.parseStatement();
            if (parser.getLexer().token() != com.alibaba.druid.sql.parser.Token.EOF) {
                return Optional.empty();
            }
        } catch (ParserException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            return Optional.empty();
        }
        if (!(statement instanceof SQLSelectStatement select) || !impossible(select.getSelect().getQuery())) {
            return Optional.empty();
        }
        return Optional.of(SqlWriter.toSql(statement));
    }

    private static boolean impossible(SQLSelectQuery query) {
        return switch (query) {
            case SQLSelectQueryBlock block -> {
                SQLExpr never = new SQLBinaryOpExpr(new SQLIntegerExpr(1), SQLBinaryOperator.NotEqual,
                        new SQLIntegerExpr(1));
                SQLExpr where = block.getWhere();
                if (where != null) {
                    if (where instanceof SQLBinaryOpExpr op) {
                        op.setParenthesized(true); // (a or b) and 1 != 1, not a or (b and 1 != 1)
                    }
                    never = new SQLBinaryOpExpr(where, SQLBinaryOperator.BooleanAnd, never);
                }
                block.setWhere(never);
                yield true;
            }
            case SQLUnionQuery union -> union.getRelations().stream().allMatch(FieldQuery::impossible);
            case null, default -> false;
        };
    }
}
