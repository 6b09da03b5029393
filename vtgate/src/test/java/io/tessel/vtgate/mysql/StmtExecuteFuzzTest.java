package io.tessel.vtgate.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.exec.Session;
import io.tessel.vtgate.mysql.packet.Command;
import io.tessel.vtgate.mysql.packet.Command.ComStmtExecute;
import io.tessel.vtgate.mysql.packet.Command.ComStmtFetch;
import io.tessel.vtgate.mysql.packet.Command.ComStmtSendLongData;
import io.tessel.vtgate.sql.Placeholders;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes COM_STMT_EXECUTE decoding: a statement with 0 to 12 markers is prepared, then executed up to
 * three times (so later executions may reuse the bound types) with fuzzed packets, sometimes after
 * COM_STMT_SEND_LONG_DATA, sometimes followed by COM_STMT_FETCH on a cursor. Packets are either wholly
 * fuzzed or a well-formed header for statement 1 followed by a fuzzed parameter section. Decoding may fail
 * only with ER_MALFORMED_PACKET (or the unknown-statement error); every decoded parameter set must have one
 * well-typed variable per marker; replies must be well framed; every buffer must be released.
 */
class StmtExecuteFuzzTest {
    private static final int ER_UNKNOWN_STMT_HANDLER = 1243;
    private static final int ER_STMT_HAS_NO_OPEN_CURSOR = 1421;
    private static final QueryResult ROWS = QueryResult.newBuilder()
            .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
            .addFields(Field.newBuilder().setName("b").setType(Type.VARCHAR))
            .addRows(Row.newBuilder().addLengths(1).addLengths(1).setValues(ByteString.copyFromUtf8("5x")))
            .addRows(Row.newBuilder().addLengths(1).addLengths(-1).setValues(ByteString.copyFromUtf8("6")))
            .addRows(Row.newBuilder().addLengths(2).addLengths(2).setValues(ByteString.copyFromUtf8("17yz")))
            .build();

    @AfterAll
    static void noLeaks() {
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }

    /** Checks each execution's parameters, then answers with three rows. */
    private record CheckingHandler(int markers) implements SqlHandler {
        @Override
        public QueryResult execute(Session session, String sql, Map<String, BindVariable> params) {
            assertEquals(markers, params.size());
            int k = 1;
            for (Map.Entry<String, BindVariable> e : params.entrySet()) {
                assertEquals(Placeholders.name(k++), e.getKey());
                checkValue(e.getValue());
            }
            return ROWS;
        }

        @Override
        public List<Field> prepareFields(Session session, String sql, int paramCount) {
            return ROWS.getFieldsList();
        }

        @Override
        public Session newSession(int connectionId, String user, List<String> roles) {
            return new Session(connectionId, user, roles);
        }

        @Override
        public boolean databaseExists(String name) {
            return false;
        }

        @Override
        public QueryResult query(Session session, String sql) {
            throw new AssertionError("not used");
        }

        @Override
        public QueryResult fieldList(Session session, String table) {
            throw new AssertionError("not used");
        }

        @Override
        public void useDatabase(Session session, String name) {}

        @Override
        public void resetSession(Session session) {}

        @Override
        public void closeSession(Session session) {}
    }

    /** A decoded value is what its type says: integers in range, floats that parse, text dates and times. */
    static void checkValue(BindVariable v) {
        String s = v.getValue().toStringUtf8();
        switch (v.getType()) {
            case INT8 -> assertTrue(Long.parseLong(s) >= Byte.MIN_VALUE && Long.parseLong(s) <= Byte.MAX_VALUE, s);
            case UINT8 -> assertTrue(Long.parseLong(s) >= 0 && Long.parseLong(s) <= 0xFF, s);
            case INT16 -> assertTrue(Long.parseLong(s) >= Short.MIN_VALUE && Long.parseLong(s) <= Short.MAX_VALUE, s);
            case UINT16, YEAR -> assertTrue(Long.parseLong(s) >= 0 && Long.parseLong(s) <= 0xFFFF, s);
            case INT32 -> assertEquals((int) Long.parseLong(s), Long.parseLong(s), s);
            case UINT32 -> assertTrue(Long.parseLong(s) >= 0 && Long.parseLong(s) <= 0xFFFFFFFFL, s);
            case INT64 -> Long.parseLong(s);
            case UINT64 -> Long.parseUnsignedLong(s);
            case FLOAT64 -> Double.parseDouble(s);
            case DATE -> assertTrue(s.matches("\\d{4,5}-\\d{2,3}-\\d{2,3}"), s);
            case DATETIME, TIMESTAMP -> assertTrue(s.matches("\\d{4,5}-\\d{2,3}-\\d{2,3} \\d{2,3}:\\d{2,3}:\\d{2,3}(\\.\\d{6,})?"), s);
            case TIME -> assertTrue(s.matches("-?\\d{2,}:\\d{2,3}:\\d{2,3}(\\.\\d{6,})?"), s);
            case NULL_TYPE -> assertTrue(s.isEmpty());
            case VARCHAR, VARBINARY, DECIMAL -> { }
            default -> throw new AssertionError("unexpected type " + v.getType());
        }
    }

