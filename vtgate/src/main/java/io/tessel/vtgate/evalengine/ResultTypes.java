package io.tessel.vtgate.evalengine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The static MySQL types of expressions (what {@link Expr#resultType} answers), computed with the same
 * rules {@link NumericOps} applies to values, and the conversion of a CASE or IFNULL branch's value to the
 * expression's type. Stateless.
 */
final class ResultTypes {
    private static final ResultType BIGINT = new ResultType(Type.INT64, 0, Collations.BINARY);
    private static final ResultType BIGINT_UNSIGNED = new ResultType(Type.UINT64, 0, Collations.BINARY);
    private static final ResultType DOUBLE = new ResultType(Type.FLOAT64, ResultType.NOT_FIXED_DEC, Collations.BINARY);
    private static final ResultType NULL = new ResultType(Type.NULL_TYPE, 0, Collations.BINARY);

    /** How a type computes: the numeric class {@link Numbers} reads its values as. */
    private enum NumberClass { INT, UINT, DEC, DBL }

    private ResultTypes() {}

    static ResultType of(Expr expr, List<Field> fields, Map<String, BindVariable> bindVars) {
        return switch (expr) {
            case Expr.Column c -> column(c.offset(), fields);
            case Expr.Literal l -> ofValue(l.value());
            case Expr.BindVar b -> ofBindVar(b.name(), bindVars);
            case Expr.Comparison c -> BIGINT;
            case Expr.And a -> BIGINT;
            case Expr.Or o -> BIGINT;
            case Expr.Xor x -> BIGINT;
            case Expr.Not n -> BIGINT;
            case Expr.IsNull n -> BIGINT;
            case Expr.IsNotNull n -> BIGINT;
            case Expr.Arithmetic a -> arithmetic(a.op(), of(a.left(), fields, bindVars), of(a.right(), fields, bindVars));
            case Expr.Negate n -> negate(of(n.expr(), fields, bindVars));
            case Expr.Case c -> merge(caseBranches(c).stream().map(e -> of(e, fields, bindVars)).toList());
            case Expr.IfNull i -> merge(List.of(of(i.expr(), fields, bindVars), of(i.fallback(), fields, bindVars)));
        };
    }

    /** The type of a constant value: DECIMAL with its own scale, text as utf8mb4_general_ci. */
    static ResultType ofValue(Value value) {
        Type type = value.type();
        return switch (type) {
            case DECIMAL -> new ResultType(type, Math.max(0, new BigDecimal(value.text()).scale()), Collations.BINARY);
            case FLOAT32, FLOAT64 -> new ResultType(type, ResultType.NOT_FIXED_DEC, Collations.BINARY);
            default -> new ResultType(type, 0,
                    ValueComparison.isText(type) ? Collations.UTF8MB4_GENERAL_CI : Collations.BINARY);
        };
    }

    private static ResultType column(int offset, List<Field> fields) {
        if (offset >= fields.size()) {
            throw new IllegalStateException("BUG: column " + offset + " outside " + fields.size() + " fields");
        }
        Field field = fields.get(offset);
        return new ResultType(field.getType(), field.getDecimals(), field.getCharset());
    }

    private static ResultType ofBindVar(String name, Map<String, BindVariable> bindVars) {
        BindVariable bv = bindVars.get(name);
        if (bv == null) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "missing bind var " + name);
        }
        return ofValue(new Value(bv.getType(), bv.getValue().toByteArray()));
    }

    private static ResultType arithmetic(ArithmeticOp op, ResultType left, ResultType right) {
        NumberClass a = classOf(left);
        NumberClass b = classOf(right);
        boolean isUnsigned = a == NumberClass.UINT || b == NumberClass.UINT;
        if (op == ArithmeticOp.INTEGER_DIVIDE) {
            return isUnsigned ? BIGINT_UNSIGNED : BIGINT;
        }
        if (a == NumberClass.DBL || b == NumberClass.DBL) {
            return DOUBLE;
        }
        int scaleA = scaleOf(left, a);
        int scaleB = scaleOf(right, b);
        boolean isExactInt = a != NumberClass.DEC && b != NumberClass.DEC;
        return switch (op) {
            case ADD, SUBTRACT -> isExactInt ? (isUnsigned ? BIGINT_UNSIGNED : BIGINT) : decimal(Math.max(scaleA, scaleB));
            case MULTIPLY -> isExactInt ? (isUnsigned ? BIGINT_UNSIGNED : BIGINT) : decimal(scaleA + scaleB);
            case DIVIDE -> decimal(scaleA + NumericOps.DIV_PRECISION_INCREMENT);
            case MODULO -> isExactInt ? (a == NumberClass.UINT ? BIGINT_UNSIGNED : BIGINT)
                    : decimal(Math.max(scaleA, scaleB));
            case INTEGER_DIVIDE -> throw new IllegalStateException("BUG: DIV handled above");
        };
    }

    private static ResultType negate(ResultType operand) {
        return switch (classOf(operand)) {
            case INT, UINT -> BIGINT;
            case DEC -> decimal(scaleOf(operand, NumberClass.DEC));
            case DBL -> DOUBLE;
        };
    }

    private static ResultType decimal(int scale) {
        return new ResultType(Type.DECIMAL, Math.min(NumericOps.MAX_DECIMAL_SCALE, scale), Collations.BINARY);
    }

    private static NumberClass classOf(ResultType type) {
        return switch (type.type()) {
            case INT8, INT16, INT24, INT32, INT64, DATE -> NumberClass.INT;
            case UINT8, UINT16, UINT24, UINT32, UINT64, YEAR, BIT, HEXNUM, HEXVAL, BITNUM -> NumberClass.UINT;
            case DECIMAL -> NumberClass.DEC;
            case DATETIME, TIMESTAMP, TIME -> type.decimals() > 0 ? NumberClass.DEC : NumberClass.INT;
            default -> NumberClass.DBL;
        };
    }

    private static int scaleOf(ResultType type, NumberClass numberClass) {
        return numberClass == NumberClass.DEC ? Math.min(NumericOps.MAX_DECIMAL_SCALE, type.decimals()) : 0;
    }

    private static List<Expr> caseBranches(Expr.Case c) {
        List<Expr> out = new ArrayList<>(c.whens().size() + 1);
        c.whens().forEach(w -> out.add(w.result()));
        if (c.otherwise() != null) {
            out.add(c.otherwise());
        }
        return out;
    }

    /** MySQL's type of a CASE/IFNULL over branches: NULL branches ignored, numbers widened, else a string. */
    static ResultType merge(List<ResultType> branches) {
        List<ResultType> typed = branches.stream().filter(t -> t.type() != Type.NULL_TYPE).toList();
        if (typed.isEmpty()) {
            return NULL;
        }
        int decimals = typed.stream().mapToInt(ResultType::decimals).max().orElse(0);
        ResultType first = typed.getFirst();
        if (typed.stream().allMatch(t -> t.type() == first.type())) {
            return new ResultType(first.type(), decimals, first.charset());
        }
        if (typed.stream().allMatch(t -> Numbers.isNumber(t.type()))) {
            return mergeNumbers(typed);
        }
        boolean isBinary = typed.stream().anyMatch(t -> !ValueComparison.isText(t.type())
                && !Numbers.isNumber(t.type()) && t.charset() == Collations.BINARY);
        int charset = typed.stream().filter(t -> ValueComparison.isText(t.type())).mapToInt(ResultType::charset)
                .findFirst().orElse(Collations.UTF8MB4_GENERAL_CI);
        return isBinary ? new ResultType(Type.VARBINARY, 0, Collations.BINARY) : new ResultType(Type.VARCHAR, 0, charset);
    }

    private static ResultType mergeNumbers(List<ResultType> typed) {
        if (typed.stream().anyMatch(t -> t.type() == Type.FLOAT32 || t.type() == Type.FLOAT64)) {
            return DOUBLE;
        }
        boolean hasSigned = typed.stream().anyMatch(t -> classOf(t) == NumberClass.INT);
        boolean hasUnsigned = typed.stream().anyMatch(t -> classOf(t) == NumberClass.UINT);
        if (typed.stream().anyMatch(t -> t.type() == Type.DECIMAL) || hasSigned && hasUnsigned) {
            int scale = typed.stream().filter(t -> t.type() == Type.DECIMAL).mapToInt(ResultType::decimals).max()
                    .orElse(0);
            return decimal(scale);
        }
        return hasUnsigned ? BIGINT_UNSIGNED : BIGINT;
    }

    /** A branch's value as the merged type: an INT 1 in a DECIMAL(.,2) CASE is 1.00, in a DOUBLE one 1. */
    static Value coerce(Value value, ResultType type) {
        if (value.isNull() || value.type() == type.type() && type.type() != Type.DECIMAL) {
            return value;
        }
        return switch (type.type()) {
            case FLOAT64 -> new Numeric.Dbl(Numbers.of(value).toDouble()).toValue();
            case DECIMAL -> new Numeric.Dec(Numbers.of(value).toBigDecimal()
                    .setScale(type.decimals(), RoundingMode.HALF_UP)).toValue();
            case INT64, UINT64 -> new Value(type.type(), value.bytes());
            case VARCHAR, VARBINARY -> new Value(type.type(), Numbers.literalBytes(value));
            default -> value;
        };
    }
}
