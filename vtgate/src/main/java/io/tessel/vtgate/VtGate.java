package io.tessel.vtgate;

import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.StaticAuthServer;
import io.tessel.vtgate.exec.Executor;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletGateway;
import io.tessel.vtgate.mysql.MySqlServer;
import io.tessel.vtgate.mysql.MysqlServerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires vtgate: the MySQL server in front, the executor behind it, and the serving graph and tablet
 * gateway it routes with. Start once, close once.
 */
public final class VtGate implements AutoCloseable {
    private final VtGateConfig config;
    private final MySqlServer server;
    private InetSocketAddress address;

    public VtGate(VtGateConfig config, ServingGraph graph, TabletGateway gateway) {
        this.config = config;
        AuthServer auth = config.authMode().equals("static") ? StaticAuthServer.load(config.authFile()) : AuthServer.none();
        MysqlServerConfig mysqlConfig = new MysqlServerConfig(config.serverVersion(), config.defaultAuthPlugin(),
                config.maxPacketSize(), Duration.ofSeconds(10), auth, RsaKeys.generate(), ConcurrentHashMap.newKeySet());
        Executor executor = new Executor(graph, gateway, config.serverVersion(), config.maxPacketSize());
        this.server = new MySqlServer(mysqlConfig, executor, config.ioThreads());
    }

    public InetSocketAddress start() throws InterruptedException {
        address = server.start(config.host(), config.port());
        return address;
    }

    /** The bound MySQL address, after {@link #start()}. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        server.close();
    }
}
