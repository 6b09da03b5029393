package io.tessel.vtgate.engine;

import io.tessel.vtgate.vindex.LookupVindex;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Insert} needs: the keyspace and table; the SQL in pieces ({@code prefix}, one
 * {@code (...)} text per row, {@code suffix}); the primary vindex with each row's value for it (null vindex
 * for an unsharded keyspace); the auto-increment generation, if the table has a sequence; the lookup vindexes
 * the table owns with each row's values for them; and whether it is an INSERT IGNORE.
 */
public record InsertParams(String keyspace, String table, String prefix, List<String> rows, String suffix,
        SingleColumnVindex vindex, List<PlanValue> vindexValues, Generate generate, List<OwnedLookup> ownedLookups,
        boolean isIgnore) {
    /**
     * Auto-increment from sequence {@code keyspace.table}: each row's given value ({@code null} entry when the row
     * leaves the column out); NULL or missing values are generated.
     */
    public record Generate(String keyspace, String table, List<PlanValue> values) {
        public Generate {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** An owned lookup vindex and, for each row, its values of the vindex's columns (in from-column order). */
    public record OwnedLookup(LookupVindex vindex, List<List<PlanValue>> values) {
        public OwnedLookup {
            Objects.requireNonNull(vindex, "vindex");
            values = values.stream().map(List::copyOf).toList();
        }
    }

    /** An insert into a table that owns no lookup vindexes. */
    public InsertParams(String keyspace, String table, String prefix, List<String> rows, String suffix,
            SingleColumnVindex vindex, List<PlanValue> vindexValues, Generate generate) {
        this(keyspace, table, prefix, rows, suffix, vindex, vindexValues, generate, List.of(), false);
    }

    public InsertParams {
        Objects.requireNonNull(keyspace, "keyspace");
        rows = List.copyOf(rows);
        vindexValues = vindexValues == null ? List.of() : List.copyOf(vindexValues);
        ownedLookups = ownedLookups == null ? List.of() : List.copyOf(ownedLookups);
        if (vindex != null && vindexValues.size() != rows.size()) {
            throw new IllegalArgumentException("BUG: " + rows.size() + " rows but " + vindexValues.size() + " vindex values");
        }
        for (OwnedLookup owned : ownedLookups) {
            if (vindex == null || owned.values().size() != rows.size()) {
                throw new IllegalArgumentException("BUG: owned lookup values do not match the rows of a sharded insert");
            }
        }
    }
}
