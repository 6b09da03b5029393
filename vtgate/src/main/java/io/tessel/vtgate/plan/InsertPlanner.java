package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.statement.SQLInsertStatement.ValuesClause;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlInsertStatement;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.engine.Insert;
import io.tessel.vtgate.engine.InsertParams;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteOpcode;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.vindex.ColumnVindex;
import io.tessel.vtgate.vindex.LookupVindex;
import io.tessel.vtgate.vindex.SingleColumnVindex;
import io.tessel.vtgate.vindex.TableSchema.AutoIncrement;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans INSERT as Vitess does: rows of a sharded table are split per shard by their primary vindex value;
 * an auto-increment column backed by a sequence is filled at vtgate; the rows of the lookup vindexes the table
 * owns are written with it; an unsharded table without a sequence gets the statement whole.
 */
final class InsertPlanner {
    private final PlanContext context;
    private final SequenceCache sequences;

    InsertPlanner(PlanContext context, SequenceCache sequences) {
        this.context = context;
        this.sequences = sequences;
    }

    Plan plan(MySqlInsertStatement insert, boolean isReplace) {
        ResolvedTable table = context.resolve(insert.getTableSource());
        AutoIncrement autoIncrement = table.schema() == null ? null : table.schema().autoIncrementColumn().orElse(null);
        if (insert.getQuery() != null) {
            if (!table.keyspace().isSharded() && autoIncrement == null
                    && TableCollector.singleUnshardedKeyspace(insert, context) != null) {
                return whole(insert, table);
            }
            throw Planner.unsupported("INSERT ... SELECT on a sharded keyspace or with a sequence");
        }
        if (!table.isSharded() && autoIncrement == null) {
            if (table.isReference() && table.keyspace().isSharded()) {
                throw Planner.unsupported("INSERT into reference table '" + table.name() + "' of a sharded keyspace");
            }
            return whole(insert, table);
        }
        if (insert.getColumns().isEmpty()) {
            throw Planner.unsupported("INSERT without a column list into table '" + table.name() + "'");
        }
        List<String> columns = new ArrayList<>();
        insert.getColumns().forEach(c -> columns.add(Names.column(c.toString())));
        List<ValuesClause> rows = insert.getValuesList();
        for (ValuesClause row : rows) {
            if (row.getValues().size() != columns.size()) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, io.tessel.common.errors.SqlError.ER_UNKNOWN_ERROR,
                        "Column count doesn't match value count at row " + (rows.indexOf(row) + 1));
            }
        }
        SqlWriter.stripKeyspaces(insert, context.vschema().keyspaces().keySet());
        InsertParams.Generate generate = autoIncrement == null ? null : generate(autoIncrement, columns, insert);
        SingleColumnVindex vindex = null;
        List<PlanValue> vindexValues = null;
        List<InsertParams.OwnedLookup> owned = List.of();
        if (table.isSharded()) {
            ColumnVindex primary = table.schema().primaryVindex().orElseThrow();
            if (!(primary.vindex() instanceof SingleColumnVindex v) || v.needsVCursor()) {
                throw Planner.unsupported("INSERT into a table whose primary vindex is '" + primary.name() + "'");
            }
            vindex = v;
            vindexValues = vindexValues(primary, columns, rows, autoIncrement);
            owned = ownedLookups(table, columns, insert);
        }
        requireNoVindexUpdate(insert, table);
        return new Plan(new Insert(new InsertParams(table.keyspace().name(), table.name(), prefix(insert, columns),
                rowTexts(rows), suffix(insert), vindex, vindexValues, generate, owned,
                // as Vitess, an upsert treats its lookup rows like INSERT IGNORE: the row may already exist
                insert.isIgnore() || !insert.getDuplicateKeyUpdate().isEmpty()), sequences),
                false);
    }

    /**
     * Each row's values for each lookup vindex the table owns. A column the insert leaves out is added with
     * NULL, as Vitess does, so the row and its lookup row agree (NULL is then refused unless the vindex has
     * {@code ignore_nulls}).
     */
    private static List<InsertParams.OwnedLookup> ownedLookups(ResolvedTable table, List<String> columns,
            MySqlInsertStatement insert) {
        List<InsertParams.OwnedLookup> out = new ArrayList<>();
        for (ColumnVindex cv : table.schema().ownedLookups()) {
            List<Integer> indexes = new ArrayList<>();
            for (String column : cv.columns()) {
                int index = columns.indexOf(Names.column(column));
                if (index < 0) {
                    index = columns.size();
                    columns.add(Names.column(column));
                    insert.addColumn(new com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr(column));
                    insert.getValuesList().forEach(row -> row.addValue(new com.alibaba.druid.sql.ast.expr.SQLNullExpr()));
                }
                indexes.add(index);
            }
            List<List<PlanValue>> values = new ArrayList<>();
            for (ValuesClause row : insert.getValuesList()) {
                List<PlanValue> rowValues = new ArrayList<>();
                for (int i = 0; i < indexes.size(); i++) {
                    PlanValue v = RoutePlanner.planValue(row.getValues().get(indexes.get(i)));
                    if (v == null) {
                        throw Planner.unsupported("an expression as the value of lookup vindex column '"
                                + cv.columns().get(i) + "' (vindex " + cv.name() + ")");
                    }
                    rowValues.add(v);
                }
                values.add(rowValues);
            }
            out.add(new InsertParams.OwnedLookup((LookupVindex) cv.vindex(), values));
        }
        return out;
    }

    private Plan whole(MySqlInsertStatement insert, ResolvedTable table) {
        SqlWriter.stripKeyspaces(insert, context.vschema().keyspaces().keySet());
        SqlWriter.stripKeyspaces(insert, java.util.Set.of(table.keyspace().name()));
        return new Plan(new Route(RouteParams.of(RouteOpcode.UNSHARDED, table.keyspace().name(),
                SqlWriter.toSql(insert), "", true)), false);
    }

    /** Points each row's auto-increment value at {@code :__seqN}, adding the column when the insert leaves it out. */
    private InsertParams.Generate generate(AutoIncrement autoIncrement, List<String> columns, MySqlInsertStatement insert) {
        String column = Names.column(autoIncrement.column());
        int index = columns.indexOf(column);
        List<PlanValue> given = new ArrayList<>();
        List<ValuesClause> rows = insert.getValuesList();
        if (index < 0) {
            columns.add(column);
            insert.addColumn(new com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr(autoIncrement.column()));
        }
        for (int i = 0; i < rows.size(); i++) {
            ValuesClause row = rows.get(i);
            if (index < 0) {
                given.add(null);
                row.addValue(SqlWriter.bindVar(Insert.sequenceVar(i), false));
            } else {
                PlanValue v = RoutePlanner.planValue(row.getValues().get(index));
                if (v == null) {
                    throw Planner.unsupported("an expression as the value of auto-increment column '" + column + "'");
                }
                given.add(v);
                row.getValues().set(index, SqlWriter.bindVar(Insert.sequenceVar(i), false));
            }
        }
        String keyspace = SequencePlanner.sequenceKeyspace(context, autoIncrement.sequenceKeyspace(),
                autoIncrement.sequenceTable());
        return new InsertParams.Generate(keyspace, autoIncrement.sequenceTable(), given);
    }

    private static List<PlanValue> vindexValues(ColumnVindex primary, List<String> columns, List<ValuesClause> rows,
            AutoIncrement autoIncrement) {
        String column = Names.column(primary.columns().getFirst());
        int index = columns.indexOf(column);
        if (index < 0) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, io.tessel.common.errors.SqlError.ER_UNKNOWN_ERROR,
                    "VT09003: INSERT query does not have primary vindex column '" + column + "' in the column list");
        }
        boolean isGenerated = autoIncrement != null && Names.column(autoIncrement.column()).equals(column);
        List<PlanValue> values = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            PlanValue v = isGenerated ? new PlanValue.BindVar(Insert.sequenceVar(i))
                    : RoutePlanner.planValue(rows.get(i).getValues().get(index));
            if (v == null) {
                throw Planner.unsupported("an expression as the value of vindex column '" + column + "'");
            }
            values.add(v);
        }
        return values;
    }

    private static void requireNoVindexUpdate(MySqlInsertStatement insert, ResolvedTable table) {
        if (table.schema() == null) {
            return;
        }
        for (SQLExpr e : insert.getDuplicateKeyUpdate()) {
            if (e instanceof com.alibaba.druid.sql.ast.expr.SQLBinaryOpExpr b
                    && DmlPlanner.isVindexColumn(table, b.getLeft())) {
                throw Planner.unsupported("DML cannot update vindex column '" + b.getLeft() + "'");
            }
        }
    }

    private static String prefix(MySqlInsertStatement insert, List<String> columns) {
        StringBuilder out = new StringBuilder("insert ");
        if (insert.isIgnore()) {
            out.append("ignore ");
        }
        out.append("into ").append(SqlWriter.toSql(insert.getTableSource().getExpr())).append(" (");
        for (int i = 0; i < insert.getColumns().size(); i++) {
            out.append(i == 0 ? "" : ", ").append(SqlWriter.toSql(insert.getColumns().get(i)));
        }
        return out.append(") values ").toString();
    }

    private static List<String> rowTexts(List<ValuesClause> rows) {
        List<String> out = new ArrayList<>(rows.size());
        for (ValuesClause row : rows) {
            StringBuilder text = new StringBuilder("(");
            for (int i = 0; i < row.getValues().size(); i++) {
                text.append(i == 0 ? "" : ", ").append(SqlWriter.toSql(row.getValues().get(i)));
            }
            out.add(text.append(')').toString());
        }
        return out;
    }

    private static String suffix(MySqlInsertStatement insert) {
        if (insert.getDuplicateKeyUpdate().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" on duplicate key update ");
        List<SQLExpr> updates = insert.getDuplicateKeyUpdate();
        for (int i = 0; i < updates.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(SqlWriter.toSql(updates.get(i)));
        }
        return out.toString();
    }
}
