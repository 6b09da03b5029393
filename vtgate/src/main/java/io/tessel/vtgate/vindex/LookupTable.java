package io.tessel.vtgate.vindex;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.topo.KeyRanges;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lookup vindex's table and the queries on it, as Vitess's {@code lookupInternal}: lookups by the first from
 * column ({@code select from, to from t where from in (...)}), verification of value/keyspace-id pairs, and
 * lookup rows created and deleted for owner rows. Every query runs through a {@link VindexCursor}, in the
 * {@link Order} the vindex type asks for. {@code isUpsert}: creating updates rows that exist ({@code on duplicate
 * key update}), as non-unique autocommit lookups do. Immutable and thread-safe.
 */
record LookupTable(LookupParams params, ToColumn toColumn, boolean isUpsert) {
    /** How the {@code to} column holds a keyspace id. */
    enum ToColumn {
        /** The keyspace id itself, as VARBINARY ({@code lookup}, {@code lookup_unique}, {@code consistent_lookup*}). */
        KEYSPACE_ID,
        /** The owner row's {@code hash} vindex value, a uint64 whose hash is the keyspace id ({@code lookup_hash*}). */
        HASHED_ID;

        /** The {@code to} value stored for a keyspace id. */
        Value toValue(byte[] ksid) {
            if (this == KEYSPACE_ID) {
                return Value.ofVarbinary(ksid);
            }
            if (ksid.length != 8) {
                throw Ksids.invalid("invalid keyspace id: " + KeyRanges.toHex(ksid));
            }
            return Value.ofUint64(ZeroKeyDes.apply(Ksids.readBigEndian(ksid)));
        }

        /** The keyspace id a stored {@code to} value stands for; null when it cannot be one (NULL, not a uint64). */
        byte[] toKsid(Value value) {
            if (value.isNull()) {
                return null;
            }
            if (this == KEYSPACE_ID) {
                return value.bytes().clone();
            }
            try {
                return Ksids.bigEndian(ZeroKeyDes.apply(value.toUint64()));
            } catch (VtException e) {
                return null; // Vitess: a failure to convert is equivalent to not being able to map
            }
        }
    }

    /** Where a query on the lookup table runs. */
    enum Order {
        /** In the session's transaction. */
        SESSION,
        /** In its own autocommit transaction, at once (consistent lookups' "pre" connection). */
        OUTSIDE,
        /** In its own autocommit transaction, after the owner's statement (consistent lookups' "post" connection). */
        AFTER
    }

    private String verifySql() {
        String from = params.fromColumns().getFirst();
        return "select " + from + " from " + params.table() + " where " + from + " = :" + from + " and " + params.to()
                + " = :" + params.to();
    }

    private String deleteSql() {
        return "delete from " + params.table() + where(params.fromColumns()) + " and " + params.to() + " = :"
                + params.to();
    }

