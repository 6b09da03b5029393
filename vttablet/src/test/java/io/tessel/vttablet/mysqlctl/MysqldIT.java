package io.tessel.vttablet.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A private MariaDB starts with the requested databases and leaves no process and no directory behind. */
@Timeout(60) // a hang fails the test instead of the build
class MysqldIT {
    @TempDir
    Path parent;

    @Test
    void startServesAndStopLeavesNothing() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Mysqld mysqld = Mysqld.start(MysqldConfig.defaults().withParentDir(parent).withDatabases("alpha", "beta"));
        Path dir = mysqld.baseDir();
        ProcessHandle process = ProcessHandle.of(mysqld.pid()).orElseThrow();
        try (Connection c = DriverManager.getConnection(mysqld.jdbcUrl("alpha")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select @@bind_address, @@character_set_server, @@max_allowed_packet,"
                     + " @@log_bin, database(), (select count(*) from information_schema.schemata where schema_name = 'beta')")) {
            rs.next();
            assertEquals("127.0.0.1", rs.getString(1));
            assertEquals("utf8mb4", rs.getString(2));
            assertEquals(64L << 20, rs.getLong(3));
            assertEquals(0, rs.getInt(4));
            assertEquals("alpha", rs.getString(5));
            assertEquals(1, rs.getInt(6));
        }
        assertTrue(Files.exists(mysqld.socket()));
        assertTrue(mysqld.isRunning());

        mysqld.close();
        assertFalse(process.isAlive(), "mariadbd is gone");
        assertFalse(Files.exists(dir), "its directory is gone");
        mysqld.close(); // idempotent
    }

    @Test
    void startReapsInstancesOfDeadJvms() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path orphan = Files.createDirectory(parent.resolve("tessel-mysqld-orphan"));
        Files.writeString(orphan.resolve("owner.pid"), Long.toString(dead.pid()));
        Path alive = Files.createDirectory(parent.resolve("tessel-mysqld-alive"));
        Files.writeString(alive.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));

        try (Mysqld mysqld = Mysqld.start(MysqldConfig.defaults().withParentDir(parent))) {
            assertTrue(mysqld.isRunning());
        }
        assertFalse(Files.exists(orphan), "a dead owner's instance is removed");
        assertTrue(Files.exists(alive), "a live owner's instance is left alone");
    }

    @Test
    void aServerThatCannotStartFailsFastWithItsErrorLog() {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        MysqldConfig bad = MysqldConfig.defaults().withParentDir(parent).withExtraArgs("--no-such-option=1");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mysqld.start(bad));
        assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
        try (var left = Files.list(parent)) {
            assertEquals(0, left.count(), "nothing left behind");
        } catch (java.io.IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void installLeavesOtherServersTemporaryFilesAlone() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        // The bootstrap's default tmpdir is $TMPDIR or /tmp, shared with bootstraps running in parallel.
        Path shared = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"));
        Path canary = Files.createTempFile(shared, "#sql-tessel-canary-", ".frm");
        try (Mysqld mysqld = Mysqld.start(MysqldConfig.defaults().withParentDir(parent))) {
            assertTrue(Files.exists(canary), "a #sql file of another server in the shared tmpdir survives the install");
        } finally {
            Files.deleteIfExists(canary);
        }
    }
}
