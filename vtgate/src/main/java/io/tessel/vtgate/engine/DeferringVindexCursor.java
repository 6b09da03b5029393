package io.tessel.vtgate.engine;

import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vindex cursor of a DML that maintains lookup vindexes: passes queries through, and holds back the
 * "after the statement" ones (consistent lookups' deletes) until the DML's transaction work is done. Used by
 * one statement execution on one thread.
 */
final class DeferringVindexCursor implements VindexCursor {
    private static final Logger log = LoggerFactory.getLogger(DeferringVindexCursor.class);

    private record Deferred(String sql, Map<String, BindVariable> bindVars) {}

    private final VindexCursor delegate;
    private final List<Deferred> deferred = new ArrayList<>();

    private DeferringVindexCursor(VindexCursor delegate) {
        this.delegate = delegate;
    }

    /**
     * Runs a DML's {@code work} in the session's transaction (or an implicit one, committed before returning),
     * then the deferred queries, each in its own autocommit transaction. A deferred query that fails leaves a
     * dangling lookup row, which consistent lookups tolerate (a later insert of the value takes it over); it is
     * logged, not raised, since the DML itself has succeeded.
     */
    static QueryResult run(VCursor vcursor, Function<VindexCursor, QueryResult> work) {
        DeferringVindexCursor cursor = new DeferringVindexCursor(vcursor.vindexCursor());
        QueryResult result = vcursor.inTransaction(() -> work.apply(cursor));
        for (Deferred d : cursor.deferred) {
            try {
                cursor.delegate.execute(d.sql(), d.bindVars(), true);
            } catch (VtException e) {
                log.warn("vtgate: lookup row left dangling, '{}' failed: {}", d.sql(), e.getMessage());
            }
        }
        return result;
    }

    @Override
    public QueryResult execute(String sql, Map<String, BindVariable> bindVars, boolean isAutocommitOutsideTx) {
        return delegate.execute(sql, bindVars, isAutocommitOutsideTx);
    }

    @Override
    public QueryResult executeKeyspaceId(String keyspace, byte[] ksid, String sql, Map<String, BindVariable> bindVars) {
        return delegate.executeKeyspaceId(keyspace, ksid, sql, bindVars);
    }

    @Override
    public void executeAfterStatement(String sql, Map<String, BindVariable> bindVars) {
        deferred.add(new Deferred(sql, Map.copyOf(bindVars)));
    }
}
