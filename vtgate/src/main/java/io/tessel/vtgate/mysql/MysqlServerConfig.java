package io.tessel.vtgate.mysql;

import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.Scrambles;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settings of the MySQL protocol server, fixed at start. {@code sha2Cache} holds the users that
 * completed a caching_sha2_password full authentication, so later logins take the fast path, as in
 * MySQL. Thread-safe.
 */
public record MysqlServerConfig(String serverVersion, String defaultAuthPlugin, int maxPacketSize,
                                Duration handshakeTimeout, AuthServer authServer, RsaKeys rsaKeys,
                                Set<String> sha2Cache) {
    public static final String DEFAULT_SERVER_VERSION = "8.0.40-Tessel";
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024 * 1024;

    public MysqlServerConfig {
        if (!defaultAuthPlugin.equals(Scrambles.MYSQL_NATIVE_PASSWORD)
                && !defaultAuthPlugin.equals(Scrambles.CACHING_SHA2_PASSWORD)) {
            throw new IllegalArgumentException("unsupported auth plugin: " + defaultAuthPlugin
                    + " (use mysql_native_password or caching_sha2_password)");
        }
    }

    public static MysqlServerConfig defaults(AuthServer authServer, String defaultAuthPlugin) {
        return new MysqlServerConfig(DEFAULT_SERVER_VERSION, defaultAuthPlugin, DEFAULT_MAX_PACKET_SIZE,
                Duration.ofSeconds(10), authServer, RsaKeys.generate(), ConcurrentHashMap.newKeySet());
    }
}
