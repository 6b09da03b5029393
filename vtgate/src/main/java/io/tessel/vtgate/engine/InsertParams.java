package io.tessel.vtgate.engine;

import io.tessel.vtgate.vindex.SingleColumnVindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Insert} needs: the keyspace and table; the SQL in pieces ({@code prefix}, one
 * {@code (...)} text per row, {@code suffix}); the primary vindex with each row's value for it (null vindex
 * for an unsharded keyspace); and the auto-increment generation, if the table has a sequence.
 */
public record InsertParams(String keyspace, String table, String prefix, List<String> rows, String suffix,
        SingleColumnVindex vindex, List<PlanValue> vindexValues, Generate generate) {
    /**
     * Auto-increment from sequence {@code keyspace.table}: each row's given value ({@code null} entry when the row
     * leaves the column out); NULL or missing values are generated.
     */
    public record Generate(String keyspace, String table, List<PlanValue> values) {
        public Generate {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    public InsertParams {
        Objects.requireNonNull(keyspace, "keyspace");
        rows = List.copyOf(rows);
        vindexValues = vindexValues == null ? List.of() : List.copyOf(vindexValues);
        if (vindex != null && vindexValues.size() != rows.size()) {
            throw new IllegalArgumentException("BUG: " + rows.size() + " rows but " + vindexValues.size() + " vindex values");
        }
    }
}
