package io.tessel.vtgate.engine;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.vindex.Destination;
import io.tessel.vtgate.vindex.ShardResolver;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An INSERT, as Vitess's {@code engine.Insert}: fills the auto-increment column of rows that leave it out or
 * give NULL from the table's sequence, maps each row's primary vindex value to its shard, and sends each
 * shard one multi-row INSERT of its own rows ({@code prefix + rows + suffix}). The generated values reach the
 * rows through bind variables {@code :__seq0, :__seq1, ...}; the first generated value is the insert id and
 * becomes LAST_INSERT_ID() (explicit values for a sequence column leave LAST_INSERT_ID() as it was, as in
 * MySQL). The rows of the lookup vindexes the table owns are inserted first, all in one transaction with the
 * table's rows (an implicit one when the session has none; consistent lookups write theirs outside it).
 */
public final class Insert implements Primitive {
    /** Bind variable holding row {@code i}'s auto-increment value. */
    public static String sequenceVar(int row) {
        return "__seq" + row;
    }

    private final InsertParams params;
    private final SequenceCache sequences;

    public Insert(InsertParams params, SequenceCache sequences) {
        this.params = params;
        this.sequences = sequences;
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        Map<String, BindVariable> vars = new LinkedHashMap<>(bindVars);
        long firstGenerated = generate(vcursor, vars);
        QueryResult result = params.ownedLookups().isEmpty() ? send(vcursor, null, vars)
                : DeferringVindexCursor.run(vcursor, cursor -> send(vcursor, cursor, vars));
        if (firstGenerated > 0) {
            vcursor.setLastInsertId(firstGenerated);
            result = result.toBuilder().setInsertId(firstGenerated).build();
        } else if (result.getInsertId() != 0 && params.generate() == null) {
            // With a sequence, vtgate generates the values: an explicit one is the OK packet's insert id (as
            // in MySQL) but does not change LAST_INSERT_ID()
            vcursor.setLastInsertId(result.getInsertId());
        }
        return result;
    }

    /** Creates the owned lookup rows (when {@code cursor} is given), then sends each shard its rows. */
    private QueryResult send(VCursor vcursor, VindexCursor cursor, Map<String, BindVariable> vars) {
        ShardResolver resolver = vcursor.resolver(params.keyspace());
        Map<String, List<Integer>> rowsByShard = new LinkedHashMap<>();
        if (params.vindex() == null) {
            rowsByShard.put(resolver.shardNames().getFirst(), allRows());
        } else {
            List<byte[]> ksids = ksids(vars);
            if (cursor != null) {
                createLookupRows(cursor, ksids, vars);
            }
            for (int i = 0; i < ksids.size(); i++) {
                if (ksids.get(i) != null) {
                    rowsByShard.computeIfAbsent(resolver.shardFor(ksids.get(i)), s -> new ArrayList<>()).add(i);
                }
            }
        }
        List<ShardQuery> queries = new ArrayList<>(rowsByShard.size());
        rowsByShard.forEach((shard, rows) -> queries.add(new ShardQuery(params.keyspace(), shard,
                BoundQuery.newBuilder().setSql(sql(rows)).putAllBindVariables(vars).build())));
        return queries.isEmpty() ? QueryResult.getDefaultInstance()
                : Results.concatenate(vcursor.executeMultiShard(queries, true));
    }

