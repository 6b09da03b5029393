package io.tessel.vtgate.plan;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.engine.SequenceNext;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.TableSchema;
import io.tessel.vtgate.vindex.TableSchema.TableType;
import io.tessel.vtgate.vindex.Value;
import java.util.Locale;
import java.util.Map;

/**
 * Recognizes Vitess's {@code select next N values from [ks.]seq} (which MySQL cannot parse) and plans it, and
 * finds the sequence table an auto-increment column names. Stateless.
 */
final class SequencePlanner {
    private SequencePlanner() {}

    /** The plan of a NEXT statement, or null when {@code sql} is not one. */
    static Plan tryPlan(String sql, PlanContext context, SequenceCache sequences) {
        String trimmed = sql.strip();
        if (trimmed.length() < 12 || !trimmed.regionMatches(true, 0, "select next", 0, 11)
                || !Character.isWhitespace(trimmed.charAt(11))) {
            return null;
        }
        String[] words = trimmed.split("\\s+");
        if (words.length != 6 || !(words[3].equalsIgnoreCase("values") || words[3].equalsIgnoreCase("value"))
                || !words[4].equalsIgnoreCase("from")) {
            return null;
        }
        PlanValue count = words[2].startsWith(":") ? new PlanValue.BindVar(words[2].substring(1))
                : new PlanValue.Literal(Value.of(Type.INT64, words[2]));
        String name = words[5];
        int dot = name.indexOf('.');
        String keyspace = dot < 0 ? "" : Names.unquote(name.substring(0, dot));
        String table = Names.unquote(dot < 0 ? name : name.substring(dot + 1));
        String resolved = sequenceKeyspace(context, keyspace, table);
        return new Plan(new SequenceNext(resolved, table, count, sequences), false);
    }

    /**
     * The keyspace holding sequence table {@code table}: {@code keyspace} when given, else the keyspace whose
     * VSchema declares it as a sequence, else the default keyspace when it is unsharded.
     *
     * @throws VtException NOT_FOUND when no keyspace declares it
     */
    static String sequenceKeyspace(PlanContext context, String keyspace, String table) {
        if (!keyspace.isEmpty()) {
            context.keyspace(keyspace); // must exist
            return keyspace;
        }
        for (Map.Entry<String, KeyspaceSchema> ks : context.vschema().keyspaces().entrySet()) {
            TableSchema t = ks.getValue().table(table).orElse(null);
            if (t != null && t.type() == TableType.SEQUENCE) {
                return ks.getKey();
            }
        }
        if (!context.defaultKeyspace().isEmpty() && !context.keyspace(context.defaultKeyspace()).isSharded()) {
            return context.defaultKeyspace();
        }
        throw VtException.of(ErrorCode.NOT_FOUND, SqlError.ER_NO_SUCH_TABLE,
                "sequence table '" + table.toLowerCase(Locale.ROOT) + "' not found in the VSchema");
    }
}
