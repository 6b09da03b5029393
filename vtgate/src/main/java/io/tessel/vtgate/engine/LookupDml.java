package io.tessel.vtgate.engine;

import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.LookupVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vtgate.vindex.Vindex;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An UPDATE or DELETE of a table that owns lookup vindexes, as Vitess's DML primitives with an
 * {@code OwnedVindexQuery}: the statement's shards are resolved once; on them, first {@code select <primary
 * vindex column>, <owned columns> ... for update}, then for each row found the lookup rows are deleted (DELETE)
 * or moved to the new values (UPDATE of an owned column), then the statement itself runs (resolving once
 * matters when the statement is routed by a lookup it changes). All of it runs in one transaction (an implicit
 * one when the session has none); consistent lookups write outside it, deleting after it.
 */
public final class LookupDml implements Primitive {
    /**
     * An owned lookup vindex the statement maintains: where its columns start in the owned-vindex query's rows,
     * and for an UPDATE the new value of each column ({@code null} for a column the UPDATE leaves alone); an
     * empty list for a DELETE.
     */
    public record OwnedLookup(LookupVindex vindex, int offset, List<PlanValue> newValues) {
        public OwnedLookup {
            Objects.requireNonNull(vindex, "vindex");
            newValues = java.util.Collections.unmodifiableList(new ArrayList<>(newValues));
        }
    }

    /**
     * @param dml the statement's own route
     * @param ownedQuery the {@code select ... for update} sent to the route's shards (with the route's bind
     *     variables); its first column is the primary vindex column
     * @param ksidVindex the table's primary vindex, which gives each row's keyspace id
     */
    public record Params(Route dml, String ownedQuery, Vindex ksidVindex, List<OwnedLookup> owned, boolean isUpdate) {
        public Params {
            Objects.requireNonNull(dml, "dml");
            Objects.requireNonNull(ownedQuery, "ownedQuery");
            Objects.requireNonNull(ksidVindex, "ksidVindex");
            owned = List.copyOf(owned);
        }
    }

    private final Params params;

    public LookupDml(Params params) {
        this.params = params;
    }

    @Override
    public QueryResult execute(VCursor vcursor, Map<String, BindVariable> bindVars) {
        return DeferringVindexCursor.run(vcursor, cursor -> {
            List<ShardQuery> dml = params.dml().shardQueries(vcursor, bindVars);
            if (dml.isEmpty()) {
                return QueryResult.getDefaultInstance();
            }
            List<ShardQuery> selects = dml.stream().map(q -> new ShardQuery(q.keyspace(), q.shard(),
                    q.query().toBuilder().setSql(params.ownedQuery()).build())).toList();
            QueryResult rows = Results.concatenate(vcursor.executeMultiShard(selects, false));
            for (List<Value> row : ResultRows.values(rows)) {
                byte[] ksid = VindexMapping.ksid(params.ksidVindex(), vcursor, row.getFirst(),
                        params.dml().params().table());
                for (OwnedLookup owned : params.owned()) {
                    maintain(cursor, owned, row, ksid, bindVars);
                }
            }
            return Results.concatenate(vcursor.executeMultiShard(dml, true));
        });
    }

    private void maintain(VindexCursor cursor, OwnedLookup owned, List<Value> row, byte[] ksid,
            Map<String, BindVariable> bindVars) {
        int width = owned.vindex().fromColumns().size();
        List<Value> old = row.subList(owned.offset(), owned.offset() + width);
        if (!params.isUpdate()) {
            owned.vindex().delete(cursor, List.of(old), ksid);
            return;
        }
        List<Value> updated = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            PlanValue value = owned.newValues().get(i);
            updated.add(value == null ? old.get(i) : value.resolve(bindVars));
        }
        owned.vindex().update(cursor, old, ksid, updated);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    /** The statement's route, with the owned-vindex query, the keyspace-id vindex and, for UPDATE, the changes. */
    @Override
    public PlanDescription describe() {
        PlanDescription route = params.dml().describe();
        Map<String, Object> other = new LinkedHashMap<>(route.other());
        if (params.isUpdate()) {
            List<String> changes = new ArrayList<>();
            for (OwnedLookup owned : params.owned()) {
                for (int i = 0; i < owned.newValues().size(); i++) {
                    if (owned.newValues().get(i) != null) {
                        changes.add(owned.vindex().name() + ":" + owned.vindex().fromColumns().get(i) + "="
                                + owned.newValues().get(i).describe());
                    }
                }
            }
            other.put("ChangedVindexValues", changes);
        }
        other.put("KsidVindex", params.ksidVindex().name());
        other.put("OwnedVindexQuery", params.ownedQuery());
        return PlanDescription.of(route.operator(), route.variant(), route.keyspace(), other);
    }
}
