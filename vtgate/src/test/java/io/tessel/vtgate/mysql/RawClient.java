package io.tessel.vtgate.mysql;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal blocking MySQL client over a socket, for protocol tests that need exact bytes. */
final class RawClient implements AutoCloseable {
    record Reply(int sequenceId, byte[] payload) {
        int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        int errno() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }

        String sqlState() {
            return new String(payload, 4, 5, StandardCharsets.US_ASCII);
        }
    }

    Socket socket;
    DataInputStream in;
    OutputStream out;
    final byte[] scramble = new byte[20];
    int connectionId;
    int serverCapabilities;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Reads the handshake and logs in as root with the given capabilities (auth server "none"). */
    static RawClient connect(int port, int caps) throws Exception {
        RawClient c = new RawClient(port);
        c.readHandshake();
        c.login(1, caps);
        return c;
    }

    /**
     * Reads the handshake, sends an SSLRequest (sequence id 1), switches the socket to TLS trusting
     * {@code tls}, and logs in as root over it (sequence id 2).
     */
    static RawClient connectTls(int port, int caps, javax.net.ssl.SSLContext tls) throws Exception {
        RawClient c = new RawClient(port);
        c.readHandshake();
        c.write(1, c.responseHead(caps | Capabilities.CLIENT_SSL).toByteArray());
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket(c.socket, "localhost", port, true);
        ssl.startHandshake();
        c.socket = ssl;
        c.in = new DataInputStream(ssl.getInputStream());
        c.out = ssl.getOutputStream();
        c.login(2, caps | Capabilities.CLIENT_SSL);
        return c;
    }

    private void readHandshake() throws IOException {
        byte[] hs = read().payload();
        int nul = 1;
        while (hs[nul] != 0) {
            nul++;
        }
        connectionId = (hs[nul + 1] & 0xFF) | (hs[nul + 2] & 0xFF) << 8 | (hs[nul + 3] & 0xFF) << 16
                | (hs[nul + 4] & 0xFF) << 24;
        System.arraycopy(hs, nul + 5, scramble, 0, 8);
        int at = nul + 5 + 8 + 1;
        serverCapabilities = (hs[at] & 0xFF) | (hs[at + 1] & 0xFF) << 8 | (hs[at + 5] & 0xFF) << 16
                | (hs[at + 6] & 0xFF) << 24;
    }

    /** The first 32 bytes of HandshakeResponse41, which are also the whole SSLRequest. */
    private java.io.ByteArrayOutputStream responseHead(int caps) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        writeIntLE(b, caps | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH);
        writeIntLE(b, 1 << 24);
        b.write(45);
        b.write(new byte[23], 0, 23);
        return b;
    }

    private void login(int seq, int caps) throws IOException {
        java.io.ByteArrayOutputStream b = responseHead(caps);
        b.write("root".getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.write(0); // empty auth response (1-byte length)
        b.write("mysql_native_password".getBytes(StandardCharsets.UTF_8));
        b.write(0);
        write(seq, b.toByteArray());
        Reply ok = read();
        if (ok.header() != 0) {
            throw new IllegalStateException("login failed: header " + ok.header() + " "
                    + new String(ok.payload(), StandardCharsets.UTF_8));
        }
    }

    private static void writeIntLE(java.io.ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }

    void write(int seq, byte[] payload) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16), (byte) seq};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command (sequence id 0). */
    void command(int code, String arg) throws IOException {
        byte[] a = arg.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[a.length + 1];
        p[0] = (byte) code;
        System.arraycopy(a, 0, p, 1, a.length);
        write(0, p);
    }

    /** Sends a command with a binary body (sequence id 0). */
    void command(int code, byte[] body) throws IOException {
        byte[] p = new byte[body.length + 1];
        p[0] = (byte) code;
        System.arraycopy(body, 0, p, 1, body.length);
        write(0, p);
    }

    Reply read() throws IOException {
        int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        int seq = in.readUnsignedByte();
        byte[] p = new byte[len];
        in.readFully(p);
        return new Reply(seq, p);
    }

    /** True when the server closed the connection (EOF before any byte). */
    boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
