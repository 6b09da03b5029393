package io.tessel.vtgate.exec;

import io.tessel.proto.Query.QueryResult;
import io.tessel.vtgate.engine.ResultSink;

/** A session's {@code sql_select_limit}, which vtgate applies to the rows a SELECT returns to the client. */
final class SelectLimit {
    private SelectLimit() {
    }

    /** A SELECT's result cut to the session's {@code sql_select_limit}. */
    static QueryResult apply(Session session, QueryResult result) {
        long limit = session.sqlSelectLimit();
        if (limit == 0 || result.getRowsCount() <= limit) {
            return result;
        }
        return result.toBuilder().clearRows().addAllRows(result.getRowsList().subList(0, (int) limit)).build();
    }

    /** A sink passing at most the session's {@code sql_select_limit} rows on, then asking for no more. */
    static ResultSink apply(Session session, ResultSink sink) {
        long limit = session.sqlSelectLimit();
        if (limit == 0) {
            return sink;
        }
        long[] sent = {0};
        return part -> {
            long room = limit - sent[0];
            QueryResult kept = part.getRowsCount() <= room ? part
                    : part.toBuilder().clearRows().addAllRows(part.getRowsList().subList(0, (int) room)).build();
            sent[0] += kept.getRowsCount();
            return sink.accept(kept) && sent[0] < limit;
        };
    }
}