    @FuzzTest
    void decodesAnyExecute(FuzzedDataProvider data) {
        int markers = data.consumeInt(0, 12);
        int caps = data.consumeBoolean() ? Capabilities.CLIENT_DEPRECATE_EOF : 0;
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        PreparedStatements ps = new PreparedStatements(new CheckingHandler(markers), new Session(1, "u", List.of()),
                new Capabilities(caps), 4);
        PacketWriter w = new PacketWriter(ch, 1);
        ps.prepare(w, "select a, b from t where x in (" + "?, ".repeat(markers) + "0)");
        w.flush();
        TestPackets.checkReplies(ch);
        for (int executions = data.consumeInt(1, 3); executions > 0; executions--) {
            if (data.consumeBoolean()) {
                ps.sendLongData(new ComStmtSendLongData(1, data.consumeInt(0, markers), data.consumeBytes(data.consumeInt(0, 8))));
            }
            boolean isRaw = data.consumeInt(0, 7) == 0;
            long fetchRows = data.consumeBoolean() ? data.consumeLong(0, 0xFFFFFFFFL) : -1;
            byte[] rest = executions > 1 ? data.consumeBytes(data.consumeInt(0, 200)) : data.consumeRemainingAsBytes();
            run(ps, ch, isRaw ? rest : withHeader(data.consumeInt(0, 1), rest));
            if (fetchRows >= 0) {
                run(ch, w2 -> ps.fetch(w2, new ComStmtFetch(1, fetchRows)));
            }
        }
        ch.finish();
        TestPackets.checkReplies(ch);
        alloc.assertAllReleased("execute");
    }

    /** A COM_STMT_EXECUTE packet for statement 1, flags (cursor or not) and iteration count 1, then {@code params}. */
    private static byte[] withHeader(int flags, byte[] params) {
        ByteBuf b = Unpooled.buffer(10 + params.length);
        b.writeByte(Command.COM_STMT_EXECUTE).writeIntLE(1).writeByte(flags).writeIntLE(1).writeBytes(params);
        return TestPackets.bytes(b);
    }

    private static void run(PreparedStatements ps, EmbeddedChannel ch, byte[] packet) {
        Command c;
        try {
            c = Command.read(Unpooled.wrappedBuffer(packet));
        } catch (VtException e) {
            assertEquals(SqlError.ER_MALFORMED_PACKET.errno(), e.errno(), e.getMessage());
            return;
        }
        if (c instanceof ComStmtExecute e) {
            run(ch, w -> ps.execute(w, e));
        }
    }

    /** Runs one command as CommandHandler does: an expected error replaces the reply with an ERR packet. */
    private static void run(EmbeddedChannel ch, Consumer<PacketWriter> command) {
        PacketWriter w = new PacketWriter(ch, 1);
        try {
            command.accept(w);
        } catch (VtException e) {
            int errno = e.errno();
            assertTrue(errno == SqlError.ER_MALFORMED_PACKET.errno() || errno == ER_UNKNOWN_STMT_HANDLER
                    || errno == ER_STMT_HAS_NO_OPEN_CURSOR, e.getMessage());
            w.discard(1);
            Replies.error(w, e);
        }
        w.flush();
        TestPackets.checkReplies(ch);
    }
}
