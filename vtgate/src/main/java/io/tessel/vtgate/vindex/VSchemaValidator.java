package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vschema.ColumnVindex;
import io.tessel.proto.Vschema.Table;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks one keyspace's VSchema the way Vitess's {@code vindexes.BuildKeyspace} does before vtctld stores it:
 * known vindex types, table types, column vindexes that name defined vindexes, a unique and unowned primary
 * vindex, and a column vindex on every sharded table that is not a reference or pinned. Vindexes of an
 * unsharded keyspace are allowed and checked like any other, as in Vitess; they do not route its tables.
 * Immutable and thread-safe; every rejection is a {@link VtException} with {@code INVALID_ARGUMENT}.
 */
public final class VSchemaValidator {
    private static final Set<String> TABLE_TYPES = Set.of("", "sequence", "reference");

    private final VindexRegistry registry;

    /** @param registry the vindex types and their traits (unique, lookup) */
    public VSchemaValidator(VindexRegistry registry) {
        this.registry = registry;
    }

    /**
     * Validates a keyspace VSchema. Sequence references in {@code auto_increment} and reference-table sources
     * may point at other keyspaces, so only their form is checked here, as Vitess does per keyspace.
     *
     * @throws VtException INVALID_ARGUMENT naming the vindex or table and what is wrong with it
     */
    public void validate(@javax.annotation.Nullable String keyspace, Vschema.Keyspace vschema) {
        String prefix = keyspace == null ? "invalid vschema: " : "invalid vschema of keyspace '" + keyspace + "': ";
        try {
            new TreeMap<>(vschema.getVindexesMap()).forEach(this::checkVindex);
            new TreeMap<>(vschema.getTablesMap()).forEach((name, table) -> checkTable(vschema, name, table));
        } catch (Invalid e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, prefix + e.getMessage());
        }
    }

    /** A rule broken; turned into INVALID_ARGUMENT with the keyspace prefix by {@link #validate}. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private void checkVindex(String name, Vschema.Vindex vindex) {
        if (vindex.getType().isEmpty()) {
            throw invalid("vindex '" + name + "' has no type");
        }
        if (registry.type(vindex.getType()).isEmpty()) {
            throw invalid("vindex '" + name + "' has unknown vindex type '" + vindex.getType() + "'; known types: "
                    + registry.typeNames());
        }
    }

    private void checkTable(Vschema.Keyspace vschema, String name, Table table) {
        if (!TABLE_TYPES.contains(table.getType())) {
            throw invalid("table '" + name + "' has unknown type '" + table.getType()
                    + "'; a table type is \"\", \"sequence\" or \"reference\"");
        }
        boolean isPinned = !table.getPinned().isEmpty();
        if (isPinned && !isHex(table.getPinned())) {
            throw invalid("table '" + name + "': pinned keyspace id '" + table.getPinned() + "' is not hex");
        }
        if (vschema.getSharded() && table.getType().equals("sequence") && !isPinned) {
            throw invalid("sequence table '" + name + "' must be in an unsharded keyspace or be pinned");
        }
        if (vschema.getSharded() && !table.getType().equals("reference") && !isPinned
                && table.getColumnVindexesCount() == 0) {
            throw invalid("table '" + name + "' in a sharded keyspace has no column vindexes; its first (primary) "
                    + "vindex decides its shard (only reference and pinned tables go without)");
        }
        if (table.getType().equals("reference") && !table.getSource().isEmpty()) {
            checkQualifiedName(name, table.getSource());
        }
        checkColumns(name, table);
        List<ColumnVindex> columnVindexes = table.getColumnVindexesList();
        for (int i = 0; i < columnVindexes.size(); i++) {
            checkColumnVindex(vschema, name, columnVindexes.get(i), i == 0);
        }
    }

    private void checkColumnVindex(Vschema.Keyspace vschema, String table, ColumnVindex cv, boolean isPrimary) {
        Vschema.Vindex vindex = vschema.getVindexesMap().get(cv.getName());
        if (vindex == null) {
            throw invalid("table '" + table + "': column vindex names vindex '" + cv.getName()
                    + "', which is not defined in this keyspace's vindexes");
        }
        if (!cv.getColumn().isEmpty() && cv.getColumnsCount() > 0) {
            throw invalid("table '" + table + "': vindex '" + cv.getName() + "' sets both column and columns");
        }
        if (cv.getColumn().isEmpty() && cv.getColumnsCount() == 0) {
            throw invalid("table '" + table + "': vindex '" + cv.getName() + "' needs a column or columns");
        }
        VindexType traits = registry.type(vindex.getType()).orElseThrow();
        if (isPrimary && !traits.isUnique()) {
            throw invalid("table '" + table + "': primary vindex '" + cv.getName() + "' (type " + vindex.getType()
                    + ") is not unique; the first column vindex must map each value to one keyspace id");
        }
        if (isPrimary && traits.isLookup() && vindex.getOwner().equals(table)) {
            throw invalid("table '" + table + "': primary vindex '" + cv.getName() + "' cannot be owned by the table");
        }
    }

    private static void checkColumns(String table, Table value) {
        Set<String> seen = new HashSet<>();
        for (Vschema.Column column : value.getColumnsList()) {
            if (!seen.add(column.getName().toLowerCase(Locale.ROOT))) {
                throw invalid("table '" + table + "': duplicate column name '" + column.getName() + "'");
            }
        }
    }

    private static void checkQualifiedName(String table, String source) {
        String[] parts = source.split("\\.", -1);
        if (parts.length > 2 || List.of(parts).contains("")) {
            throw invalid("reference table '" + table + "': invalid source '" + source
                    + "', expecting table or keyspace.table");
        }
    }

    private static boolean isHex(String text) {
        try {
            HexFormat.of().parseHex(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Invalid invalid(String message) {
        return new Invalid(message);
    }
}