    /** {@code " where c1 = :f1 and c2 = :f2"}: {@code columns} (the from columns or the owner's) bound to the from columns. */
    String where(List<String> columns) {
        StringBuilder out = new StringBuilder(" where ");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : " and ").append(columns.get(i)).append(" = :").append(params.fromColumns().get(i));
        }
        return out.toString();
    }

    /**
     * The destination of each value, as Vitess's lookup Map: every shard for a write-only vindex (or a lone NULL
     * with {@code ignore_nulls}); else the keyspace id(s) the table holds for it, none when it holds none.
     *
     * @throws VtException INTERNAL when a unique vindex's table holds several rows for a value
     */
    List<Destination> map(VindexCursor cursor, List<Value> ids, boolean isUnique, Order order, String label) {
        List<Destination> out = new ArrayList<>(ids.size());
        if (params.isWriteOnly() || (params.isIgnoreNulls() && ids.size() == 1 && ids.getFirst().isNull())) {
            ids.forEach(id -> out.add(Destination.ALL_SHARDS));
            return out;
        }
        List<List<Value>> results = lookup(cursor, ids, order);
        for (int i = 0; i < ids.size(); i++) {
            List<byte[]> ksids = new ArrayList<>();
            for (Value to : results.get(i)) {
                byte[] ksid = toColumn.toKsid(to);
                if (ksid != null) {
                    ksids.add(ksid);
                }
            }
            if (isUnique && results.get(i).size() > 1) {
                throw VtException.of(ErrorCode.INTERNAL, label + ": unexpected multiple results from vindex "
                        + params.table() + ": " + ids.get(i));
            }
            out.add(ksids.isEmpty() ? Destination.NONE
                    : isUnique ? new Destination.KeyspaceId(ksids.getFirst()) : new Destination.KeyspaceIds(ksids));
        }
        return out;
    }

    /**
     * The {@code to} values the table holds for each value of the first from column. Integral values (or all
     * values, with {@code batch_lookup}) are looked up in one query and matched back by their text; other values
     * one query each, since the table's collation may match a row whose text differs (Vitess does the same).
     */
    List<List<Value>> lookup(VindexCursor cursor, List<Value> ids, Order order) {
        String from = params.fromColumns().getFirst();
        String select = "select " + from + ", " + params.to() + " from " + params.table() + " where " + from;
        boolean isBatch = params.isBatchLookup() || ids.stream().allMatch(v -> v.isNull() || v.isSigned() || v.isUnsigned());
        List<List<Value>> out = new ArrayList<>(ids.size());
        if (!isBatch) {
            for (Value id : ids) {
                out.add(id.isNull() ? List.of() : column(rows(run(cursor, select + " = :" + from,
                        Map.of(from, bindVariable(id)), order)), 1));
            }
            return out;
        }
        Map<String, BindVariable> vars = new LinkedHashMap<>();
        StringBuilder in = new StringBuilder(" in (");
        for (Value id : ids) {
            if (!id.isNull() && !vars.containsValue(bindVariable(id))) {
                in.append(vars.isEmpty() ? ":" : ", :").append(from).append('_').append(vars.size());
                vars.put(from + "_" + vars.size(), bindVariable(id));
            }
        }
        Map<String, List<Value>> byText = new HashMap<>();
        if (!vars.isEmpty()) {
            for (List<Value> row : rows(run(cursor, select + in.append(')'), vars, order))) {
                byText.computeIfAbsent(row.get(0).text(), k -> new ArrayList<>()).add(row.get(1));
            }
        }
        for (Value id : ids) {
            out.add(id.isNull() ? List.of() : byText.getOrDefault(id.text(), List.of()));
        }
        return out;
    }

    /** Whether the table holds each value/keyspace-id pair (one query each); a NULL value never verifies. */
    List<Boolean> verify(VindexCursor cursor, List<Value> ids, List<byte[]> ksids, Order order) {
        Ksids.requireSameSize("lookup", ids, ksids);
        List<Boolean> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).isNull()) {
                out.add(false);
                continue;
            }
            Map<String, BindVariable> vars = Map.of(params.fromColumns().getFirst(), bindVariable(ids.get(i)),
                    params.to(), bindVariable(toColumn.toValue(ksids.get(i))));
            try {
                out.add(run(cursor, verifySql(), vars, order).getRowsCount() > 0);
            } catch (VtException e) {
                throw wrap("lookup.Verify", e);
            }
        }
        return out;
    }

    /**
     * Inserts the lookup rows of owner rows in one statement, sorted by value so that concurrent inserts lock
     * rows in the same order. Rows with a NULL value are skipped with {@code ignore_nulls}, else refused.
     *
     * @throws VtException INVALID_ARGUMENT for a NULL value or a row of the wrong width; the insert's own error
     *     (e.g. 1062 for a duplicate) prefixed with {@code lookup.Create}
     */
    void create(VindexCursor cursor, List<List<Value>> rows, List<byte[]> ksids, boolean isIgnore, Order order) {
        List<Integer> kept = keptRows(rows, ksids);
        if (kept.isEmpty()) {
            return;
        }
        kept.sort(Comparator.comparing((Integer i) -> rows.get(i), LookupTable::compareRows)
                .thenComparing(i -> ksids.get(i), Arrays::compareUnsigned));
        List<String> from = params.fromColumns();
        StringBuilder sql = new StringBuilder(isIgnore ? "insert ignore into " : "insert into ").append(params.table())
                .append('(').append(String.join(", ", from)).append(", ").append(params.to()).append(") values ");
        Map<String, BindVariable> vars = new LinkedHashMap<>();
        for (int r = 0; r < kept.size(); r++) {
            List<Value> row = rows.get(kept.get(r));
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < from.size(); c++) {
                sql.append(':').append(from.get(c)).append('_').append(r).append(", ");
                vars.put(from.get(c) + "_" + r, bindVariable(row.get(c)));
            }
            sql.append(':').append(params.to()).append('_').append(r).append(')');
            vars.put(params.to() + "_" + r, bindVariable(toColumn.toValue(ksids.get(kept.get(r)))));
        }
        if (isUpsert) {
            sql.append(" on duplicate key update ");
            from.forEach(c -> sql.append(c).append("=values(").append(c).append("), "));
            sql.append(params.to()).append("=values(").append(params.to()).append(')');
        }
        try {
            run(cursor, sql.toString(), vars, order);
        } catch (VtException e) {
            throw wrap("lookup.Create", e);
        }
    }

    private List<Integer> keptRows(List<List<Value>> rows, List<byte[]> ksids) {
        if (rows.size() != ksids.size()) {
            throw Ksids.invalid("lookup.Create: " + rows.size() + " rows but " + ksids.size() + " keyspace ids");
        }
        List<Integer> kept = new ArrayList<>(rows.size());
        next:
        for (int i = 0; i < rows.size(); i++) {
            requireWidth("lookup.Create", rows.get(i));
            for (int c = 0; c < rows.get(i).size(); c++) {
                if (rows.get(i).get(c).isNull()) {
                    if (!params.isIgnoreNulls()) {
                        throw Ksids.invalid("lookup.Create: input has null values: row: " + i + ", col: " + c
                                + ", cols: " + String.join(",", params.fromColumns()));
                    }
                    continue next;
                }
            }
            kept.add(i);
        }
        return kept;
    }

    /** Deletes each owner row's lookup row (one statement each), the rows pointing at {@code ksid} only. */
    void delete(VindexCursor cursor, List<List<Value>> rows, byte[] ksid, Order order) {
        BindVariable to = bindVariable(toColumn.toValue(ksid));
        for (List<Value> row : rows) {
            requireWidth("lookup.Delete", row);
            Map<String, BindVariable> vars = fromVars(row);
            vars.put(params.to(), to);
            try {
                run(cursor, deleteSql(), vars, order);
            } catch (VtException e) {
                throw wrap("lookup.Delete", e);
            }
        }
    }

    /** The from columns bound to a row's values, by column name. */
    Map<String, BindVariable> fromVars(List<Value> row) {
        Map<String, BindVariable> vars = new LinkedHashMap<>();
        for (int c = 0; c < row.size(); c++) {
            vars.put(params.fromColumns().get(c), bindVariable(row.get(c)));
        }
        return vars;
    }

    private void requireWidth(String operation, List<Value> row) {
        if (row.size() != params.fromColumns().size()) {
            throw Ksids.invalid(operation + ": column vindex count does not match the columns in the lookup: "
                    + row.size() + " vs " + params.fromColumns());
        }
    }

    /** Runs a query in {@code order}; an {@link Order#AFTER} query is queued and returns an empty result. */
    static QueryResult run(VindexCursor cursor, String sql, Map<String, BindVariable> vars, Order order) {
        return switch (order) {
            case SESSION -> cursor.execute(sql, vars, false);
            case OUTSIDE -> cursor.execute(sql, vars, true);
            case AFTER -> {
                cursor.executeAfterStatement(sql, vars);
                yield QueryResult.getDefaultInstance();
            }
        };
    }

    /** The rows of a result as values typed by the result's fields (VARBINARY when it has none). */
    static List<List<Value>> rows(QueryResult result) {
        List<List<Value>> out = new ArrayList<>(result.getRowsCount());
        for (Row row : result.getRowsList()) {
            List<Value> values = new ArrayList<>(row.getLengthsCount());
            ByteString bytes = row.getValues();
            int offset = 0;
            for (int i = 0; i < row.getLengthsCount(); i++) {
                int length = (int) row.getLengths(i);
                if (length < 0) {
                    values.add(Value.NULL);
                    continue;
                }
                Type type = i < result.getFieldsCount() ? result.getFields(i).getType() : Type.VARBINARY;
                values.add(new Value(type, bytes.substring(offset, offset + length).toByteArray()));
                offset += length;
            }
            out.add(values);
        }
        return out;
    }

    private static List<Value> column(List<List<Value>> rows, int column) {
        return rows.stream().map(row -> row.get(column)).toList();
    }

    static BindVariable bindVariable(Value value) {
        return BindVariable.newBuilder().setType(value.type()).setValue(ByteString.copyFrom(value.bytes())).build();
    }

    private static int compareRows(List<Value> a, List<Value> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = Arrays.compareUnsigned(a.get(i).bytes(), b.get(i).bytes());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** {@code e} behind {@code prefix: }, keeping its MySQL errno and SQLSTATE (so a duplicate stays 1062). */
    static VtException wrap(String prefix, VtException e) {
        String message = prefix + ": " + e.getMessage();
        return e.hasErrno() ? VtException.mysql(e.code(), e.errno(), e.sqlState(), message, e)
                : VtException.of(e.code(), message, e);
    }
}
