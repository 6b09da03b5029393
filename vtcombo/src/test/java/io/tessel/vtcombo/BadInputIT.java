package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.vtgate.VtGateConfig;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input end to end: wrong passwords, malformed packets, backend errors, huge values and clients
 * that vanish mid-transaction. Each must give the right MySQL error, and nothing else may suffer.
 */
class BadInputIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        Path auth = Files.createTempFile("tessel-auth", ".json");
        Files.writeString(auth, "{\"app\": [{\"Password\": \"s3cret\"}], \"root\": [{\"Password\": \"\"}]}");
        VtGateConfig vtgate = VtGateConfig.defaults().withAuth("static", auth, "caching_sha2_password");
        cluster = Fixture.start(db, "bad", vtgate, ComboConfig.TabletProtocol.GRPC);
        try (Connection c = Fixture.connect(Fixture.directUrl("mysql", db, "bad"))) {
            Fixture.update(c, "create table t (id int primary key, v int, b longblob)");
            Fixture.update(c, "insert into t values (1, 0, null), (2, 0, null)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String url(String driver, String user, String password) {
        return "jdbc:" + driver + "://127.0.0.1:" + cluster.address().getPort() + "/bad?user=" + user + "&password="
                + password + "&useSSL=false&allowPublicKeyRetrieval=true";
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void wrongPasswordIsAccessDenied(String driver) {
        SQLException e = assertThrows(SQLException.class, () -> Fixture.connect(url(driver, "app", "wrong")).close());
        assertEquals(1045, e.getErrorCode(), e.toString());
        assertEquals("28000", e.getSQLState());
        SQLException unknown = assertThrows(SQLException.class, () -> Fixture.connect(url(driver, "nobody", "x")).close());
        assertEquals(1045, unknown.getErrorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void cachingSha2FullThenFastAuthentication(String driver) throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Connection c = Fixture.connect(url(driver, "app", "s3cret"))) {
                assertEquals("1|", Fixture.rows(c, "select 1").get(1));
            }
        }
    }

    @Test
    void malformedPacketClosesOnlyThatConnection() throws Exception {
        try (Connection good = Fixture.connect(url("mysql", "app", "s3cret"));
             Socket bad = new Socket("127.0.0.1", cluster.address().getPort())) {
            bad.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(bad.getInputStream());
            skipPacket(in); // the server's handshake
            OutputStream out = bad.getOutputStream();
            out.write(new byte[] {6, 0, 0, 1, (byte) 0x8d, (byte) 0xa6, 0x0f, 0, 0, 0}); // truncated response
            out.flush();
            byte[] err = readPayload(in);
            assertEquals(0xFF, err[0] & 0xFF);
            assertEquals(1835, (err[1] & 0xFF) | (err[2] & 0xFF) << 8);
            assertEquals(-1, in.read(), "the server closes the bad connection");
            assertEquals("1|", Fixture.rows(good, "select 1").get(1));
        }
    }

    private static java.util.List<String> rowsQuietly(Connection c, String sql) {
        try {
            return Fixture.rows(c, sql);
        } catch (SQLException e) {
            return java.util.List.of(e.toString());
        }
    }

    private static void skipPacket(DataInputStream in) throws Exception {
        readPayload(in);
    }

    private static byte[] readPayload(DataInputStream in) throws Exception {
        int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte();
        byte[] p = new byte[len];
        in.readFully(p);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"selec 1", "insert into t values (1, 1, null)", "select * from missing_table",
            "select no_such_column from t", "insert into t (id, v) values ('x', 1)"})
    void backendErrorsReachTheClientUnchanged(String sql) throws Exception {
        SQLException direct;
        try (Connection c = Fixture.connect(Fixture.directUrl("mysql", db, "bad"))) {
            direct = assertThrows(SQLException.class, () -> Fixture.update(c, sql));
        }
        try (Connection c = Fixture.connect(url("mysql", "app", "s3cret"))) {
            SQLException tessel = assertThrows(SQLException.class, () -> Fixture.update(c, sql));
            assertEquals(direct.getErrorCode(), tessel.getErrorCode());
            assertEquals(direct.getSQLState(), tessel.getSQLState());
            assertEquals(direct.getMessage(), tessel.getMessage());
            assertEquals("1|", Fixture.rows(c, "select 1").get(1), "the connection survives");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void twentyMebibyteValueRoundTrips(String driver) throws Exception {
        byte[] value = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(value);
        try (Connection c = Fixture.connect(url(driver, "app", "s3cret"))) {
            try (PreparedStatement ps = c.prepareStatement("update t set b = ? where id = 2")) {
                ps.setBytes(1, value);
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("select b, length(b) from t where id = 2");
                 ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(value.length, rs.getLong(2));
                assertArrayEquals(value, rs.getBytes(1));
            }
        }
    }

    @Test
    void clientVanishingMidTransactionLeavesNoOpenTransaction() throws Exception {
        Connection c = Fixture.connect(url("mysql", "app", "s3cret"));
        c.setAutoCommit(false);
        assertEquals(1, Fixture.update(c, "update t set v = v + 1 where id = 1"));
        c.abort(Runnable::run); // drops the socket without a rollback
        try (Connection direct = Fixture.connect(Fixture.directUrl("mysql", db, "bad"))) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            int open;
            while (true) {
                open = Integer.parseInt(Fixture.rows(direct, "select count(*) from information_schema.innodb_trx "
                        + "where trx_mysql_thread_id <> connection_id()").get(1).replace("|", ""));
                if (open == 0 || System.nanoTime() > deadline) {
                    break;
                }
                // InnoDB refreshes innodb_trx only when it was last read more than 100 ms ago: polling faster
                // would keep showing the stale snapshot taken before the rollback.
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            assertEquals(0, open, () -> "no transaction stays open: " + rowsQuietly(direct,
                    "select trx_mysql_thread_id, trx_state, trx_rows_locked, trx_tables_locked, trx_lock_structs, trx_rows_modified, timestampdiff(microsecond, trx_started, now(6)) as age_us, trx_isolation_level from information_schema.innodb_trx")
                    + " unlocked rows: " + rowsQuietly(direct, "select group_concat(id) from (select id from t for update skip locked) x")
                    + " threads: " + rowsQuietly(direct, "select group_concat(concat(id, ':', host, ':', command, ':', time)) from information_schema.processlist"));
            Fixture.update(direct, "set innodb_lock_wait_timeout = 2");
            assertEquals(1, Fixture.update(direct, "update t set v = 100 where id = 1"), "the row lock is gone");
            assertEquals("100|", Fixture.rows(direct, "select v from t where id = 1").get(1), "the update was rolled back");
        }
    }
}
