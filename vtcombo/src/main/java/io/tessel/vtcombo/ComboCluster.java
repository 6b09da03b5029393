package io.tessel.vtcombo;

import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.VtGate;
import io.tessel.vtgate.gateway.StaticGateway;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.server.TabletServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process holding a whole Tessel cluster: a vttablet per shard in front of that shard's MySQL,
 * and vtgate routing to them. Everything started is closed in reverse order by {@link #close()}.
 */
public final class ComboCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ComboCluster.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private InetSocketAddress address;

    private ComboCluster() {}

    private void boot(ComboConfig config, List<MysqlInstance> mysqls) throws Exception {
        StaticGateway.Builder gateway = StaticGateway.builder();
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
            gateway.tablet(config.keyspace(), shard, TabletType.PRIMARY, connect(config, tablet, tc));
        }
        StaticGateway built = gateway.build();
        VtGate vtgate = new VtGate(config.vtgate(), built, built);
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

    private QueryService connect(ComboConfig config, TabletServer tablet, TabletConfig tc) throws Exception {
        if (config.tabletProtocol() == ComboConfig.TabletProtocol.LOCAL) {
            return tablet;
        }
        TabletGrpcServer server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, tc.logPrefix());
        resources.push(server);
        GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", server.port()));
        resources.push(client);
        return client;
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
