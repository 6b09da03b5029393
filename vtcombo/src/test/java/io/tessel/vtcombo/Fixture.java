package io.tessel.vtcombo;

import io.tessel.vtgate.VtGateConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * End-to-end test set-up: a vtcombo cluster whose single unsharded shard lives in database
 * {@code keyspace} of the test MariaDB, next to a database {@code keyspace_direct} that the same
 * statements run against directly, for differential checks.
 */
final class Fixture {
    private Fixture() {}

    static ComboCluster start(MariaDbExtension db, String keyspace, VtGateConfig vtgate,
                              ComboConfig.TabletProtocol protocol) throws Exception {
        db.createDatabase(keyspace);
        db.createDatabase(keyspace + "_direct");
        MysqlInstance mysql = new MysqlInstance(db.host(), db.port(), db.user(), db.password(), () -> { });
        ComboConfig config = ComboConfig.single("zone1", keyspace, List.of("0"), null, protocol, vtgate.withPort(0));
        return ComboCluster.start(config, List.of(mysql));
    }

    static ComboCluster start(MariaDbExtension db, String keyspace) throws Exception {
        return start(db, keyspace, VtGateConfig.defaults(), ComboConfig.TabletProtocol.GRPC);
    }

    /** A URL for a driver ({@code mysql} or {@code mariadb}) to vtgate. */
    static String tesselUrl(String driver, ComboCluster cluster, String database) {
        return "jdbc:" + driver + "://127.0.0.1:" + cluster.address().getPort() + "/" + database
                + "?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true";
    }

    /** A URL for a driver straight to the test MariaDB. */
    static String directUrl(String driver, MariaDbExtension db, String database) {
        return "jdbc:" + driver + "://" + db.host() + ":" + db.port() + "/" + database + "?user=" + db.user()
                + "&password=" + db.password() + "&useSSL=false&allowPublicKeyRetrieval=true";
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, new Properties());
    }

    /** Every row of a query as strings (getString), with a header line of labels and type names. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.append(md.getColumnLabel(i)).append(':').append(md.getColumnTypeName(i)).append(' ');
            }
            out.add(header.toString());
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(rs.getString(i)).append('|');
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    /** Writes {@code text} to {@code file} under a schema directory, creating the keyspace's folder. */
    static void write(java.nio.file.Path schemaDir, String file, String text) throws java.io.IOException {
        java.nio.file.Path path = schemaDir.resolve(file);
        java.nio.file.Files.createDirectories(path.getParent());
        java.nio.file.Files.writeString(path, text);
    }
}
