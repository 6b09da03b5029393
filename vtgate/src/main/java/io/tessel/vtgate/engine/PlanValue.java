package io.tessel.vtgate.engine;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value a plan knows only at execution time, as Vitess's {@code evalengine} leaf values: a literal,
 * a bind variable ({@code :v}), a list bind variable ({@code ::v}) or a tuple of values. Resolved against
 * each execution's bind variables. Immutable.
 */
public sealed interface PlanValue {
    record Literal(Value value) implements PlanValue {}

    record BindVar(String name) implements PlanValue {}

    record ListBindVar(String name) implements PlanValue {}

    record Tuple(List<PlanValue> values) implements PlanValue {
        public Tuple {
            values = List.copyOf(values);
        }
    }

    /** The single value; a list or tuple is an error. */
    default Value resolve(Map<String, BindVariable> bindVars) {
        return switch (this) {
            case Literal l -> l.value();
            case BindVar b -> toValue(lookup(bindVars, b.name()));
            case ListBindVar l -> throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                    "list bind variable ::" + l.name() + " used where a single value is expected");
            case Tuple t -> throw VtException.of(ErrorCode.INVALID_ARGUMENT, "tuple used where a single value is expected");
        };
    }

    /** The values of a list (a tuple, or a list bind variable); a single value gives a one-element list. */
    default List<Value> resolveList(Map<String, BindVariable> bindVars) {
        return switch (this) {
            case Literal l -> List.of(l.value());
            case BindVar b -> {
                BindVariable bv = lookup(bindVars, b.name());
                yield bv.getType() == Type.TUPLE ? listOf(bv) : List.of(toValue(bv));
            }
            case ListBindVar l -> listOf(lookup(bindVars, l.name()));
            case Tuple t -> {
                List<Value> out = new ArrayList<>(t.values().size());
                t.values().forEach(v -> out.add(v.resolve(bindVars)));
                yield out;
            }
        };
    }

    /** The SQL-ish text of this value for plan descriptions: {@code :v}, {@code ::v}, a literal, a tuple. */
    default String describe() {
        return switch (this) {
            case Literal l -> l.value().isNull() ? "null" : l.value().toString();
            case BindVar b -> ":" + b.name();
            case ListBindVar l -> "::" + l.name();
            case Tuple t -> "(" + String.join(", ", t.values().stream().map(PlanValue::describe).toList()) + ")";
        };
    }

    static Value toValue(BindVariable bv) {
        return new Value(bv.getType(), bv.getValue().toByteArray());
    }

    static BindVariable toBindVariable(Value value) {
        return BindVariable.newBuilder().setType(value.type())
                .setValue(com.google.protobuf.ByteString.copyFrom(value.bytes())).build();
    }

    private static List<Value> listOf(BindVariable bv) {
        if (bv.getType() != Type.TUPLE) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "bind variable of type " + bv.getType()
                    + " used where a list is expected");
        }
        List<Value> out = new ArrayList<>(bv.getValuesCount());
        bv.getValuesList().forEach(v -> out.add(Value.fromProto(v)));
        return out;
    }

    private static BindVariable lookup(Map<String, BindVariable> bindVars, String name) {
        BindVariable bv = bindVars.get(name);
        if (bv == null) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "missing bind var " + name);
        }
        return bv;
    }
}
