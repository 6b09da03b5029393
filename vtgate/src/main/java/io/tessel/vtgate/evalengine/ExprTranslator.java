package io.tessel.vtgate.evalengine;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.expr.SQLAggregateExpr;
import com.alibaba.druid.sql.ast.expr.SQLBetweenExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryExpr;
import com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr;
import com.alibaba.druid.sql.ast.expr.SQLBooleanExpr;
import com.alibaba.druid.sql.ast.expr.SQLCaseExpr;
import com.alibaba.druid.sql.ast.expr.SQLCharExpr;
import com.alibaba.druid.sql.ast.expr.SQLHexExpr;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLInListExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLMethodInvokeExpr;
import com.alibaba.druid.sql.ast.expr.SQLNCharExpr;
import com.alibaba.druid.sql.ast.expr.SQLNotExpr;
import com.alibaba.druid.sql.ast.expr.SQLNullExpr;
import com.alibaba.druid.sql.ast.expr.SQLNumberExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.expr.SQLUnaryExpr;
import com.alibaba.druid.sql.ast.expr.SQLVariantRefExpr;
import com.alibaba.druid.sql.dialect.mysql.ast.expr.MySqlCharExpr;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Translates a druid SQL expression into an {@link Expr} vtgate can evaluate. The caller maps the
 * sub-expressions its input result already holds (columns, aggregates) to column offsets; what remains must
 * be literals, {@code :name} bind variables and the operators {@link Expr} knows (comparisons, AND/OR/XOR/
 * NOT, IS [NOT] NULL, arithmetic, unary minus, CASE, IFNULL, COALESCE, BETWEEN, IN with a value list).
 * Anything else throws UNIMPLEMENTED (ER_NOT_SUPPORTED_YET) naming the construct. Stateless.
 */
public final class ExprTranslator {
    private ExprTranslator() {}

    /**
     * @param columnOffset the input column holding a sub-expression's value, or empty; asked first for every
     *     node, so it can claim whole sub-trees such as {@code sum(x)}
     */
    public static Expr translate(SQLExpr expr, Function<SQLExpr, OptionalInt> columnOffset) {
        OptionalInt offset = columnOffset.apply(expr);
        if (offset.isPresent()) {
            return new Expr.Column(offset.getAsInt());
        }
        return switch (expr) {
            case SQLIntegerExpr i -> new Expr.Literal(integer(i.getNumber()));
            case SQLNumberExpr n -> new Expr.Literal(number(n));
            case SQLCharExpr c -> new Expr.Literal(text(c));
            case SQLNCharExpr c -> new Expr.Literal(Value.ofVarchar(c.getText()));
            case SQLHexExpr h -> new Expr.Literal(Value.of(Type.HEXNUM, "0x" + h.getHex()));
            case SQLBinaryExpr b -> new Expr.Literal(Value.of(Type.BITNUM, "0b" + b.getText()));
            case SQLNullExpr n -> new Expr.Literal(Value.NULL);
            case SQLBooleanExpr b -> new Expr.Literal(Value.ofInt64(b.getBooleanValue() ? 1 : 0));
            case SQLVariantRefExpr v -> bindVar(v);
            case SQLBinaryOpExpr b -> binary(b, columnOffset);
            case SQLNotExpr n -> new Expr.Not(translate(n.getExpr(), columnOffset));
            case SQLUnaryExpr u -> unary(u, columnOffset);
            case SQLCaseExpr c -> caseExpr(c, columnOffset);
            case SQLBetweenExpr b -> between(b, columnOffset);
            case SQLInListExpr in -> inList(in, columnOffset);
            case SQLAggregateExpr a -> throw unsupported("aggregate function " + a + " where its value is not computed");
            case SQLMethodInvokeExpr m -> function(m, columnOffset);
            case SQLIdentifierExpr id -> throw unsupported("column " + id + " that the input does not provide");
            case SQLPropertyExpr p -> throw unsupported("column " + p + " that the input does not provide");
            default -> throw unsupported("expression " + expr + " (" + expr.getClass().getSimpleName() + ")");
        };
    }

