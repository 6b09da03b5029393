package io.tessel.vtgate.vindex;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.vtgate.vindex.TableSchema.TableType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a keyspace VSchema (Vitess JSON, snake_case or camelCase, or the proto) into a validated
 * {@link KeyspaceSchema}, building each vindex through a {@link VindexRegistry}, as Vitess's
 * {@code vindexes.BuildKeyspace}. Rejections are {@link VtException}s: INVALID_ARGUMENT naming the vindex or
 * table at fault, or UNIMPLEMENTED for a known vindex type Tessel cannot run yet. Thread-safe.
 */
public final class VSchemaLoader {
    private final VindexRegistry registry;

    public VSchemaLoader(VindexRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Parses a keyspace VSchema from JSON; field names may be snake_case or camelCase, unknown fields are rejected.
     *
     * @throws VtException INVALID_ARGUMENT if the JSON is malformed or does not fit the VSchema
     */
    public static Vschema.Keyspace parseJson(String json) {
        Vschema.Keyspace.Builder keyspace = Vschema.Keyspace.newBuilder();
        try {
            JsonFormat.parser().merge(json, keyspace);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid vschema JSON: " + e.getMessage(), e);
        }
        return keyspace.build();
    }

    /** Parses, validates and builds keyspace {@code keyspace}'s VSchema from JSON. */
    public KeyspaceSchema load(String keyspace, String json) {
        return build(keyspace, parseJson(json));
    }

    /**
     * Validates and builds a keyspace VSchema: every vindex type is known, every column vindex names a defined
     * vindex, every primary vindex is unique, and routed tables of a sharded keyspace have a primary vindex.
     *
     * @throws VtException INVALID_ARGUMENT on the first problem found (vindexes, then tables, in name order);
     *     UNIMPLEMENTED if a vindex is of a known type Tessel cannot build
     */
    public KeyspaceSchema build(String keyspace, Vschema.Keyspace vschema) {
        validate(keyspace, vschema);
        Map<String, Vindex> vindexes = new TreeMap<>();
        new TreeMap<>(vschema.getVindexesMap()).forEach((name, vindex) -> vindexes.put(name,
                withOwner(keyspace, vschema, name, registry.create(vindex.getType(), name, vindex.getParamsMap()))));
        Map<String, TableSchema> tables = new TreeMap<>();
        new TreeMap<>(vschema.getTablesMap()).forEach((name, table) ->
                tables.put(name, buildTable(keyspace, name, table, vindexes)));
        return new KeyspaceSchema(keyspace, vschema.getSharded(), vindexes, tables);
    }

    /** The checks of {@link #build} that need no vindex instances (shared with vtctld); unimplemented types pass. */
    public void validate(String keyspace, Vschema.Keyspace vschema) {
        new VSchemaValidator(registry).validate(keyspace, vschema);
    }

    /**
     * A lookup vindex with its owner set, as Vitess's {@code SetOwnerInfo}: the table its {@code owner} names,
     * with the columns that table's column vindex gives it. A vindex whose owner does not list it is unowned.
     */
    private static Vindex withOwner(String keyspace, Vschema.Keyspace vschema, String name, Vindex vindex) {
        String ownerTable = vschema.getVindexesMap().get(name).getOwner();
        Vschema.Table table = vschema.getTablesMap().get(ownerTable);
        if (!(vindex instanceof LookupVindex lookup) || ownerTable.isEmpty() || table == null) {
            return vindex;
        }
        for (Vschema.ColumnVindex cv : table.getColumnVindexesList()) {
            if (cv.getName().equals(name)) {
                List<String> columns = cv.getColumn().isEmpty() ? cv.getColumnsList() : List.of(cv.getColumn());
                if (columns.size() != lookup.fromColumns().size()) {
                    throw invalid(keyspace, "table '" + ownerTable + "': owned lookup vindex '" + name + "' has from "
                            + "columns " + lookup.fromColumns() + " but is given columns " + columns);
                }
                return lookup.withOwner(new LookupVindex.Owner(keyspace, ownerTable, columns));
            }
        }
        return vindex;
    }

    private static TableSchema buildTable(String keyspace, String name, Vschema.Table table,
            Map<String, Vindex> vindexes) {
        List<ColumnVindex> columnVindexes = new ArrayList<>(table.getColumnVindexesCount());
        for (Vschema.ColumnVindex cv : table.getColumnVindexesList()) {
            List<String> columns = cv.getColumn().isEmpty() ? cv.getColumnsList() : List.of(cv.getColumn());
            Vindex vindex = vindexes.get(cv.getName());
            if (columns.size() > 1 && vindex instanceof SingleColumnVindex) {
                throw invalid(keyspace, "table '" + name + "': vindex '" + cv.getName() + "' covers one column but "
                        + "is given " + columns.size() + " columns " + columns);
            }
            columnVindexes.add(new ColumnVindex(columns, vindex));
        }
        TableSchema.AutoIncrement autoIncrement = null;
        if (table.hasAutoIncrement()) {
            String sequence = table.getAutoIncrement().getSequence();
            int dot = sequence.indexOf('.');
            autoIncrement = new TableSchema.AutoIncrement(table.getAutoIncrement().getColumn(),
                    dot < 0 ? "" : sequence.substring(0, dot), dot < 0 ? sequence : sequence.substring(dot + 1));
        }
        return new TableSchema(name, tableType(keyspace, name, table.getType()), columnVindexes, table.getPinned(),
                autoIncrement);
    }

    private static TableType tableType(String keyspace, String table, String type) {
        return switch (type) {
            case "" -> TableType.NORMAL;
            case "sequence" -> TableType.SEQUENCE;
            case "reference" -> TableType.REFERENCE;
            default -> throw invalid(keyspace, "table '" + table + "' has unknown type '" + type
                    + "'; a table type is \"\", \"sequence\" or \"reference\"");
        };
    }

    private static VtException invalid(String keyspace, String message) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid vschema of keyspace '" + keyspace + "': " + message);
    }
}