    /** Each row's keyspace id; a row that maps to none is an error, or skipped (null) by INSERT IGNORE as in Vitess. */
    private List<byte[]> ksids(Map<String, BindVariable> vars) {
        List<Value> ids = new ArrayList<>(params.rows().size());
        for (int i = 0; i < params.rows().size(); i++) {
            ids.add(params.vindexValues().get(i).resolve(vars));
        }
        List<Destination> destinations = params.vindex().map(ids);
        List<byte[]> ksids = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (destinations.get(i) instanceof Destination.KeyspaceId id) {
                ksids.add(id.ksid());
            } else if (params.isIgnore()) {
                ksids.add(null);
            } else {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, "could not map " + ids.get(i)
                        + " to a keyspace id for table " + params.table());
            }
        }
        return ksids;
    }

    /**
     * Inserts each owned lookup vindex's rows before the table's, as Vitess's {@code processOwned}. For INSERT
     * IGNORE the lookup rows are inserted ignoring duplicates, then verified: a row whose value the lookup
     * table maps elsewhere is dropped from the insert (its keyspace id becomes null).
     */
    private void createLookupRows(VindexCursor cursor, List<byte[]> ksids, Map<String, BindVariable> vars) {
        for (InsertParams.OwnedLookup owned : params.ownedLookups()) {
            List<Integer> kept = new ArrayList<>();
            List<List<Value>> rows = new ArrayList<>();
            List<byte[]> rowKsids = new ArrayList<>();
            for (int i = 0; i < ksids.size(); i++) {
                if (ksids.get(i) != null) {
                    kept.add(i);
                    rows.add(owned.values().get(i).stream().map(v -> v.resolve(vars)).toList());
                    rowKsids.add(ksids.get(i));
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            owned.vindex().create(cursor, rows, rowKsids, params.isIgnore());
            if (params.isIgnore()) {
                List<Boolean> verified = owned.vindex().verify(cursor, rows.stream().map(List::getFirst).toList(),
                        rowKsids);
                for (int j = 0; j < kept.size(); j++) {
                    if (!verified.get(j) && rows.get(j).stream().noneMatch(Value::isNull)) {
                        ksids.set(kept.get(j), null);
                    }
                }
            }
        }
    }

    /** Fills {@code __seqN} for every row; returns the first value taken from the sequence, 0 if none was. */
    private long generate(VCursor vcursor, Map<String, BindVariable> vars) {
        InsertParams.Generate gen = params.generate();
        if (gen == null) {
            return 0;
        }
        List<Value> given = new ArrayList<>(gen.values().size());
        int missing = 0;
        for (PlanValue v : gen.values()) {
            Value value = v == null ? Value.NULL : v.resolve(vars);
            given.add(value);
            missing += value.isNull() ? 1 : 0;
        }
        long next = missing == 0 ? 0 : sequences.next(vcursor, gen.keyspace(), gen.table(), missing);
        long first = next;
        for (int i = 0; i < given.size(); i++) {
            Value value = given.get(i);
            if (value.isNull()) {
                value = Value.ofInt64(next++);
            }
            vars.put(sequenceVar(i), BindVariable.newBuilder().setType(value.type())
                    .setValue(ByteString.copyFrom(value.bytes())).build());
        }
        return first;
    }

    private String sql(List<Integer> rows) {
        StringBuilder sql = new StringBuilder(params.prefix());
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(params.rows().get(rows.get(i)));
        }
        return sql.append(params.suffix()).toString();
    }

    private List<Integer> allRows() {
        List<Integer> rows = new ArrayList<>(params.rows().size());
        for (int i = 0; i < params.rows().size(); i++) {
            rows.add(i);
        }
        return rows;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    public PlanDescription describe() {
        Map<String, Object> other = new LinkedHashMap<>();
        if (params.generate() != null) {
            other.put("AutoIncrement", params.generate().keyspace() + "." + params.generate().table());
        }
        other.put("Query", sql(allRows()));
        other.put("TableName", params.table());
        if (params.vindex() != null) {
            other.put("Vindex", params.vindex().name());
            other.put("VindexValues", params.vindexValues().stream().map(PlanValue::describe).toList());
        }
        if (!params.ownedLookups().isEmpty()) {
            Map<String, Object> owned = new LinkedHashMap<>();
            params.ownedLookups().forEach(o -> owned.put(o.vindex().name(), o.values().stream()
                    .map(row -> String.join(", ", row.stream().map(PlanValue::describe).toList())).toList()));
            other.put("OwnedVindexValues", owned);
        }
        return PlanDescription.of("Insert", params.vindex() == null ? "Unsharded" : "Sharded", params.keyspace(), other);
    }

    static BindVariable int64(long value) {
        return BindVariable.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8(Long.toString(value))).build();
    }
}
