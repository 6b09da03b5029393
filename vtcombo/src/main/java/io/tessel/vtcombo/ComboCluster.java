package io.tessel.vtcombo;

import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.vttablet.health.HealthPublisher;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.topo.Topo;
import io.tessel.topo.memory.InMemoryTopoConn;
import io.tessel.vtgate.VtGate;
import io.tessel.vtgate.gateway.HealthCheck;
import io.tessel.vtgate.gateway.TopoGateway;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.server.TabletServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process holding a whole Tessel cluster: an in-memory topology with the keyspace, its shards and
 * tablet records, a vttablet per shard in front of that shard's MySQL, and vtgate discovering and routing
 * to them through the topology and the tablets' health streams, in process or over gRPC. Everything started is closed in reverse order by {@link #close()}.
 */
public final class ComboCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ComboCluster.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private InetSocketAddress address;

    private ComboCluster() {}

    private void boot(ComboConfig config, List<MysqlInstance> mysqls) throws Exception {
        InMemoryTopoConn store = new InMemoryTopoConn();
        Topo topo = store.newTopo(config.cell());
        resources.push(topo);
        topo.createKeyspace(config.keyspace(), Keyspace.getDefaultInstance());
        Map<Integer, QueryService> local = new HashMap<>();
        for (int i = 0; i < config.shards().size(); i++) {
            String shard = config.shards().get(i);
            MysqlInstance mysql = mysqls.get(i);
            prepareDatabase(mysql, config.keyspace(), config.schemaSql());
            TabletConfig tc = TabletConfig.builder(config.cell() + "-" + (100 + i), config.keyspace())
                    .shard(shard).tabletType(TabletType.PRIMARY)
                    .mysql(mysql.host(), mysql.port(), mysql.user(), mysql.password())
                    .grpc("127.0.0.1", 0).build();
            TabletServer tablet = new TabletServer(tc);
            resources.push(tablet);
            int grpcPort = 0;
            if (config.tabletProtocol() == ComboConfig.TabletProtocol.GRPC) {
                TabletGrpcServer server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, tc.logPrefix());
                resources.push(server);
                grpcPort = server.port();
            }
            local.put(tc.alias().getUid(), new LocalTablet(tablet));
            topo.createShard(config.keyspace(), shard);
            topo.createTablet(Tablet.newBuilder().setAlias(tc.alias()).setHostname("127.0.0.1")
                    .putPortMap("grpc", grpcPort).setKeyspace(config.keyspace()).setShard(shard)
                    .setType(TabletType.PRIMARY).setDbNameOverride(tc.dbName())
                    .setMysqlHostname(mysql.host()).setMysqlPort(mysql.port()).build());
        }
        for (var entry : local.entrySet()) {
            resources.push(new HealthPublisher(topo, entry.getValue(), TabletAlias.newBuilder().setCell(config.cell())
                    .setUid(entry.getKey()).build(), Duration.ofSeconds(10), "vtcombo"));
        }
        topo.rebuildKeyspaceGraph(config.keyspace(), List.of(config.cell()));
        HealthCheck healthCheck = new HealthCheck(t -> config.tabletProtocol() == ComboConfig.TabletProtocol.LOCAL
                ? local.get(t.getAlias().getUid())
                : new GrpcQueryClient(GrpcQueryClient.channel(t.getHostname(), t.getPortMapOrThrow("grpc")),
                        t.getAlias().getCell() + "-" + t.getAlias().getUid() + " (" + t.getKeyspace() + "/" + t.getShard() + ")"),
                Duration.ofSeconds(1));
        TopoGateway gateway = new TopoGateway(topo, config.cell(), healthCheck, Duration.ofSeconds(1));
        resources.push(gateway);
        if (!gateway.awaitServing(TabletType.PRIMARY, Duration.ofSeconds(30))) {
            throw new IllegalStateException("vtcombo: tablets did not report serving within 30 s");
        }
        VtGate vtgate = new VtGate(config.vtgate(), gateway, gateway);
        resources.push(vtgate);
        address = vtgate.start();
    }

    /**
     * Starts the cluster on the given MySQL servers, one per shard in order. The cluster takes
     * ownership of the servers and stops them on close.
     */
    public static ComboCluster start(ComboConfig config, List<MysqlInstance> mysqls) throws Exception {
        if (mysqls.size() != config.shards().size()) {
            throw new IllegalArgumentException(config.shards().size() + " shards need as many MySQL servers, got "
                    + mysqls.size());
        }
        ComboCluster cluster = new ComboCluster();
        mysqls.forEach(cluster.resources::addLast); // stopped last
        try {
            cluster.boot(config, mysqls);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static void prepareDatabase(MysqlInstance mysql, String database, String schemaSql) throws SQLException {
        String url = mysql.jdbcUrl("") + "&allowMultiQueries=true";
        try (Connection c = DriverManager.getConnection(url, mysql.user(), mysql.password());
             Statement s = c.createStatement()) {
            s.execute("create database if not exists `" + database.replace("`", "``") + "`");
            if (schemaSql != null && !schemaSql.isBlank()) {
                s.execute("use `" + database.replace("`", "``") + "`");
                s.execute(schemaSql);
            }
        }
    }

    /** vtgate's MySQL address. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("vtcombo: closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
