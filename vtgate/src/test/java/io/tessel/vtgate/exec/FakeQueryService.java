package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Query.BeginExecuteRequest;
import io.tessel.proto.Query.BeginExecuteResponse;
import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BeginResponse;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.CommitResponse;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.ExecuteResponse;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.RollbackRequest;
import io.tessel.proto.Query.RollbackResponse;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.proto.Query.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A tablet that records every call ("execute sql tx=N", "commit tx=N", ...) and answers each query with one text row. */
final class FakeQueryService implements QueryService {
    final List<String> calls = new ArrayList<>();
    private long nextTransactionId = 100;

    static QueryResult oneValue(String value) {
        return QueryResult.newBuilder().addFields(Field.newBuilder().setName("v").setType(Type.VARCHAR))
                .addRows(Row.newBuilder().addLengths(value.length()).setValues(ByteString.copyFromUtf8(value))).build();
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest r) {
        calls.add("execute " + r.getQuery().getSql() + " tx=" + r.getTransactionId()
                + (r.getOptions().getClientFoundRows() ? " found_rows" : ""));
        return ExecuteResponse.newBuilder().setResult(oneValue("tablet")).build();
    }

    @Override
    public void streamExecute(StreamExecuteRequest r, Consumer<QueryResult> sink) {
        throw new IllegalStateException("BUG: not used by the executor yet");
    }

    @Override
    public BeginResponse begin(BeginRequest r) {
        throw new IllegalStateException("BUG: the executor begins with BeginExecute");
    }

    @Override
    public CommitResponse commit(CommitRequest r) {
        calls.add("commit tx=" + r.getTransactionId());
        return CommitResponse.getDefaultInstance();
    }

    @Override
    public RollbackResponse rollback(RollbackRequest r) {
        calls.add("rollback tx=" + r.getTransactionId());
        return RollbackResponse.getDefaultInstance();
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest r) {
        long id = nextTransactionId++;
        calls.add("beginExecute " + r.getQuery().getSql() + " -> tx=" + id);
        return BeginExecuteResponse.newBuilder().setTransactionId(id).setResult(oneValue("tablet")).build();
    }
}
