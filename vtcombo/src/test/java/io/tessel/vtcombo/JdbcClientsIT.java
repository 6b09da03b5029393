package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MySQL Connector/J and MariaDB Connector/J against vtgate, differentially: every step runs through
 * Tessel and straight against MariaDB, and results, update counts and metadata must match.
 */
class JdbcClientsIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Fixture.start(db, "jdbc");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Runs the workload on one connection and returns a transcript of everything observable. */
    private static List<String> workload(Connection c, String table) throws Exception {
        List<String> t = new ArrayList<>();
        Fixture.update(c, "drop table if exists " + table);
        Fixture.update(c, "create table " + table + " (id bigint not null auto_increment primary key, name varchar(64), "
                + "amount decimal(12,3), at datetime(6), tiny tinyint, big bigint unsigned, bin varbinary(16), js json)");
        t.add("insert " + Fixture.update(c, "insert into " + table + " (name, amount, at, tiny, big, bin, js) values "
                + "('a', 1.5, '2020-02-29 12:34:56.123456', -128, 18446744073709551615, x'00ff', '{\"k\": [1, 2]}'), "
                + "('b', null, null, 127, 0, null, null)"));
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into " + table + " (name) values ('c')", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                t.add("generated " + (keys.next() ? keys.getLong(1) : -1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select id, name from " + table + " where name = ? or id = ?")) {
            ps.setString(1, "b");
            ps.setLong(2, 3);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.add("prepared " + rs.getLong(1) + " " + rs.getString(2));
                }
            }
        }
        t.addAll(Fixture.rows(c, "select * from " + table + " order by id"));
        t.add("update " + Fixture.update(c, "update " + table + " set amount = amount + 1 where amount is not null"));
        t.add("delete " + Fixture.update(c, "delete from " + table + " where name = 'b'"));
        c.setAutoCommit(false);
        Fixture.update(c, "insert into " + table + " (name) values ('rolled back')");
        c.rollback();
        Fixture.update(c, "insert into " + table + " (name) values ('committed')");
        c.commit();
        c.setAutoCommit(true);
        t.addAll(Fixture.rows(c, "select id, name, amount, tiny + 1 as t1, upper(name), count(*) over () from "
                + table + " order by id"));
        t.addAll(Fixture.rows(c, "select count(*), sum(amount), min(at), max(big) from " + table));
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void workloadMatchesMariaDbDirectly(String driver) throws Exception {
        String table = "t_" + driver;
        List<String> direct;
        List<String> tessel;
        try (Connection c = Fixture.connect(Fixture.directUrl(driver, db, "jdbc_direct"))) {
            direct = workload(c, table);
        }
        try (Connection c = Fixture.connect(Fixture.tesselUrl(driver, cluster, "jdbc"))) {
            tessel = workload(c, table);
        }
        if (driver.equals("mariadb")) {
            // Straight to MariaDB, MariaDB Connector/J learns JSON columns from MariaDB's extended type
            // metadata, a MariaDB-protocol capability; vtgate speaks MySQL 8, where MariaDB's JSON is LONGTEXT.
            direct = direct.stream().map(s -> s.replace("js:JSON ", "js:LONGTEXT ")).toList();
        }
        assertEquals(direct, tessel);
        assertFalse(tessel.isEmpty());
    }
}
