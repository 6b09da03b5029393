package io.tessel.vtcombo;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A MySQL server behind one shard: where it listens, how to log in, and how to stop it when vtcombo
 * started it (a no-op for a server given with {@code --mysql-url}).
 */
public record MysqlInstance(String host, int port, String user, String password, AutoCloseable stopper)
        implements AutoCloseable {

    /** An existing server from {@code mysql://user:password@host:port} or {@code jdbc:mysql://host:port/?user=..&password=..}. */
    public static MysqlInstance external(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--mysql-url needs a host: " + url);
        }
        String user = "root";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] up = uri.getUserInfo().split(":", 2);
            user = up[0];
            password = up.length > 1 ? up[1] : "";
        }
        Map<String, String> params = new HashMap<>();
        if (uri.getQuery() != null) {
            for (String kv : uri.getQuery().split("&")) {
                String[] p = kv.split("=", 2);
                params.put(p[0], p.length > 1 ? p[1] : "");
            }
        }
        user = params.getOrDefault("user", user);
        password = params.getOrDefault("password", password);
        return new MysqlInstance(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), user, password, () -> { });
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database
                + "?useSSL=false&allowPublicKeyRetrieval=true&connectionCollation=utf8mb4_general_ci";
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
