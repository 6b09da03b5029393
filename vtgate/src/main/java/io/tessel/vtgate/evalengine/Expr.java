package io.tessel.vtgate.evalengine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.vtgate.vindex.Value;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An expression vtgate evaluates itself over the rows of a result, as Vitess's {@code evalengine}: HAVING
 * predicates, projections such as {@code AVG = SUM / COUNT}, and comparisons. Evaluation follows MySQL:
 * three-valued logic, BIGINT integer arithmetic with MySQL's out-of-range errors, exact DECIMAL arithmetic
 * ({@code /} gives the first operand's scale plus {@code div_precision_increment} = 4), DOUBLE when a
 * float or string takes part, NULL for division by zero. Trees are immutable and thread-safe.
 */
public sealed interface Expr {
    /** The value of a column of the input row, typed by the input's fields. */
    record Column(int offset) implements Expr {
        public Column {
            if (offset < 0) {
                throw new IllegalArgumentException("column offset " + offset + " is negative");
            }
        }
    }

    record Literal(Value value) implements Expr {
        public Literal {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A bind variable ({@code :name}) of the execution; a list (TUPLE) is an error here. */
    record BindVar(String name) implements Expr {
        public BindVar {
            Objects.requireNonNull(name, "name");
        }
    }

    record Comparison(ComparisonOp op, Expr left, Expr right) implements Expr {
        public Comparison {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record And(Expr left, Expr right) implements Expr {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Xor(Expr left, Expr right) implements Expr {
        public Xor {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Not(Expr expr) implements Expr {
        public Not {
            Objects.requireNonNull(expr, "expr");
        }
    }

    record IsNull(Expr expr) implements Expr {
        public IsNull {
            Objects.requireNonNull(expr, "expr");
        }
    }

    record IsNotNull(Expr expr) implements Expr {
        public IsNotNull {
            Objects.requireNonNull(expr, "expr");
        }
    }

    record Arithmetic(ArithmeticOp op, Expr left, Expr right) implements Expr {
        public Arithmetic {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** Unary minus. */
    record Negate(Expr expr) implements Expr {
        public Negate {
            Objects.requireNonNull(expr, "expr");
        }
    }

    /**
     * {@code CASE [operand] WHEN .. THEN .. [ELSE ..] END}: with an operand each WHEN is compared to it with
     * {@code =}, without one each WHEN is a condition. {@code operand} and {@code otherwise} may be null.
     */
    record Case(Expr operand, List<When> whens, Expr otherwise) implements Expr {
        public Case {
            whens = List.copyOf(whens);
            if (whens.isEmpty()) {
                throw new IllegalArgumentException("CASE needs at least one WHEN");
            }
        }
    }

    /** One {@code WHEN condition THEN result} of a {@link Case}. */
    record When(Expr condition, Expr result) {
        public When {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(result, "result");
        }
    }

    /** {@code IFNULL(expr, fallback)}. */
    record IfNull(Expr expr, Expr fallback) implements Expr {
        public IfNull {
            Objects.requireNonNull(expr, "expr");
            Objects.requireNonNull(fallback, "fallback");
        }
    }

    /**
     * The value of this expression for one row.
     *
     * @param row the input row's columns, {@code null} for SQL NULL
     * @param fields the input's fields, which type the columns
     * @throws io.tessel.common.errors.VtException OUT_OF_RANGE (ER_DATA_OUT_OF_RANGE) on BIGINT or DOUBLE
     *     overflow, INVALID_ARGUMENT for a missing bind variable
     */
    default Value evaluate(byte[][] row, List<Field> fields, Map<String, BindVariable> bindVars) {
        return Evaluator.evaluate(this, new Evaluator.Env(row, fields, bindVars));
    }

    /** True when the expression is true for the row (not NULL, not zero): the test of WHERE and HAVING. */
    default boolean test(byte[][] row, List<Field> fields, Map<String, BindVariable> bindVars) {
        return Evaluator.isTrue(evaluate(row, fields, bindVars));
    }

    /** The MySQL type of the values {@link #evaluate} gives, for the output field of a projection. */
    default ResultType resultType(List<Field> fields, Map<String, BindVariable> bindVars) {
        return ResultTypes.of(this, fields, bindVars);
    }

    /** SQL text, columns written as {@code [COLUMN n]}, for plan descriptions. */
    default String toSql() {
        return ExprText.format(this, offset -> "[COLUMN " + offset + "]");
    }
}
