package io.tessel.vttablet.mysqlctl;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving integration tests a MariaDB: one private {@code mariadbd} per JVM (test fork),
 * started lazily by the first test class that needs it and stopped, with its directory deleted, by a JVM
 * shutdown hook, so classes share its ~1-2 s start. With {@code -Dtessel.it.mysql.url=jdbc:mysql://host:port/?user=u&password=p}
 * it uses that server instead and starts nothing. Thread-safe.
 *
 * <pre>{@code
 * @RegisterExtension static MariaDbExtension db = new MariaDbExtension();
 * @BeforeAll static void schema() { db.createDatabase("my_test"); }   // then db.jdbcUrl("my_test")
 * }</pre>
 *
 * The server is shared, so each test class should use its own database names.
 */
public final class MariaDbExtension implements BeforeAllCallback {
    /** System property naming an already-running server to use instead of a private one. */
    public static final String URL_PROPERTY = "tessel.it.mysql.url";

    private static final ReentrantLock lock = new ReentrantLock();
    private static Endpoint shared;

    /** Where the server is; {@code mysqld} is null for an external server. */
    record Endpoint(String host, int port, String user, String password, Mysqld mysqld) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint();
    }

    private static Endpoint endpoint() {
        lock.lock();
        try {
            if (shared == null) {
                String url = System.getProperty(URL_PROPERTY, "");
                shared = url.isBlank() ? startPrivate() : parse(url);
            }
            return shared;
        } finally {
            lock.unlock();
        }
    }

    private static Endpoint startPrivate() {
        if (!Mysqld.isAvailable()) {
            throw new IllegalStateException("no MariaDB for integration tests: install mariadb-server (mariadbd, "
                    + "mariadb-install-db) or pass -D" + URL_PROPERTY + "=jdbc:mysql://host:port/?user=..&password=..");
        }
        Mysqld mysqld = Mysqld.start(MysqldConfig.defaults()); // its own shutdown hook stops it at JVM exit
        return new Endpoint(mysqld.host(), mysqld.port(), mysqld.user(), mysqld.password(), mysqld);
    }

    static Endpoint parse(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        Map<String, String> params = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    params.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 3306;
        return new Endpoint(uri.getHost(), port, params.getOrDefault("user", "root"), params.getOrDefault("password", ""), null);
    }

    public String host() {
        return endpoint().host();
    }

    public int port() {
        return endpoint().port();
    }

    public String user() {
        return endpoint().user();
    }

    public String password() {
        return endpoint().password();
    }

    /** True when the tests run against {@code -Dtessel.it.mysql.url} rather than a private server. */
    public boolean isExternal() {
        return endpoint().mysqld() == null;
    }

    /** A Connector/J URL for a database (empty for none), user and password included, for DriverManager. */
    public String jdbcUrl(String database) {
        Endpoint e = endpoint();
        return "jdbc:mysql://" + e.host() + ":" + e.port() + "/" + database + "?user=" + encode(e.user())
                + (e.password().isEmpty() ? "" : "&password=" + encode(e.password()))
                + "&sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Drops the database if it exists and creates it empty, so each test class starts clean. */
    public void createDatabase(String name) {
        String quoted = "`" + name.replace("`", "``") + "`";
        try (Connection c = DriverManager.getConnection(jdbcUrl("")); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + quoted);
            st.execute("CREATE DATABASE " + quoted);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed: " + e.getMessage(), e);
        }
    }
}
