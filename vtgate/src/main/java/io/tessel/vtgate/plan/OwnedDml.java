package io.tessel.vtgate.plan;

import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLLimit;
import com.alibaba.druid.sql.ast.SQLOrderBy;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.statement.SQLTableSource;
import com.alibaba.druid.sql.ast.statement.SQLUpdateSetItem;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlSelectQueryBlock;
import io.tessel.vtgate.engine.LookupDml;
import io.tessel.vtgate.engine.PlanValue;
import io.tessel.vtgate.engine.Primitive;
import io.tessel.vtgate.engine.Route;
import io.tessel.vtgate.engine.RouteParams;
import io.tessel.vtgate.vindex.ColumnVindex;
import io.tessel.vtgate.vindex.LookupVindex;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans UPDATE and DELETE of a table that owns lookup vindexes ({@link LookupDml}), as Vitess's DML planning
 * with an owned-vindex query: the statement's route, plus {@code select <primary vindex column>, <owned
 * columns> from t where ... for update} through the same route. An UPDATE may change an owned lookup column to
 * a literal or bind variable; the primary vindex and other vindexes stay read-only.
 */
final class OwnedDml {
    /** What the statement looks like, for the owned-vindex query. */
    record Source(SQLTableSource table, SQLExpr where, SQLOrderBy orderBy, SQLLimit limit) {}

    private OwnedDml() {}

    /**
     * Checks an UPDATE's SET columns against the table's vindexes.
     *
     * @throws io.tessel.common.errors.VtException UNIMPLEMENTED for a primary vindex column, a column of a vindex
     *     that is not an owned lookup, or an owned lookup column set to an expression
     */
    static void requireUpdatable(ResolvedTable table, List<SQLUpdateSetItem> items) {
        if (table.schema() == null) {
            return;
        }
        List<ColumnVindex> vindexes = table.schema().columnVindexes();
        List<ColumnVindex> owned = table.schema().ownedLookups();
        for (SQLUpdateSetItem item : items) {
            String column = RoutePlanner.columnName(table, item.getColumn());
            for (int i = 0; column != null && i < vindexes.size(); i++) {
                ColumnVindex cv = vindexes.get(i);
                if (!covers(cv, column)) {
                    continue;
                }
                if (i == 0) {
                    throw Planner.unsupported("You can't update primary vindex columns. Invalid update on vindex: "
                            + cv.name());
                }
                if (!owned.contains(cv)) {
                    throw Planner.unsupported("you can only UPDATE the columns of lookup vindexes the table owns; "
                            + "invalid update on vindex: " + cv.name());
                }
                if (RoutePlanner.planValue(item.getValue()) == null) {
                    throw Planner.unsupported("an expression as the new value of lookup vindex column '" + column
                            + "' (vindex " + cv.name() + "); use a literal or a bind variable");
                }
            }
        }
    }

    /** A DELETE of a table with owned lookups: every owned lookup's rows go with the table's. */
    static Primitive delete(ResolvedTable table, RouteParams dml, Source source) {
        List<LookupDml.OwnedLookup> owned = new ArrayList<>();
        List<String> columns = new ArrayList<>(table.schema().primaryVindex().orElseThrow().columns().subList(0, 1));
        for (ColumnVindex cv : table.schema().ownedLookups()) {
            owned.add(new LookupDml.OwnedLookup((LookupVindex) cv.vindex(), columns.size(), List.of()));
            columns.addAll(cv.columns());
        }
        return primitive(table, dml, source, columns, owned, false);
    }

    /** An UPDATE that may change owned lookup columns; the plain route when it changes none. */
    static Primitive update(ResolvedTable table, RouteParams dml, Source source, List<SQLUpdateSetItem> items) {
        List<LookupDml.OwnedLookup> owned = new ArrayList<>();
        List<String> columns = new ArrayList<>(table.schema() == null ? List.of()
                : table.schema().primaryVindex().map(cv -> cv.columns().subList(0, 1)).orElse(List.of()));
        for (ColumnVindex cv : table.schema() == null ? List.<ColumnVindex>of() : table.schema().ownedLookups()) {
            List<PlanValue> newValues = new ArrayList<>();
            boolean isChanged = false;
            for (String column : cv.columns()) {
                PlanValue value = null;
                for (SQLUpdateSetItem item : items) {
                    if (Names.column(column).equals(RoutePlanner.columnName(table, item.getColumn()))) {
                        value = RoutePlanner.planValue(item.getValue());
                    }
                }
                isChanged |= value != null;
                newValues.add(value);
            }
            if (isChanged) {
                owned.add(new LookupDml.OwnedLookup((LookupVindex) cv.vindex(), columns.size(), newValues));
                columns.addAll(cv.columns());
            }
        }
        return owned.isEmpty() ? new Route(dml) : primitive(table, dml, source, columns, owned, true);
    }

    private static Primitive primitive(ResolvedTable table, RouteParams dml, Source source, List<String> columns,
            List<LookupDml.OwnedLookup> owned, boolean isUpdate) {
        MySqlSelectQueryBlock select = new MySqlSelectQueryBlock();
        columns.forEach(c -> select.addSelectItem(new SQLIdentifierExpr(c)));
        select.setFrom(source.table().clone());
        select.setWhere(source.where() == null ? null : source.where().clone());
        select.setOrderBy(source.orderBy() == null ? null : source.orderBy().clone());
        select.setLimit(source.limit() == null ? null : source.limit().clone());
        select.setForUpdate(true);
        return new LookupDml(new LookupDml.Params(new Route(dml), SqlWriter.toSql(select),
                table.schema().primaryVindex().orElseThrow().vindex(), owned, isUpdate));
    }

    private static boolean covers(ColumnVindex cv, String column) {
        return cv.columns().stream().anyMatch(c -> Names.column(c).equals(column));
    }
}
