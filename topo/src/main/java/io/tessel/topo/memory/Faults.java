package io.tessel.topo.memory;

import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * The injected failures of one in-memory store, as Vitess memorytopo's {@code SetError} and
 * {@code AddOperationError}: a store-wide error, and per-operation errors for paths matching a regex.
 * Thread-safe; checked at the start of every operation.
 */
final class Faults {
    /** One injected failure: operations of {@code operation} (all when null) on matching full paths. */
    record Rule(@Nullable InMemoryTopoConn.Operation operation, Pattern path, TopoCode code) {}

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile TopoCode storeError;

    void setStoreError(@Nullable TopoCode code) {
        storeError = code;
    }

    void add(Rule rule) {
        rules.add(rule);
    }

    void clearRules() {
        rules.clear();
    }

    /** Throws the injected failure for this operation on this full path, if any. */
    void check(InMemoryTopoConn.Operation operation, String fullPath) {
        TopoCode code = storeError;
        if (code != null) {
            throw new TopoException(code, fullPath + " (injected for all operations)");
        }
        for (Rule rule : rules) {
            if ((rule.operation() == null || rule.operation() == operation) && rule.path().matcher(fullPath).find()) {
                throw new TopoException(rule.code(), fullPath + " (injected for " + operation + ")");
            }
        }
    }
}
