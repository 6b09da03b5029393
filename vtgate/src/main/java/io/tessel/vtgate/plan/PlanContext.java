package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.TableSchema;
import io.tessel.vtgate.vindex.VSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What planning one statement may look at: the session's default keyspace ("" for none) and shard target
 * ("" for none, else every statement goes to that shard as written), the VSchema snapshot and the serving graph. A plan depends only on these and the normalized SQL, so the plan cache
 * keys on the default keyspace and is cleared when the VSchema changes.
 */
public record PlanContext(String defaultKeyspace, String targetShard, VSchema vschema, ServingGraph graph) {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "mysql", "performance_schema", "sys");

    /** A context without a shard target. */
    public PlanContext(String defaultKeyspace, VSchema vschema, ServingGraph graph) {
        this(defaultKeyspace, "", vschema, graph);
    }

    /** A keyspace as the planner sees it: sharded or not, and its VSchema when it has one. */
    public record KeyspaceInfo(String name, boolean isSharded, KeyspaceSchema schema) {
        Optional<TableSchema> table(String table) {
            return schema == null ? Optional.empty() : schema.table(table);
        }
    }

    /**
     * The keyspace named {@code name}: sharded when its VSchema says so, else unsharded; a serving keyspace
     * without a VSchema is unsharded if it has one shard.
     *
     * @throws VtException NOT_FOUND (ER_BAD_DB_ERROR) for an unknown keyspace
     */
    public KeyspaceInfo keyspace(String name) {
        Optional<KeyspaceSchema> schema = vschema.keyspace(name);
        if (schema.isPresent()) {
            return new KeyspaceInfo(name, schema.get().isSharded(), schema.get());
        }
        List<String> shards = graph.shards(name).orElseThrow(() -> VtException.of(ErrorCode.NOT_FOUND,
                SqlError.ER_BAD_DB_ERROR, "Unknown database '" + name + "'"));
        if (shards.size() > 1) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_UNKNOWN_ERROR, "keyspace '" + name
                    + "' has " + shards.size() + " shards but no sharded VSchema; apply one with vtctl ApplyVSchema");
        }
        return new KeyspaceInfo(name, false, null);
    }

    /** True for information_schema, mysql, performance_schema and sys. */
    public static boolean isSystemSchema(String name) {
        return SYSTEM_SCHEMAS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The keyspace and VSchema table of a table reference: its qualifier, else the default keyspace, else the
     * one keyspace whose VSchema has the table. A table of a sharded keyspace must be in its VSchema.
     */
    public ResolvedTable resolve(SQLExprTableSource source) {
        String name = Names.unquote(source.getTableName());
        String alias = source.getAlias() == null ? name : Names.unquote(source.getAlias());
        String qualifier = source.getSchema() == null ? "" : Names.unquote(source.getSchema());
        KeyspaceInfo ks = keyspace(qualifier.isEmpty() ? keyspaceOfUnqualified(name) : qualifier);
        TableSchema table = ks.table(name).orElse(null);
        if (ks.isSharded() && table == null) {
            throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_NO_SUCH_TABLE,
                    "table '" + name + "' does not exist in keyspace '" + ks.name() + "'");
        }
        return new ResolvedTable(ks, name, alias, table);
    }

    private String keyspaceOfUnqualified(String table) {
        if (!defaultKeyspace.isEmpty()) {
            return defaultKeyspace;
        }
        List<String> found = new ArrayList<>();
        vschema.keyspaces().forEach((name, ks) -> {
            if (ks.table(table).isPresent()) {
                found.add(name);
            }
        });
        if (found.size() == 1) {
            return found.getFirst();
        }
        if (found.isEmpty() && graph.keyspaces().size() == 1) {
            return graph.keyspaces().iterator().next();
        }
        throw VtException.of(ErrorCode.FAILED_PRECONDITION, SqlError.ER_NO_DB_ERROR, found.isEmpty()
                ? "No database selected" : "table '" + table + "' is in keyspaces " + found + "; qualify it");
    }
}
