package io.tessel.vtgate;

import java.nio.file.Path;

/**
 * vtgate's settings, fixed at start. {@code authMode} is {@code none} (any user, any password: local
 * use only) or {@code static} (users from {@code authFile}, Vitess's static JSON format).
 */
public record VtGateConfig(String host, int port, String authMode, Path authFile, String defaultAuthPlugin,
                           String serverVersion, int maxPacketSize, int ioThreads) {
    public static final int DEFAULT_PORT = 15306;

    public VtGateConfig {
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
        return new VtGateConfig(host, newPort, authMode, authFile, defaultAuthPlugin, serverVersion, maxPacketSize, ioThreads);
    }

    public VtGateConfig withAuth(String mode, Path file, String plugin) {
        return new VtGateConfig(host, port, mode, file, plugin, serverVersion, maxPacketSize, ioThreads);
    }
}
