package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtcombo.ComboCluster;
import io.tessel.vtcombo.ShardMysql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * sysbench's {@code oltp_read_write} in its default prepared-statement mode ({@code --db-ps-mode=auto}: server
 * side prepares through libmysqlclient) through vtgate against the two-shard client keyspace: the table is
 * created and filled through vtgate, then a short run must end without an error sysbench does not retry, with
 * no reconnects, and with every row still there, each on one of the two shards. The long, measured runs are
 * {@code bench/sysbench.sh}; this one keeps CI honest about the client.
 */
@Timeout(180)
@ExtendWith(ClientCluster.class)
class SysbenchClientIT {
    private static final int ROWS = 2000;

    @Test
    void oltpReadWriteWithPreparedStatements(ComboCluster cluster) throws Exception {
        assumeTrue(MariadbCliClientIT.onPath("sysbench"), "sysbench is not installed (apt-get install sysbench)");
        String url = "jdbc:mysql://127.0.0.1:" + cluster.address().getPort() + "/customer?user=root&useSSL=false";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("drop table if exists sbtest1");
            s.execute("create table sbtest1 (id integer not null auto_increment, k integer default '0' not null, "
                    + "c char(120) default '' not null, pad char(60) default '' not null, primary key (id))");
            s.execute("create index k_1 on sbtest1(k)");
            for (int from = 1; from <= ROWS; from += 500) {
                List<String> rows = new ArrayList<>();
                for (int id = from; id < from + 500; id++) {
                    rows.add("(" + id + ", " + (id * 7919 % ROWS) + ", 'c-" + id + "', 'pad-" + id + "')");
                }
                s.execute("insert into sbtest1 (id, k, c, pad) values " + String.join(", ", rows));
            }
        }
        Process p = new ProcessBuilder("sysbench", "oltp_read_write", "--mysql-host=127.0.0.1",
                "--mysql-port=" + cluster.address().getPort(), "--mysql-user=root", "--mysql-ssl=off",
                "--mysql-db=customer", "--tables=1", "--table-size=" + ROWS, "--threads=2", "--time=8",
                "--db-ps-mode=auto", "--rand-type=uniform", "--report-interval=0", "run")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(number(out, "transactions:\\s+(\\d+)") > 0, out);
        assertEquals(0, number(out, "reconnects:\\s+(\\d+)"), out);
        assertTrue(out.contains("ignored errors:"), out); // deadlocks/lock waits sysbench retries are allowed
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from sbtest1")) {
            rs.next();
            assertEquals(ROWS, rs.getLong(1), "each transaction deletes and re-inserts one row");
        }
        long onShards = 0;
        for (ShardMysql shard : cluster.shards()) {
            if (shard.keyspace().equals("customer")) {
                long n = count(shard.jdbcUrl());
                assertTrue(n > ROWS / 4, shard.shard() + " holds " + n + " rows");
                onShards += n;
            }
        }
        assertEquals(ROWS, onShards);
    }

    private static long count(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from sbtest1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " in\n" + out);
        return Long.parseLong(m.group(1));
    }
}
