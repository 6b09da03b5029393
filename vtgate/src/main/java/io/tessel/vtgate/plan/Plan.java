package io.tessel.vtgate.plan;

import io.tessel.vtgate.engine.PlanDescription;
import io.tessel.vtgate.engine.Primitive;
import java.util.Objects;

/**
 * A planned statement: its primitive tree, whether it only reads (so it may go to replicas), and, for
 * metrics, its type (the root's operator and variant, e.g. {@code Route.EqualUnique} or {@code Join.LeftJoin})
 * and the root's keyspace ("" when the root spans keyspaces), both computed once at planning time.
 */
public record Plan(Primitive root, boolean isReadOnly, String type, String keyspace) {
    public Plan {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keyspace, "keyspace");
    }

    public Plan(Primitive root, boolean isReadOnly) {
        this(root, isReadOnly, typeOf(root.describe()), root.describe().keyspace());
    }

    /** {@code Operator.Variant}, or the operator alone when it has no variant. */
    static String typeOf(PlanDescription d) {
        return d.variant().isEmpty() ? d.operator() : d.operator() + "." + d.variant();
    }
}
