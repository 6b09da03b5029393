package io.tessel.vtgate.vindex;

import java.util.List;
import java.util.Objects;

/** A vindex applied to a table's column (or columns, for multi-column vindexes), as in the VSchema. */
public record ColumnVindex(List<String> columns, Vindex vindex) {
    public ColumnVindex {
        columns = List.copyOf(columns);
        Objects.requireNonNull(vindex, "vindex");
    }

    /** The vindex's name in the VSchema. */
    public String name() {
        return vindex.name();
    }
}
