package io.tessel.vtgate.plan;

import io.tessel.vtgate.plan.PlanContext.KeyspaceInfo;
import io.tessel.vtgate.vindex.TableSchema;
import io.tessel.vtgate.vindex.TableSchema.TableType;

/**
 * A table reference of a statement, resolved: its keyspace, name, the alias the statement uses for it
 * (its name when it has none) and its VSchema table (null for a table of an unsharded keyspace that the
 * VSchema does not list).
 */
record ResolvedTable(KeyspaceInfo keyspace, String name, String alias, TableSchema schema) {
    boolean isReference() {
        return schema != null && schema.type() == TableType.REFERENCE;
    }

    boolean isSharded() {
        return keyspace.isSharded() && !isReference();
    }
}
