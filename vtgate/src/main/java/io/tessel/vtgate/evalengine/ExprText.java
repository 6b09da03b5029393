package io.tessel.vtgate.evalengine;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.List;
import java.util.function.IntFunction;

/**
 * SQL text of an {@link Expr}, as MySQL writes expressions in messages: binary operations in parentheses
 * ({@code (`a` + 1)}), unary minus as {@code -(x)}, strings quoted. Stateless.
 */
final class ExprText {
    private ExprText() {}

    /** The text with columns named by their fields ({@code `name`}), for error messages. */
    static String format(Expr expr, List<Field> fields) {
        return format(expr, offset -> offset < fields.size() && !fields.get(offset).getName().isEmpty()
                ? "`" + fields.get(offset).getName() + "`" : "[COLUMN " + offset + "]");
    }

    static String format(Expr expr, IntFunction<String> column) {
        StringBuilder out = new StringBuilder();
        append(out, expr, column);
        return out.toString();
    }

    private static void append(StringBuilder out, Expr expr, IntFunction<String> column) {
        switch (expr) {
            case Expr.Column c -> out.append(column.apply(c.offset()));
            case Expr.Literal l -> literal(out, l.value());
            case Expr.BindVar b -> out.append(':').append(b.name());
            case Expr.Comparison c -> binary(out, c.left(), c.op().symbol(), c.right(), column);
            case Expr.And a -> binary(out, a.left(), "and", a.right(), column);
            case Expr.Or o -> binary(out, o.left(), "or", o.right(), column);
            case Expr.Xor x -> binary(out, x.left(), "xor", x.right(), column);
            case Expr.Not n -> unary(out, "not", n.expr(), column);
            case Expr.IsNull n -> suffix(out, n.expr(), " is null", column);
            case Expr.IsNotNull n -> suffix(out, n.expr(), " is not null", column);
            case Expr.Arithmetic a -> binary(out, a.left(), a.op().symbol(), a.right(), column);
            case Expr.Negate n -> unary(out, "-", n.expr(), column);
            case Expr.Case c -> caseText(out, c, column);
            case Expr.IfNull i -> {
                out.append("ifnull(");
                append(out, i.expr(), column);
                out.append(", ");
                append(out, i.fallback(), column);
                out.append(')');
            }
        }
    }

    private static void binary(StringBuilder out, Expr left, String op, Expr right, IntFunction<String> column) {
        out.append('(');
        append(out, left, column);
        out.append(' ').append(op).append(' ');
        append(out, right, column);
        out.append(')');
    }

    private static void unary(StringBuilder out, String op, Expr operand, IntFunction<String> column) {
        out.append(op).append('(');
        append(out, operand, column);
        out.append(')');
    }

    private static void suffix(StringBuilder out, Expr operand, String text, IntFunction<String> column) {
        out.append('(');
        append(out, operand, column);
        out.append(text).append(')');
    }

    private static void caseText(StringBuilder out, Expr.Case c, IntFunction<String> column) {
        out.append("case");
        if (c.operand() != null) {
            out.append(' ');
            append(out, c.operand(), column);
        }
        for (Expr.When when : c.whens()) {
            out.append(" when ");
            append(out, when.condition(), column);
            out.append(" then ");
            append(out, when.result(), column);
        }
        if (c.otherwise() != null) {
            out.append(" else ");
            append(out, c.otherwise(), column);
        }
        out.append(" end");
    }

    private static void literal(StringBuilder out, Value value) {
        if (value.isNull()) {
            out.append("null");
        } else if (ValueComparison.isText(value.type()) || value.type() == Type.VARBINARY
                || value.type() == Type.DATE || value.type() == Type.DATETIME || value.type() == Type.TIME
                || value.type() == Type.TIMESTAMP) {
            out.append('\'').append(value.text().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        } else {
            out.append(value.text());
        }
    }
}
