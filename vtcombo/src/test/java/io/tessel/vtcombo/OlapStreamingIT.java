package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vttablet.mysqlctl.Mysqld;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's streaming test: a result of 2 million rows (and a GROUP BY merging two shards' streams of 300,000 groups) goes
 * through vtgate with {@code workload = 'olap'}
 * while vtgate and both vttablets share one JVM of {@code -Xmx256m} (vtcombo started as its own process,
 * tablets over gRPC, so the tablets' stream flow control is on the path too). Buffered anywhere, the rows
 * would not fit (each row is about 50 bytes as a proto object, 100 MB and more for the whole result at any
 * one stage, several stages deep). The rows are inserted straight into each shard's MariaDB (a million per
 * shard from MariaDB's sequence engine), then read with a streaming Connector/J client: merge-sorted
 * ({@code ORDER BY}) and in arrival order. The garbage collector's log shows how much heap stayed live.
 */
@Timeout(300)
class OlapStreamingIT {
    private static final int ROWS_PER_SHARD = 1_000_000;
    private static final Pattern SHARD = Pattern.compile("keyspace (\\S+) +shard (\\S+) +MySQL at (\\S+):(\\d+)");
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    static Path dir;

    private static Process combo;
    private static int port;
    private static Path gcLog;
    private static final List<String> shardUrls = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Path schema = dir.resolve("schema/olap");
        Files.createDirectories(schema);
        Files.writeString(schema.resolve("01-big.sql"), "create table big (id bigint primary key, v varbinary(16))");
        Files.writeString(schema.resolve("vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"big": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""");
        port = freePort();
        gcLog = dir.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        combo = new ProcessBuilder(java, "-Xmx256m", "-Xlog:gc:file=" + gcLog, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), VtCombo.class.getName(), "--mysql-port",
                Integer.toString(port), "--http-port", "0", "--schema-dir", dir.resolve("schema").toString(),
                "--keyspaces", "olap",
                "--num-shards", "2", "--tablet-protocol", "GRPC", "--mysqld", "SYSTEM",
                "--data-dir", Files.createDirectories(dir.resolve("data")).toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(combo.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (String line; (line = out.readLine()) != null && !line.contains("Press Ctrl-C"); ) {
            log.append(line).append('\n');
            Matcher m = SHARD.matcher(line);
            if (m.find()) {
                shardUrls.add("jdbc:mysql://" + m.group(3) + ":" + m.group(4) + "/" + m.group(1)
                        + "?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true");
            }
        }
        assertEquals(2, shardUrls.size(), log::toString);
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining vtcombo's output
        for (int shard = 0; shard < 2; shard++) { // even ids on the first shard, odd on the second
            try (Connection c = DriverManager.getConnection(shardUrls.get(shard)); Statement s = c.createStatement()) {
                s.execute("insert into big select seq * 2 + " + shard + ", concat('row', seq) from seq_0_to_"
                        + (ROWS_PER_SHARD - 1));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (combo != null) {
            combo.toHandle().destroy();
            if (!combo.waitFor(60, TimeUnit.SECONDS)) {
                combo.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A Connector/J connection to vtgate in an OLAP session. */
    private static Connection olap() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/olap?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true");
        try (Statement s = c.createStatement()) {
            s.execute("set workload = 'olap'");
        }
        return c;
    }

    /** A statement that makes Connector/J read the result row by row instead of buffering it. */
    private static Statement streaming(Connection c) throws SQLException {
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        s.setFetchSize(Integer.MIN_VALUE);
        return s;
    }

    @Test
    void twoMillionRowsMergeSortedStreamThroughAQuarterGigabyteHeap() throws Exception {
        long next = 0;
        try (Connection c = olap(); Statement s = streaming(c);
             ResultSet rs = s.executeQuery("select id, v from big order by id")) {
            while (rs.next()) {
                assertEquals(next, rs.getLong(1));
                if (next % 100_000 == 0) {
                    assertEquals("row" + next / 2, rs.getString(2));
                }
                next++;
            }
        }
        assertEquals(2L * ROWS_PER_SHARD, next, "every row, in order");
        assertServingWithBoundedHeap();
    }

    @Test
    void twoMillionRowsStreamAsTheShardsSendThem() throws Exception {
        long rows = 0;
        long sum = 0;
        try (Connection c = olap(); Statement s = streaming(c); ResultSet rs = s.executeQuery("select id from big")) {
            while (rs.next()) {
                rows++;
                sum += rs.getLong(1);
            }
        }
        long n = 2L * ROWS_PER_SHARD;
        assertEquals(n, rows);
        assertEquals(n * (n - 1) / 2, sum, "ids 0 .. 2M-1, each once");
        assertServingWithBoundedHeap();
    }

    /**
     * A GROUP BY on a column that is not the vindex: each shard sends its 300,000 groups sorted by {@code v}, and
     * vtgate's ordered aggregate merges them as they stream (each {@code v} is on both shards: ids 2k and 2k+1).
     */
    @Test
    void groupsFromBothShardsMergeAsTheyStream() throws Exception {
        long groups = 0;
        long counted = 0;
        try (Connection c = olap(); Statement s = streaming(c);
             ResultSet rs = s.executeQuery("select v, count(*) as n from big where id < 600000 group by v")) {
            while (rs.next()) {
                groups++;
                counted += rs.getLong(2);
                assertEquals(2, rs.getLong(2), rs.getString(1));
            }
        }
        assertEquals(300_000, groups, "far more than the tablets' 10,000-row limit");
        assertEquals(600_000, counted);
        assertServingWithBoundedHeap();
    }

    @Test
    void oltpSessionsKeepTheRowLimit() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/olap?user=root&password=&useSSL=false"); Statement s = c.createStatement()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.executeQuery("select id from big"));
            assertTrue(e.getMessage().contains("Row count exceeded") || e.getMessage().contains("in-memory row count"),
                    e.getMessage());
        }
    }

    /** vtcombo still answers, and the most heap any collection left live stayed well under the 256 MiB. */
    private static void assertServingWithBoundedHeap() throws Exception {
        assertTrue(combo.isAlive(), "vtcombo is running");
        try (Connection c = olap(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from big")) {
            rs.next();
            assertEquals(2L * ROWS_PER_SHARD, rs.getLong(1));
        }
        int maxLive = 0;
        int collections = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                maxLive = Math.max(maxLive, Integer.parseInt(m.group(2)));
                collections++;
            }
        }
        System.out.printf("OlapStreamingIT: %d collections, at most %d MiB live after a collection%n", collections,
                maxLive);
        assertTrue(collections > 0, "the heap was collected: 2M rows passed through it");
        assertTrue(maxLive < 128, "at most " + maxLive + " MiB live after a collection");
    }
}
