package io.tessel.vttablet.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/**
 * {@link TabletServerContract} against MySQL 8.4 in a Testcontainers container. Skipped where there is no
 * Docker engine (as on the build machines); MariaDB-only checks live in {@link TabletServerIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class TabletServerMysql8IT extends TabletServerContract {
    @Container
    static final MySQLContainer mysql = new MySQLContainer("mysql:8.4")
            .withUsername("root").withPassword("test")
            .withCommand("--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                    "--max-allowed-packet=64M");

    @Override
    protected String host() {
        return mysql.getHost();
    }

    @Override
    protected int port() {
        return mysql.getMappedPort(3306);
    }

    @Override
    protected String user() {
        return "root";
    }

    @Override
    protected String password() {
        return "test";
    }

    @Override
    protected void createDatabase(String name) {
        String url = "jdbc:mysql://" + host() + ":" + port() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true";
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement st = c.createStatement()) {
            st.execute("drop database if exists `" + name + "`");
            st.execute("create database `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
