package io.tessel.vtgate;

import java.nio.file.Path;

/**
 * vtgate's settings, fixed at start. {@code authMode} is {@code none} (any user, any password: local
 * use only) or {@code static} (users from {@code authFile}, Vitess's static JSON format). {@code tls} is the
 * MySQL port's TLS ({@link Tls#NONE} for none).
 */
public record VtGateConfig(String host, int port, String authMode, Path authFile, String defaultAuthPlugin,
                           String serverVersion, int maxPacketSize, int ioThreads, Tls tls) {
    public static final int DEFAULT_PORT = 15306;

    /**
     * TLS on the MySQL port: a PEM certificate (chain) and key, Vitess's {@code --mysql-server-ssl-cert} and
     * {@code --mysql-server-ssl-key}; with {@code requireSecureTransport} plain connections are refused.
     */
    public record Tls(Path certFile, Path keyFile, boolean requireSecureTransport) {
        public static final Tls NONE = new Tls(null, null, false);

        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("TLS needs both --mysql-server-ssl-cert and --mysql-server-ssl-key");
            }
            if (requireSecureTransport && certFile == null) {
                throw new IllegalArgumentException("--mysql-server-require-secure-transport needs "
                        + "--mysql-server-ssl-cert and --mysql-server-ssl-key");
            }
        }

        public boolean isEnabled() {
            return certFile != null;
        }
    }

    /** Without TLS. */
    public VtGateConfig(String host, int port, String authMode, Path authFile, String defaultAuthPlugin,
                        String serverVersion, int maxPacketSize, int ioThreads) {
        this(host, port, authMode, authFile, defaultAuthPlugin, serverVersion, maxPacketSize, ioThreads, Tls.NONE);
    }

    public VtGateConfig {
        tls = tls == null ? Tls.NONE : tls;
        if (!authMode.equals("none") && !authMode.equals("static")) {
            throw new IllegalArgumentException("--mysql-auth-server must be none or static, not " + authMode);
        }
        if (authMode.equals("static") && authFile == null) {
            throw new IllegalArgumentException("--mysql-auth-server static needs --mysql-auth-server-static-file");
        }
    }

    public static VtGateConfig defaults() {
        return new VtGateConfig("127.0.0.1", DEFAULT_PORT, "none", null, "mysql_native_password",
                io.tessel.vtgate.mysql.MysqlServerConfig.DEFAULT_SERVER_VERSION,
                io.tessel.vtgate.mysql.MysqlServerConfig.DEFAULT_MAX_PACKET_SIZE,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public VtGateConfig withPort(int newPort) {
        return new VtGateConfig(host, newPort, authMode, authFile, defaultAuthPlugin, serverVersion, maxPacketSize,
                ioThreads, tls);
    }

    public VtGateConfig withAuth(String mode, Path file, String plugin) {
        return new VtGateConfig(host, port, mode, file, plugin, serverVersion, maxPacketSize, ioThreads, tls);
    }

    public VtGateConfig withHost(String newHost) {
        return new VtGateConfig(newHost, port, authMode, authFile, defaultAuthPlugin, serverVersion, maxPacketSize,
                ioThreads, tls);
    }

    public VtGateConfig withTls(Tls value) {
        return new VtGateConfig(host, port, authMode, authFile, defaultAuthPlugin, serverVersion, maxPacketSize,
                ioThreads, value);
    }
}
