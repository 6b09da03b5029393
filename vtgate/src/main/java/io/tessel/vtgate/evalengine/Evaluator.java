package io.tessel.vtgate.evalengine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Evaluates {@link Expr} trees over one row with MySQL semantics. Stateless. */
final class Evaluator {
    /** What an expression is evaluated against: one row, its fields and the bind variables. */
    record Env(byte[][] row, List<Field> fields, Map<String, BindVariable> bindVars) {}

    private static final Value TRUE = Value.ofInt64(1);
    private static final Value FALSE = Value.ofInt64(0);

    private Evaluator() {}

    static Value evaluate(Expr expr, Env env) {
        return switch (expr) {
            case Expr.Column c -> column(c.offset(), env);
            case Expr.Literal l -> l.value();
            case Expr.BindVar b -> bindVar(b.name(), env.bindVars());
            case Expr.Comparison c -> comparison(c, env);
            case Expr.And a -> and(truth(evaluate(a.left(), env)), () -> truth(evaluate(a.right(), env)));
            case Expr.Or o -> or(truth(evaluate(o.left(), env)), () -> truth(evaluate(o.right(), env)));
            case Expr.Xor x -> xor(truth(evaluate(x.left(), env)), truth(evaluate(x.right(), env)));
            case Expr.Not n -> not(truth(evaluate(n.expr(), env)));
            case Expr.IsNull n -> bool(evaluate(n.expr(), env).isNull());
            case Expr.IsNotNull n -> bool(!evaluate(n.expr(), env).isNull());
            case Expr.Arithmetic a -> arithmetic(a, env);
            case Expr.Negate n -> negate(n, env);
            case Expr.Case c -> ResultTypes.coerce(caseValue(c, env), c.resultType(env.fields(), env.bindVars()));
            case Expr.IfNull i -> ResultTypes.coerce(ifNull(i, env), i.resultType(env.fields(), env.bindVars()));
        };
    }

    /** MySQL's truth of a value: NULL is unknown ({@code null}), a number is true unless zero. */
    static Boolean truth(Value value) {
        Numeric number = Numbers.of(value);
        return number == null ? null : number.isTrue();
    }

    /** True when the value is true (not NULL, not zero): the test of WHERE and HAVING. */
    static boolean isTrue(Value value) {
        return Boolean.TRUE.equals(truth(value));
    }

    private static Value column(int offset, Env env) {
        if (offset >= env.row().length || offset >= env.fields().size()) {
            throw new IllegalStateException("BUG: column " + offset + " outside a row of " + env.row().length);
        }
        byte[] bytes = env.row()[offset];
        return bytes == null ? Value.NULL : new Value(env.fields().get(offset).getType(), bytes);
    }

    private static Value bindVar(String name, Map<String, BindVariable> bindVars) {
        BindVariable bv = bindVars.get(name);
        if (bv == null) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "missing bind var " + name);
        }
        if (bv.getType() == Type.TUPLE) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "list bind variable :" + name
                    + " used where a single value is expected");
        }
        return bv.getType() == Type.NULL_TYPE ? Value.NULL : new Value(bv.getType(), bv.getValue().toByteArray());
    }

    private static Value comparison(Expr.Comparison c, Env env) {
        Value left = evaluate(c.left(), env);
        Value right = evaluate(c.right(), env);
        if (c.op() == ComparisonOp.NULL_SAFE_EQUAL) {
            return bool(ValueComparison.compare(left, right, collation(c, env)) == 0);
        }
        if (left.isNull() || right.isNull()) {
            return Value.NULL;
        }
        return bool(c.op().holds(ValueComparison.compare(left, right, collation(c, env))));
    }

    /** A column operand's text collation, else utf8mb4_general_ci (the connection collation). */
    private static int collation(Expr.Comparison c, Env env) {
        for (Expr side : List.of(c.left(), c.right())) {
            if (side instanceof Expr.Column column) {
                Field field = env.fields().get(column.offset());
                if (ValueComparison.isText(field.getType()) && field.getCharset() != 0) {
                    return field.getCharset();
                }
            }
        }
        return Collations.UTF8MB4_GENERAL_CI;
    }

    private static Value and(Boolean left, Supplier<Boolean> right) {
        if (Boolean.FALSE.equals(left)) {
            return FALSE;
        }
        Boolean r = right.get();
        if (Boolean.FALSE.equals(r)) {
            return FALSE;
        }
        return left == null || r == null ? Value.NULL : TRUE;
    }

    private static Value or(Boolean left, Supplier<Boolean> right) {
        if (Boolean.TRUE.equals(left)) {
            return TRUE;
        }
        Boolean r = right.get();
        if (Boolean.TRUE.equals(r)) {
            return TRUE;
        }
        return left == null || r == null ? Value.NULL : FALSE;
    }

    private static Value xor(Boolean left, Boolean right) {
        return left == null || right == null ? Value.NULL : bool(left ^ right);
    }

    private static Value not(Boolean value) {
        return value == null ? Value.NULL : bool(!value);
    }

    private static Value bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    private static Value arithmetic(Expr.Arithmetic a, Env env) {
        Numeric left = Numbers.of(evaluate(a.left(), env));
        Numeric right = Numbers.of(evaluate(a.right(), env));
        if (left == null || right == null) {
            return Value.NULL;
        }
        Numeric result = NumericOps.apply(a.op(), left, right, () -> ExprText.format(a, env.fields()));
        return result == null ? Value.NULL : result.toValue();
    }

    private static Value negate(Expr.Negate n, Env env) {
        Numeric operand = Numbers.of(evaluate(n.expr(), env));
        return operand == null ? Value.NULL
                : NumericOps.negate(operand, () -> ExprText.format(n, env.fields())).toValue();
    }

    private static Value caseValue(Expr.Case c, Env env) {
        Value operand = c.operand() == null ? null : evaluate(c.operand(), env);
        for (Expr.When when : c.whens()) {
            Value condition = evaluate(when.condition(), env);
            boolean isMatch = operand == null ? isTrue(condition)
                    : !operand.isNull() && !condition.isNull()
                            && ValueComparison.compare(operand, condition, Collations.UTF8MB4_GENERAL_CI) == 0;
            if (isMatch) {
                return evaluate(when.result(), env);
            }
        }
        return c.otherwise() == null ? Value.NULL : evaluate(c.otherwise(), env);
    }

    private static Value ifNull(Expr.IfNull i, Env env) {
        Value value = evaluate(i.expr(), env);
        return value.isNull() ? evaluate(i.fallback(), env) : value;
    }
}
