package io.tessel.vtcombo;

import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.metrics.Metrics;
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
import io.tessel.vtgate.mysql.ServerState;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.TabletStatus;
import io.tessel.vttablet.server.TabletServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import io.tessel.vtgate.vindex.VSchema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process holding a whole Tessel cluster: an in-memory topology with the keyspaces, their VSchemas,
 * shards and tablet records, a vttablet per shard in front of that shard's own MySQL database (named as
 * the keyspace), and vtgate discovering and routing to them through the topology and the tablets' health
 * streams, in process or over gRPC. vtgate's and every tablet's meters share one Prometheus registry
 * ({@link #metrics()}), and {@link #readiness()} is vtgate's: a serving primary tablet for every shard.
 * Everything started is closed in reverse order by {@link #close()}; {@link #drain} first lets running
 * queries and open transactions finish (lame duck).
 */
public final class ComboCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ComboCluster.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<ShardMysql> shards = new ArrayList<>();
    private final List<TabletServer> tablets = new ArrayList<>();
    private final Readiness readiness = new Readiness();
    private Metrics metrics;
    private TopoGateway gateway;
    private VtGate vtgate;
    private InetSocketAddress address;

    private ComboCluster() {}

    private void boot(ComboConfig config, List<MysqlInstance> mysqls) throws Exception {
        metrics = Metrics.prometheus();
        resources.push(metrics);
        InMemoryTopoConn store = new InMemoryTopoConn();
        Topo topo = store.newTopo(config.cell());
        resources.push(topo);
        Map<Integer, QueryService> local = new HashMap<>();
        int index = 0;
        for (KeyspaceSpec ks : config.keyspaces()) {
            topo.createKeyspace(ks.name(), Keyspace.getDefaultInstance());
            if (ks.vschema() != null) {
                topo.saveVSchema(ks.name(), ks.vschema());
            }
            for (String shard : ks.shards()) {
                MysqlInstance mysql = mysqls.get(index);
                shards.add(new ShardMysql(ks.name(), shard, mysql));
                prepareDatabase(mysql, ks);
                int uid = 100 + index++;
                local.put(uid, startTablet(config, topo, ks.name(), shard, uid, mysql));
            }
        }
        for (var entry : local.entrySet()) {
            resources.push(new HealthPublisher(topo, entry.getValue(), TabletAlias.newBuilder().setCell(config.cell())
                    .setUid(entry.getKey()).build(), Duration.ofSeconds(10), "vtcombo"));
        }
        for (KeyspaceSpec ks : config.keyspaces()) {
            topo.rebuildKeyspaceGraph(ks.name(), List.of(config.cell()));
        }
        topo.rebuildVSchemaGraph(List.of(config.cell()));
        HealthCheck healthCheck = new HealthCheck(t -> config.tabletProtocol() == ComboConfig.TabletProtocol.LOCAL
                ? local.get(t.getAlias().getUid())
                : new GrpcQueryClient(GrpcQueryClient.channel(t.getHostname(), t.getPortMapOrThrow("grpc")),
                        t.getAlias().getCell() + "-" + t.getAlias().getUid() + " (" + t.getKeyspace() + "/" + t.getShard() + ")"),
                Duration.ofSeconds(1));
        gateway = new TopoGateway(topo, config.cell(), healthCheck, Duration.ofSeconds(1));
        resources.push(gateway);
        if (!gateway.awaitServing(TabletType.PRIMARY, Duration.ofSeconds(30))) {
            throw new IllegalStateException("vtcombo: tablets did not report serving within 30 s");
        }
        vtgate = new VtGate(config.vtgate(), gateway, gateway, metrics.registry(), config.transactions());
        resources.push(vtgate);
        address = vtgate.start();
        TopoGateway routes = gateway;
        readiness.setCheck(() -> routes.notServingReason(TabletType.PRIMARY));
    }

    /** Starts shard {@code keyspace/shard}'s tablet in front of {@code mysql} and records it in the topology. */
    private QueryService startTablet(ComboConfig config, Topo topo, String keyspace, String shard, int uid,
                                     MysqlInstance mysql) throws Exception {
        TabletConfig tc = TabletConfig.builder(config.cell() + "-" + uid, keyspace)
                .shard(shard).tabletType(TabletType.PRIMARY)
                .mysql(mysql.host(), mysql.port(), mysql.user(), mysql.password())
                .lockWaitTimeout(config.lockWaitTimeout()).twopcEnable(config.isTwopcEnabled()).grpc("127.0.0.1", 0).build();
        TabletServer tablet = new TabletServer(tc, metrics.registry());
        resources.push(tablet);
        tablets.add(tablet);
        int grpcPort = 0;
        if (config.tabletProtocol() == ComboConfig.TabletProtocol.GRPC) {
            TabletGrpcServer server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, tc.logPrefix());
            resources.push(server);
            grpcPort = server.port();
        }
        topo.createShard(keyspace, shard);
        topo.createTablet(Tablet.newBuilder().setAlias(tc.alias()).setHostname("127.0.0.1")
                .putPortMap("grpc", grpcPort).setKeyspace(keyspace).setShard(shard)
                .setType(TabletType.PRIMARY).setDbNameOverride(tc.dbName())
                .setMysqlHostname(mysql.host()).setMysqlPort(mysql.port()).build());
        return new LocalTablet(tablet);
    }

    /**
     * Starts the cluster on the given MySQL servers, one per shard in order (keyspace by keyspace, each
     * keyspace's shards in order). The cluster takes ownership of the servers and stops them on close.
     */
    public static ComboCluster start(ComboConfig config, List<MysqlInstance> mysqls) throws Exception {
        if (mysqls.size() != config.shardCount()) {
            throw new IllegalArgumentException(config.shardCount() + " shards need as many MySQL servers, got "
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

    /**
     * Starts the cluster with a private MariaDB per shard (the system's mariadbd, else the embedded one),
     * removed again on close.
     */
    public static ComboCluster start(ComboConfig config) throws Exception {
        return start(config, MysqlLaunchers.forShards(config.shardCount(), List.of(), null, MysqlLaunchers.Kind.AUTO));
    }

    private static void prepareDatabase(MysqlInstance mysql, KeyspaceSpec ks) throws SQLException {
        String url = mysql.jdbcUrl("") + "&allowMultiQueries=true";
        String database = "`" + ks.name().replace("`", "``") + "`";
        try (Connection c = DriverManager.getConnection(url, mysql.user(), mysql.password());
             Statement s = c.createStatement()) {
            s.execute("create database if not exists " + database);
            s.execute("use " + database);
            for (String script : ks.sqlScripts()) {
                s.execute(script);
            }
        }
    }

    /** Each shard's MySQL, keyspace by keyspace in configuration order, each keyspace's shards in order. */
    public List<ShardMysql> shards() {
        return List.copyOf(shards);
    }

    /** The MySQL behind shard {@code keyspace/shard}. */
    public ShardMysql shard(String keyspace, String shard) {
        return shards.stream().filter(s -> s.keyspace().equals(keyspace) && s.shard().equals(shard)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard " + keyspace + "/" + shard));
    }

    /** vtgate's current VSchema, as its planner sees it. */
    public VSchema vschema() {
        return gateway.vschema();
    }

    /** vtgate's MySQL address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The meters of vtgate and every tablet, for {@code /metrics}. */
    public Metrics metrics() {
        return metrics;
    }

    /** Whether the cluster should get traffic, for {@code /readyz}. */
    public Readiness readiness() {
        return readiness;
    }

    /** The cluster's vtgate (for its debug pages). */
    public VtGate vtgate() {
        return vtgate;
    }

    /**
     * Adds the cluster's debug pages to {@code http}: vtgate's ({@link VtGate#addDebugPages}) and
     * {@code /debug/status} with vtgate's view and every tablet's target, state and pools.
     */
    public void addDebugPages(DaemonHttpServer http, Map<String, String> flags) {
        vtgate.addDebugPages(http);
        vtgate.statusPage("vtcombo", flags, readiness).addTables(() -> TabletStatus.tables(tablets)).addTo(http);
    }

    /** vtgate's connections and lame-duck state. */
    public ServerState vtgateState() {
        return vtgate.state();
    }

    /**
     * Lame duck ahead of {@link #close()}: /readyz fails, new connections and new work outside transactions
     * get ER_SERVER_SHUTDOWN, and running queries and open transactions get up to {@code period}.
     *
     * @return whether everything finished in time
     */
    public boolean drain(Duration period) throws InterruptedException {
        readiness.drain("lame duck: shutting down");
        return vtgate.drain(period);
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
