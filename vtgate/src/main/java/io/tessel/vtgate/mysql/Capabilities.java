package io.tessel.vtgate.mysql;

/**
 * Capability flags, named as in the MySQL manual, and the negotiated set of one connection
 * ({@code server & client}). Immutable.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capabilities flags</a>
 */
public record Capabilities(int flags) {
    public static final int CLIENT_LONG_PASSWORD = 1;
    public static final int CLIENT_FOUND_ROWS = 1 << 1;
    public static final int CLIENT_LONG_FLAG = 1 << 2;
    public static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    public static final int CLIENT_NO_SCHEMA = 1 << 4;
    public static final int CLIENT_COMPRESS = 1 << 5;
    public static final int CLIENT_ODBC = 1 << 6;
    public static final int CLIENT_LOCAL_FILES = 1 << 7;
    public static final int CLIENT_IGNORE_SPACE = 1 << 8;
    public static final int CLIENT_PROTOCOL_41 = 1 << 9;
    public static final int CLIENT_INTERACTIVE = 1 << 10;
    public static final int CLIENT_SSL = 1 << 11;
    public static final int CLIENT_IGNORE_SIGPIPE = 1 << 12;
    public static final int CLIENT_TRANSACTIONS = 1 << 13;
    public static final int CLIENT_RESERVED = 1 << 14;
    public static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    public static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    public static final int CLIENT_MULTI_RESULTS = 1 << 17;
    public static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
    public static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    public static final int CLIENT_CONNECT_ATTRS = 1 << 20;
    public static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    public static final int CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1 << 22;
    public static final int CLIENT_SESSION_TRACK = 1 << 23;
    public static final int CLIENT_DEPRECATE_EOF = 1 << 24;

    /** What vtgate advertises: Vitess's set without local files; CLIENT_SSL is added when TLS is configured. */
    public static final int SERVER = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_INTERACTIVE | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS
            | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_DEPRECATE_EOF;

    public static Capabilities negotiate(int clientFlags) {
        return new Capabilities(SERVER & clientFlags);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