    private static Value integer(Number number) {
        BigInteger value = number instanceof BigInteger big ? big : BigInteger.valueOf(number.longValue());
        if (value.bitLength() < 64) {
            return Value.ofInt64(value.longValue());
        }
        if (value.signum() > 0 && value.bitLength() == 64) {
            return Value.ofUint64(value.longValue());
        }
        return Value.of(Type.DECIMAL, value.toString());
    }

    private static Value number(SQLNumberExpr n) {
        Number number = n.getNumber();
        if (number instanceof BigDecimal decimal) {
            return Value.of(Type.DECIMAL, decimal.toPlainString());
        }
        return Value.of(Type.FLOAT64, DoubleText.format(number.doubleValue()));
    }

    private static Value text(SQLCharExpr c) {
        boolean isBinary = c instanceof MySqlCharExpr m && m.getCharset() != null
                && m.getCharset().toLowerCase(Locale.ROOT).contains("binary");
        return isBinary ? Value.ofVarbinary(c.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : Value.ofVarchar(c.getText());
    }

    private static Expr bindVar(SQLVariantRefExpr v) {
        String name = v.getName();
        if (name.startsWith(":") && !name.startsWith("::") && name.length() > 1) {
            return new Expr.BindVar(name.substring(1));
        }
        throw unsupported("variable " + name + " in an expression vtgate evaluates");
    }

    private static Expr binary(SQLBinaryOpExpr b, Function<SQLExpr, OptionalInt> columnOffset) {
        if (b.getOperator() == com.alibaba.druid.sql.ast.expr.SQLBinaryOperator.Is
                || b.getOperator() == com.alibaba.druid.sql.ast.expr.SQLBinaryOperator.IsNot) {
            return isTest(b, columnOffset);
        }
        Expr left = translate(b.getLeft(), columnOffset);
        Expr right = translate(b.getRight(), columnOffset);
        return switch (b.getOperator()) {
            case Equality -> new Expr.Comparison(ComparisonOp.EQUAL, left, right);
            case NotEqual, LessThanOrGreater -> new Expr.Comparison(ComparisonOp.NOT_EQUAL, left, right);
            case LessThan -> new Expr.Comparison(ComparisonOp.LESS, left, right);
            case LessThanOrEqual -> new Expr.Comparison(ComparisonOp.LESS_OR_EQUAL, left, right);
            case GreaterThan -> new Expr.Comparison(ComparisonOp.GREATER, left, right);
            case GreaterThanOrEqual -> new Expr.Comparison(ComparisonOp.GREATER_OR_EQUAL, left, right);
            case LessThanOrEqualOrGreaterThan -> new Expr.Comparison(ComparisonOp.NULL_SAFE_EQUAL, left, right);
            case BooleanAnd -> new Expr.And(left, right);
            case BooleanOr -> new Expr.Or(left, right);
            case BooleanXor -> new Expr.Xor(left, right);
            case Add -> new Expr.Arithmetic(ArithmeticOp.ADD, left, right);
            case Subtract -> new Expr.Arithmetic(ArithmeticOp.SUBTRACT, left, right);
            case Multiply -> new Expr.Arithmetic(ArithmeticOp.MULTIPLY, left, right);
            case Divide -> new Expr.Arithmetic(ArithmeticOp.DIVIDE, left, right);
            case DIV -> new Expr.Arithmetic(ArithmeticOp.INTEGER_DIVIDE, left, right);
            case Modulus, Mod -> new Expr.Arithmetic(ArithmeticOp.MODULO, left, right);
            default -> throw unsupported("operator " + b.getOperator().getName() + " in " + b);
        };
    }

    private static Expr isTest(SQLBinaryOpExpr b, Function<SQLExpr, OptionalInt> columnOffset) {
        if (!(b.getRight() instanceof SQLNullExpr)) {
            throw unsupported("IS test " + b + " (only IS [NOT] NULL)");
        }
        Expr operand = translate(b.getLeft(), columnOffset);
        return b.getOperator() == com.alibaba.druid.sql.ast.expr.SQLBinaryOperator.Is
                ? new Expr.IsNull(operand) : new Expr.IsNotNull(operand);
    }

    private static Expr unary(SQLUnaryExpr u, Function<SQLExpr, OptionalInt> columnOffset) {
        Expr operand = translate(u.getExpr(), columnOffset);
        return switch (u.getOperator()) {
            case Negative -> new Expr.Negate(operand);
            case Plus -> operand;
            case Not, NOT -> new Expr.Not(operand);
            default -> throw unsupported("unary operator " + u.getOperator().name() + " in " + u);
        };
    }

    private static Expr caseExpr(SQLCaseExpr c, Function<SQLExpr, OptionalInt> columnOffset) {
        Expr operand = c.getValueExpr() == null ? null : translate(c.getValueExpr(), columnOffset);
        List<Expr.When> whens = new ArrayList<>(c.getItems().size());
        for (SQLCaseExpr.Item item : c.getItems()) {
            whens.add(new Expr.When(translate(item.getConditionExpr(), columnOffset),
                    translate(item.getValueExpr(), columnOffset)));
        }
        Expr otherwise = c.getElseExpr() == null ? null : translate(c.getElseExpr(), columnOffset);
        return new Expr.Case(operand, whens, otherwise);
    }

    private static Expr between(SQLBetweenExpr b, Function<SQLExpr, OptionalInt> columnOffset) {
        Expr test = translate(b.getTestExpr(), columnOffset);
        Expr range = new Expr.And(
                new Expr.Comparison(ComparisonOp.GREATER_OR_EQUAL, test, translate(b.getBeginExpr(), columnOffset)),
                new Expr.Comparison(ComparisonOp.LESS_OR_EQUAL, test, translate(b.getEndExpr(), columnOffset)));
        return b.isNot() ? new Expr.Not(range) : range;
    }

    /** {@code x IN (a, b)} as {@code x = a OR x = b}: the same three-valued result as MySQL's IN. */
    private static Expr inList(SQLInListExpr in, Function<SQLExpr, OptionalInt> columnOffset) {
        if (in.getTargetList().isEmpty()) {
            throw unsupported("empty IN list in " + in);
        }
        Expr test = translate(in.getExpr(), columnOffset);
        Expr any = null;
        for (SQLExpr target : in.getTargetList()) {
            Expr equal = new Expr.Comparison(ComparisonOp.EQUAL, test, translate(target, columnOffset));
            any = any == null ? equal : new Expr.Or(any, equal);
        }
        return in.isNot() ? new Expr.Not(any) : any;
    }

    private static Expr function(SQLMethodInvokeExpr m, Function<SQLExpr, OptionalInt> columnOffset) {
        String name = m.getMethodName().toLowerCase(Locale.ROOT);
        List<SQLExpr> args = m.getArguments();
        if (m.getOwner() == null && name.equals("ifnull") && args.size() == 2) {
            return new Expr.IfNull(translate(args.get(0), columnOffset), translate(args.get(1), columnOffset));
        }
        if (m.getOwner() == null && name.equals("coalesce") && !args.isEmpty()) {
            Expr result = translate(args.getLast(), columnOffset);
            for (int i = args.size() - 2; i >= 0; i--) {
                result = new Expr.IfNull(translate(args.get(i), columnOffset), result);
            }
            return result;
        }
        throw unsupported("function " + m.getMethodName() + "() in an expression vtgate evaluates");
    }

    private static VtException unsupported(String what) {
        return VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET, "unsupported: " + what);
    }
}
