package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A test input: returns scripted results (in turn, the last one repeating, or computed from the bind vars)
 * and records the bind variables of every call.
 */
final class FakePrimitive implements Primitive {
    private final Function<Map<String, BindVariable>, QueryResult> script;
    private final List<Map<String, BindVariable>> calls = new ArrayList<>();

    FakePrimitive(QueryResult... results) {
        List<QueryResult> queue = List.of(results);
        this.script = bindVars -> queue.get(Math.min(calls.size() - 1, queue.size() - 1));
    }

    FakePrimitive(Function<Map<String, BindVariable>, QueryResult> script) {
        this.script = script;
    }

    /** A primitive that always fails with {@code error}. */
    static FakePrimitive failing(RuntimeException error) {
        return new FakePrimitive(bindVars -> {
            throw error;
        });
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        calls.add(Map.copyOf(bindVars));
        return script.apply(bindVars);
    }

    /** The bind variables of each call, in order. */
    List<Map<String, BindVariable>> calls() {
        return calls;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public PlanDescription describe() {
        return PlanDescription.of("Fake", "", "", Map.of());
    }
}
