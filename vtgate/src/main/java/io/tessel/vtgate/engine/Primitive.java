package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import java.util.List;
import java.util.Map;

/**
 * A node of an executable plan, as Vitess's {@code engine.Primitive}: a plan is a small tree of these,
 * built once per normalized query and shared by every execution (so implementations are immutable and
 * thread-safe; per-execution state lives in locals and in the {@link VCursor}).
 */
public interface Primitive {
    /**
     * Runs the primitive and returns its whole result, fields included.
     *
     * @param bindVars the query's bind variables (from the normalizer) plus any the parents added; never modified
     */
    QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars);

    /**
     * Runs the primitive and sends its result to {@code sink} in parts ({@code SET workload = 'olap'}). This
     * default executes and sends the whole result as one part; primitives that stream (routes, limits,
     * projections, filters) hold only a bounded number of rows, apply no memory row limit, and stop and
     * cancel their inputs when the sink wants no more.
     */
    default void stream(VCursor vcursor, Map<String, BindVariable> bindVars, ResultSink sink) {
        sink.accept(execute(vcursor, bindVars));
    }

    /** The child primitives, in execution order; empty for leaves. */
    List<Primitive> inputs();

    /** What this node is, for EXPLAIN and golden plan tests; children are described by {@link #inputs()}. */
    PlanDescription describe();

    /** True when the primitive writes, so a multi-shard execution must run in a transaction. */
    default boolean isWrite() {
        return inputs().stream().anyMatch(Primitive::isWrite);
    }

    /** This node and its inputs as one description tree. */
    default PlanDescription describeTree() {
        PlanDescription self = describe();
        return self.withInputs(inputs().stream().map(Primitive::describeTree).toList());
    }
}
