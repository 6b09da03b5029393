package io.tessel.vtcombo;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal blocking MySQL protocol client that hands back raw packet payloads, for comparing vtgate's
 * bytes with MariaDB's. Logs in with mysql_native_password (answering an auth switch), legacy EOF framing
 * (no CLIENT_DEPRECATE_EOF), and speaks COM_QUERY, COM_INIT_DB and the prepared-statement commands.
 */
final class WireClient implements AutoCloseable {
    static final int CLIENT_PROTOCOL_41 = 1 << 9;
    static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    static final int CLIENT_MULTI_RESULTS = 1 << 17;
    static final int CLIENT_PLUGIN_AUTH = 1 << 19;

    /** One binary parameter: its type byte, whether unsigned, and its value bytes (null for NULL). */
    record Param(int type, boolean isUnsigned, byte[] value) {}

    /** What COM_STMT_EXECUTE returned: the row payloads of a result set, or the OK/ERR packet. */
    record Executed(List<byte[]> rows, byte[] okOrError) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int sequenceId;

    private WireClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static WireClient connect(String host, int port, String user, String password, String database) throws Exception {
        WireClient c = new WireClient(host, port);
        byte[] hs = c.read();
        int nul = 1;
        while (hs[nul] != 0) {
            nul++;
        }
        byte[] scramble = new byte[20];
        System.arraycopy(hs, nul + 5, scramble, 0, 8);
        int rest = nul + 5 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10; // filler, caps, charset, status, caps, len, reserved
        System.arraycopy(hs, rest, scramble, 8, 12);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH | CLIENT_MULTI_RESULTS
                | CLIENT_MULTI_STATEMENTS | 1 /* CLIENT_LONG_PASSWORD */;
        writeInt(b, caps, 4);
        writeInt(b, 1 << 24, 4);
        b.write(45);
        b.write(new byte[23], 0, 23);
        b.writeBytes(user.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        byte[] auth = nativePassword(password, scramble);
        b.write(auth.length);
        b.writeBytes(auth);
        b.writeBytes("mysql_native_password".getBytes(StandardCharsets.UTF_8));
        b.write(0);
        c.sequenceId = 1;
        c.write(b.toByteArray());
        byte[] reply = c.read();
        if ((reply[0] & 0xFF) == 0xFE) { // auth switch: plugin name, then the new scramble
            int end = 1;
            while (reply[end] != 0) {
                end++;
            }
            byte[] salt = Arrays.copyOfRange(reply, end + 1, end + 21);
            c.write(nativePassword(password, salt));
            reply = c.read();
        }
        if (reply[0] != 0) {
            throw new IllegalStateException("login failed: " + new String(reply, StandardCharsets.UTF_8));
        }
        c.command(0x02, database.getBytes(StandardCharsets.UTF_8));
        c.expectOk();
        return c;
    }

    private static byte[] nativePassword(String password, byte[] scramble) throws Exception {
        if (password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble, 0, 20);
        byte[] mix = sha1.digest(stage2);
        for (int i = 0; i < mix.length; i++) {
            mix[i] ^= stage1[i];
        }
        return mix;
    }

    /** Runs a text query and checks it succeeded (every result of a multi-statement query). */
    void update(String sql) throws IOException {
        command(0x03, sql.getBytes(StandardCharsets.UTF_8));
        while (true) {
            byte[] p = read();
            int status;
            if (p[0] == 0) {
                status = okStatus(p);
            } else if ((p[0] & 0xFF) == 0xFF) {
                throw new IllegalStateException("query failed: " + sql + ": " + error(p));
            } else {
                status = skipResultSet();
            }
            if ((status & 0x0008) == 0) {
                return;
            }
        }
    }

    /** COM_STMT_PREPARE: the statement id and parameter count; reads the definitions that follow. */
    int[] prepare(String sql) throws IOException {
        command(0x16, sql.getBytes(StandardCharsets.UTF_8));
        byte[] ok = read();
        if ((ok[0] & 0xFF) == 0xFF) {
            throw new IllegalStateException("prepare failed: " + error(ok));
        }
        int id = (int) readInt(ok, 1, 4);
        int columns = (int) readInt(ok, 5, 2);
        int params = (int) readInt(ok, 7, 2);
        if (params > 0) {
            skip(params + 1);
        }
        if (columns > 0) {
            skip(columns + 1);
        }
        return new int[] {id, params};
    }

    /** COM_STMT_EXECUTE with new-params-bound set; returns the binary row payloads or the OK/ERR packet. */
    Executed execute(int statementId, List<Param> params) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, statementId, 4);
        b.write(0);
        writeInt(b, 1, 4);
        if (!params.isEmpty()) {
            byte[] nulls = new byte[(params.size() + 7) / 8];
            for (int k = 0; k < params.size(); k++) {
                if (params.get(k).value() == null) {
                    nulls[k / 8] |= (byte) (1 << (k % 8));
                }
            }
            b.writeBytes(nulls);
            b.write(1);
            for (Param p : params) {
                b.write(p.type());
                b.write(p.isUnsigned() ? 0x80 : 0);
            }
            for (Param p : params) {
                if (p.value() != null) {
                    b.writeBytes(p.value());
                }
            }
        }
        command(0x17, b.toByteArray());
        byte[] first = read();
        if (first[0] == 0 || (first[0] & 0xFF) == 0xFF) {
            return new Executed(List.of(), first);
        }
        int columns = first[0] & 0xFF;
        skip(columns + 1);
        List<byte[]> rows = new ArrayList<>();
        for (byte[] p = read(); (p[0] & 0xFF) != 0xFE; p = read()) {
            rows.add(p);
        }
        return new Executed(rows, null);
    }

    void closeStatement(int statementId) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, statementId, 4);
        command(0x19, b.toByteArray());
    }

    private int skipResultSet() throws IOException {
        while ((read()[0] & 0xFF) != 0xFE) {
            // column definitions
        }
        while (true) {
            byte[] p = read();
            if ((p[0] & 0xFF) == 0xFE && p.length < 9) {
                return (int) readInt(p, 3, 2);
            }
        }
    }

    private void expectOk() throws IOException {
        byte[] p = read();
        if (p[0] != 0) {
            throw new IllegalStateException("expected OK: " + error(p));
        }
    }

    private static int okStatus(byte[] ok) {
        int pos = 1;
        for (int k = 0; k < 2; k++) { // affected rows, insert id: lenenc
            int first = ok[pos] & 0xFF;
            pos += first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : 9;
        }
        return (int) readInt(ok, pos, 2);
    }

    static String error(byte[] err) {
        return readInt(err, 1, 2) + " " + new String(err, 3, err.length - 3, StandardCharsets.UTF_8);
    }

    private void skip(int packets) throws IOException {
        for (int i = 0; i < packets; i++) {
            read();
        }
    }

    private void command(int code, byte[] body) throws IOException {
        byte[] p = new byte[body.length + 1];
        p[0] = (byte) code;
        System.arraycopy(body, 0, p, 1, body.length);
        sequenceId = 0;
        write(p);
    }

    private void write(byte[] payload) throws IOException {
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16),
            (byte) sequenceId++});
        out.write(payload);
        out.flush();
    }

    private byte[] read() throws IOException {
        int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        sequenceId = in.readUnsignedByte() + 1;
        byte[] p = new byte[len];
        in.readFully(p);
        return p;
    }

    private static long readInt(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    static void writeInt(ByteArrayOutputStream b, long v, int n) {
        for (int i = 0; i < n; i++) {
            b.write((int) (v >>> (8 * i)));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
