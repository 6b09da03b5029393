package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vttablet.mysqlctl.Mysqld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that disconnects while its query runs cancels the query on the shards: vtgate cancels its calls
 * to the tablets (gRPC cancellation, or the context of an in-process call) and each tablet kills its
 * statement on MariaDB. Checked on each shard's MariaDB: a {@code SLEEP(30)} leaves the processlist within
 * seconds of the client's socket closing (the statements are told apart by a column alias: vtgate's planner
 * drops comments), for a one-shard query, a scatter, and a streamed (OLAP) scatter,
 * with tablets in process and over gRPC.
 */
@Timeout(180)
class ClientDisconnectIT {
    /** Far less than the 30 s the statements would otherwise sleep. */
    private static final long GONE_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(8);

    @TempDir
    static Path schemaDir;

    private static final Map<ComboConfig.TabletProtocol, ComboCluster> clusters =
            new EnumMap<>(ComboConfig.TabletProtocol.class);

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Files.createDirectories(schemaDir.resolve("customer"));
        Files.writeString(schemaDir.resolve("customer/01.sql"), "create table t (id bigint primary key)");
        Files.writeString(schemaDir.resolve("customer/vschema.json"), """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""");
        for (ComboConfig.TabletProtocol protocol : ComboConfig.TabletProtocol.values()) {
            ComboCluster cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir).tabletProtocol(protocol)
                    .keyspace("customer", 2).build());
            clusters.put(protocol, cluster);
            try (Connection c = vtgate(cluster)) {
                Fixture.update(c, "insert into t (id) values (1), (2), (3), (4)"); // both shards have rows
            }
        }
    }

    @AfterAll
    static void stop() {
        clusters.values().forEach(ComboCluster::close);
    }

    private static Connection vtgate(ComboCluster cluster) throws SQLException {
        return Fixture.connect(Fixture.tesselUrl("mysql", cluster, "customer"));
    }

    @ParameterizedTest
    @EnumSource(ComboConfig.TabletProtocol.class)
    void aOneShardQueryIsKilled(ComboConfig.TabletProtocol protocol) throws Exception {
        assertKilledOnDisconnect(clusters.get(protocol), "oltp", "select sleep(30) as one_" + protocol,
                "one_" + protocol, 1);
    }

    @ParameterizedTest
    @EnumSource(ComboConfig.TabletProtocol.class)
    void aScatterIsKilledOnEveryShard(ComboConfig.TabletProtocol protocol) throws Exception {
        assertKilledOnDisconnect(clusters.get(protocol), "oltp", "select id, sleep(30) as scatter_" + protocol
                + " from t", "scatter_" + protocol, 2);
    }

    @ParameterizedTest
    @EnumSource(ComboConfig.TabletProtocol.class)
    void aStreamedScatterIsKilledOnEveryShard(ComboConfig.TabletProtocol protocol) throws Exception {
        assertKilledOnDisconnect(clusters.get(protocol), "olap", "select id, sleep(30) as stream_" + protocol
                + " from t", "stream_" + protocol, 2);
    }

    /**
     * Runs {@code sql} in a session of {@code workload}, waits until MariaDB runs it on {@code shards} shards,
     * drops the client's connection, and waits for the statement to leave every shard's processlist.
     */
    private static void assertKilledOnDisconnect(ComboCluster cluster, String workload, String sql, String marker,
                                                 int shards) throws Exception {
        double killsBefore = cancelKills(cluster);
        Connection client = vtgate(cluster);
        Fixture.update(client, "set workload = '" + workload + "'");
        CompletableFuture<Void> query = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Statement s = client.createStatement()) {
                s.execute(sql);
                query.complete(null);
            } catch (SQLException e) {
                query.completeExceptionally(e); // expected once the connection is aborted under it
            }
        });
        awaitRunning(cluster, marker, shards, query);
        client.abort(Runnable::run); // closes the socket at once
        long deadline = System.nanoTime() + GONE_WITHIN_NANOS;
        while (running(cluster, marker) > 0) {
            assertTrue(System.nanoTime() < deadline, marker + " still runs on MariaDB after the client left");
            Thread.sleep(50); // polling MariaDB's processlist
        }
        assertThrows(ExecutionException.class, () -> query.get(10, TimeUnit.SECONDS), "the client saw its query fail");
        assertEquals(shards, cancelKills(cluster) - killsBefore, "kills counted in vttablet_cancel_kills_total");
    }

    /** The tablets' vttablet_cancel_kills_total, summed over the shards. */
    private static double cancelKills(ComboCluster cluster) {
        return Http.sum(cluster.metrics().scrape(), "vttablet_cancel_kills_total{");
    }

    private static void awaitRunning(ComboCluster cluster, String marker, int shards, CompletableFuture<Void> query)
            throws Exception {
        while (running(cluster, marker) < shards) {
            if (query.isDone()) {
                query.get(); // throws what ended the query early
                throw new AssertionError("the query ended before it ran on " + shards + " shards");
            }
            Thread.sleep(20); // polling MariaDB's processlist until every shard runs the statement
        }
    }

    /** On how many shards' MariaDB a statement containing {@code marker} runs. */
    private static int running(ComboCluster cluster, String marker) throws SQLException {
        int n = 0;
        for (ShardMysql shard : cluster.shards()) {
            try (Connection c = Fixture.connect(shard.jdbcUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("show full processlist")) {
                while (rs.next()) {
                    String info = rs.getString("Info");
                    if (info != null && info.contains(marker) && !info.contains("processlist")) {
                        n++;
                        break;
                    }
                }
            }
        }
        return n;
    }
}
