package io.tessel.vtgate.plan;

import io.tessel.vtgate.engine.Primitive;
import java.util.Objects;

/** A planned statement: its primitive tree, and whether it only reads (so it may go to replicas). */
public record Plan(Primitive root, boolean isReadOnly) {
    public Plan {
        Objects.requireNonNull(root, "root");
    }
}
