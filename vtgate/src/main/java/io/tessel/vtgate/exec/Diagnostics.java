package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.QueryWarning;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagnostics area of one session, as MySQL keeps it: the warnings the shards raised for the last
 * statement (gathered from every shard it reached) and its error, for the warning count in OK and EOF
 * packets, {@code SHOW WARNINGS}, {@code SHOW ERRORS}, {@code SHOW COUNT(*) WARNINGS} and
 * {@code @@warning_count}. Statements that read the diagnostics leave them as they are. Shards may add
 * warnings from several threads at once (a scatter), so adding is synchronized.
 */
public final class Diagnostics {
    /** One diagnostic; {@code level} is Warning or Error (the tablets do not report MySQL's Note level). */
    public record Entry(String level, int code, String message) {}

    private final List<Entry> pending = new ArrayList<>();
    private volatile List<Entry> last = List.of();

    /** The diagnostics of the last statement. */
    public List<Entry> last() {
        return last;
    }

    /** Forgets what earlier statements left pending; called as a statement starts. */
    synchronized void start() {
        pending.clear();
    }

    /** Records the warnings a shard returned for the running statement. */
    synchronized void add(List<QueryWarning> warnings) {
        for (QueryWarning w : warnings) {
            pending.add(new Entry("Warning", w.getCode(), w.getMessage()));
        }
    }

    /**
     * Ends a statement that succeeded: its warnings become the session's, and the result carries them all
     * (merged results of several shards lose their own).
     */
    synchronized QueryResult finish(QueryResult result) {
        last = List.copyOf(pending);
        pending.clear();
        if (result.getWarningsCount() == last.size()) {
            return result;
        }
        QueryResult.Builder b = result.toBuilder().clearWarnings();
        last.forEach(e -> b.addWarnings(QueryWarning.newBuilder().setCode(e.code()).setMessage(e.message())));
        return b.build();
    }

    /** Ends a statement that failed: the shards' warnings and the error. */
    synchronized void fail(VtException e) {
        pending.add(new Entry("Error", e.hasErrno() ? e.errno() : 1105, e.getMessage()));
        last = List.copyOf(pending);
        pending.clear();
    }

    /**
     * True for the statements that read the diagnostics without clearing them: SHOW WARNINGS, SHOW ERRORS,
     * SHOW COUNT(*) WARNINGS|ERRORS and a SELECT of @@warning_count or @@error_count.
     */
    static boolean isRead(Token first, String sql) {
        if (first.is("show")) {
            List<Token> t = Tokenizer.tokenize(sql);
            Token kind = t.get(1).is("count") ? t.get(5) : t.get(1);
            return kind.is("warnings") || kind.is("errors");
        }
        if (first.is("select") && sql.indexOf("@@") > 0) {
            for (Token t : Tokenizer.tokenize(sql)) {
                if (t.kind() == Token.Kind.SYSTEM_VAR && (t.text().toLowerCase(java.util.Locale.ROOT).endsWith("warning_count")
                        || t.text().toLowerCase(java.util.Locale.ROOT).endsWith("error_count"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The answer to SHOW WARNINGS (all entries) or SHOW ERRORS (errors only), or with {@code isCount} to
     * SHOW COUNT(*) WARNINGS|ERRORS; null when {@code t} is neither.
     */
    QueryResult show(List<Token> t) {
        boolean isCount = t.get(1).is("count");
        Token kind = isCount ? t.get(5) : t.get(1);
        if (!kind.is("warnings") && !kind.is("errors")) {
            return null;
        }
        boolean isErrors = kind.is("errors");
        List<Entry> entries = last.stream().filter(e -> !isErrors || e.level().equals("Error")).toList();
        if (isCount) {
            String name = "@@session." + (isErrors ? "error_count" : "warning_count");
            return ShowStatements.table(List.of(name), List.of(List.of(Integer.toString(entries.size()))));
        }
        QueryResult.Builder r = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("Level").setType(Type.VARCHAR).setColumnLength(28).setCharset(255))
                .addFields(Field.newBuilder().setName("Code").setType(Type.UINT32).setColumnLength(4).setCharset(63))
                .addFields(Field.newBuilder().setName("Message").setType(Type.VARCHAR).setColumnLength(2048).setCharset(255));
        for (Entry e : entries) {
            byte[] level = e.level().getBytes(StandardCharsets.UTF_8);
            byte[] code = Integer.toString(e.code()).getBytes(StandardCharsets.UTF_8);
            byte[] message = e.message().getBytes(StandardCharsets.UTF_8);
            r.addRows(Row.newBuilder().addLengths(level.length).addLengths(code.length).addLengths(message.length)
                    .setValues(ByteString.copyFrom(level).concat(ByteString.copyFrom(code)).concat(ByteString.copyFrom(message))));
        }
        return r.build();
    }
}
