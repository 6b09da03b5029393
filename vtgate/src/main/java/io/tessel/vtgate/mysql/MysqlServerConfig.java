package io.tessel.vtgate.mysql;

import io.netty.handler.ssl.SslContext;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.Scrambles;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settings of the MySQL protocol server, fixed at start. {@code sha2Cache} holds the users that
 * completed a caching_sha2_password full authentication, so later logins take the fast path, as in
 * MySQL. {@code tls} is the server's TLS context, null without TLS; with {@code requireSecureTransport}
 * a client that does not switch to TLS is refused (MySQL's {@code require_secure_transport}). Thread-safe.
 */
public record MysqlServerConfig(String serverVersion, String defaultAuthPlugin, int maxPacketSize,
                                Duration handshakeTimeout, AuthServer authServer, RsaKeys rsaKeys,
                                Set<String> sha2Cache, SslContext tls, boolean requireSecureTransport) {
    public static final String DEFAULT_SERVER_VERSION = "8.0.40-Tessel";
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024 * 1024;

    public MysqlServerConfig {
        if (!defaultAuthPlugin.equals(Scrambles.MYSQL_NATIVE_PASSWORD)
                && !defaultAuthPlugin.equals(Scrambles.CACHING_SHA2_PASSWORD)) {
            throw new IllegalArgumentException("unsupported auth plugin: " + defaultAuthPlugin
                    + " (use mysql_native_password or caching_sha2_password)");
        }
        if (requireSecureTransport && tls == null) {
            throw new IllegalArgumentException("requiring secure transport needs TLS: give a certificate and key");
        }
    }

    /** Without TLS. */
    public MysqlServerConfig(String serverVersion, String defaultAuthPlugin, int maxPacketSize,
                             Duration handshakeTimeout, AuthServer authServer, RsaKeys rsaKeys, Set<String> sha2Cache) {
        this(serverVersion, defaultAuthPlugin, maxPacketSize, handshakeTimeout, authServer, rsaKeys, sha2Cache, null, false);
    }

    public static MysqlServerConfig defaults(AuthServer authServer, String defaultAuthPlugin) {
        return new MysqlServerConfig(DEFAULT_SERVER_VERSION, defaultAuthPlugin, DEFAULT_MAX_PACKET_SIZE,
                Duration.ofSeconds(10), authServer, RsaKeys.generate(), ConcurrentHashMap.newKeySet());
    }

    /** The same settings with TLS ({@code context} null for none). */
    public MysqlServerConfig withTls(SslContext context, boolean requireSecure) {
        return new MysqlServerConfig(serverVersion, defaultAuthPlugin, maxPacketSize, handshakeTimeout, authServer,
                rsaKeys, sha2Cache, context, requireSecure);
    }

    /** The capability flags the server advertises: CLIENT_SSL only with TLS. */
    public int capabilities() {
        return tls == null ? Capabilities.SERVER : Capabilities.SERVER | Capabilities.CLIENT_SSL;
    }
}
