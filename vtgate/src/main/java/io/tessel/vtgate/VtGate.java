package io.tessel.vtgate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.http.Readiness;
import io.tessel.common.status.StatusPage;
import io.tessel.vtgate.auth.AuthServer;
import io.tessel.vtgate.auth.RsaKeys;
import io.tessel.vtgate.auth.StaticAuthServer;
import io.tessel.vtgate.exec.Executor;
import io.tessel.vtgate.exec.TransactionSettings;
import io.tessel.vtgate.exec.TwoPcResolver;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.gateway.TabletGateway;
import io.tessel.vtgate.gateway.TopoGateway;
import io.tessel.vtgate.gateway.TopologyStatus;
import io.tessel.vtgate.insights.PlansPage;
import io.tessel.vtgate.insights.QueryInsights;
import io.tessel.vtgate.querylog.QueryLog;
import io.tessel.vtgate.mysql.MySqlServer;
import io.tessel.vtgate.mysql.MysqlServerConfig;
import io.tessel.vtgate.mysql.ServerState;
import io.tessel.vtgate.tls.ServerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires vtgate: the MySQL server in front, the executor behind it, and the serving graph and tablet
 * gateway it routes with; its meters go to the registry it is given (see docs/operations.md for the
 * list). Start once, optionally {@link #drain} (lame duck), close once.
 */
public final class VtGate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VtGate.class);

    private final VtGateConfig config;
    private final ServingGraph graph;
    private final MySqlServer server;
    private final Executor executor;
    private final TwoPcResolver resolver;
    private InetSocketAddress address;

    public VtGate(VtGateConfig config, ServingGraph graph, TabletGateway gateway) {
        this(config, graph, gateway, new CompositeMeterRegistry());
    }

    public VtGate(VtGateConfig config, ServingGraph graph, TabletGateway gateway, MeterRegistry registry) {
        this(config, graph, gateway, registry, TransactionSettings.DEFAULTS);
    }

    /**
     * A vtgate with transaction settings: sessions start in their transaction mode, and a resolver finishes
     * atomic transactions abandoned longer than their abandon age (docs/design/twopc.md).
     */
    public VtGate(VtGateConfig config, ServingGraph graph, TabletGateway gateway, MeterRegistry registry,
                  TransactionSettings transactions) {
        this.config = config;
        this.graph = graph;
        AuthServer auth = config.authMode().equals("static") ? StaticAuthServer.load(config.authFile()) : AuthServer.none();
        MysqlServerConfig mysqlConfig = new MysqlServerConfig(config.serverVersion(), config.defaultAuthPlugin(),
                config.maxPacketSize(), Duration.ofSeconds(10), auth, RsaKeys.generate(), ConcurrentHashMap.newKeySet(),
                config.tls().isEnabled() ? ServerTls.fromPem(config.tls().certFile(), config.tls().keyFile()) : null,
                config.tls().requireSecureTransport());
        this.executor = new Executor(graph, gateway, config.serverVersion(), config.maxPacketSize(), registry,
                transactions);
        this.resolver = new TwoPcResolver(graph, gateway, transactions.abandonAge(), executor.twoPcMeters());
        ServerState state = new ServerState();
        state.setErrorObserver(executor.meters()::recordError);
        this.server = new MySqlServer(mysqlConfig, executor, config.ioThreads(), state);
        bindMeters(registry, state, graph);
    }

    private static void bindMeters(MeterRegistry registry, ServerState state, ServingGraph graph) {
        Gauge.builder("vtgate.client.connections", state, ServerState::openConnections)
                .description("Client connections open now").register(registry);
        Gauge.builder("vtgate.queries.in.flight", state, ServerState::commandsInFlight)
                .description("Client commands running now").register(registry);
        Gauge.builder("vtgate.lameduck", state, s -> s.isLameDuck() ? 1 : 0)
                .description("1 while vtgate drains before stopping, else 0").register(registry);
        for (boolean serving : new boolean[] {true, false}) {
            Gauge.builder("vtgate.tablets", graph, g -> g.tabletHealth().stream()
                            .filter(t -> t.isServing() == serving).count())
                    .description("Tablets vtgate knows, by whether their health stream says serving")
                    .tag("serving", Boolean.toString(serving)).register(registry);
        }
        if (graph instanceof TopoGateway topo) {
            Gauge.builder("vtgate.topology.reachable", topo, t -> t.isTopoReachable() ? 1 : 0)
                    .description("1 when the last topology read succeeded, else 0 (vtgate serves its last view)")
                    .register(registry);
            topo.buffer().bindMeters(registry);
        }
    }

    /**
     * Serves query insights and plans on the daemon's HTTP port: {@code /debug/querystats} (JSON per normalized
     * query pattern), {@code /debug/insights} (the same as a sortable HTML table; {@code ?sort=total|count|p99|
     * errors|pattern}), {@code /debug/plans} (the plan cache, {@link PlansPage}) and {@code /debug/twopc} (the
     * atomic transactions the primaries hold now: decision records and prepared branches).
     */
    public void addDebugPages(DaemonHttpServer http) {
        http.addPage("/debug/querystats", "application/json; charset=utf-8", () -> executor.insights().toJson());
        http.addPage("/debug/insights", params -> {
            QueryInsights.Sort sort;
            try {
                sort = QueryInsights.Sort.parse(params.getOrDefault("sort", "total"));
            } catch (IllegalArgumentException e) {
                throw new DaemonHttpServer.BadRequest(e.getMessage());
            }
            return new DaemonHttpServer.Response("text/html; charset=utf-8", executor.insights().toHtml(sort));
        });
        http.addPage(PlansPage.PATH, new PlansPage(executor.plans(), executor.insights())::respond);
        http.addPage("/debug/twopc", "application/json; charset=utf-8", resolver::pendingJson);
    }

    /**
     * vtgate's {@code /debug/status}: state ({@code lame duck}, else {@code serving} or {@code not serving}
     * with {@code readiness}'s reason), the given flags, client connections and the topology view.
     */
    public StatusPage statusPage(String daemon, Map<String, String> flags, Readiness readiness) {
        ServerState state = server.state();
        return new StatusPage(daemon, flags, () -> {
            if (state.isLameDuck()) {
                return "lame duck";
            }
            Readiness.Status ready = readiness.status();
            return ready.isReady() ? "serving" : "not serving: " + ready.reason();
        }).addTables(() -> {
            List<StatusPage.Table> tables = new ArrayList<>();
            tables.add(new StatusPage.Table("vtgate", "vtgate", List.of("mysql_address", "client_connections",
                    "busy_connections", "commands_in_flight", "lame_duck"), List.of(List.of(
                    String.valueOf(address), Integer.toString(state.openConnections()),
                    Integer.toString(state.busyConnections()), Integer.toString(state.commandsInFlight()),
                    Boolean.toString(state.isLameDuck())))));
            tables.addAll(TopologyStatus.tables(graph));
            return tables;
        });
    }

    /** Writes each statement {@code log} samples to it ({@link QueryLog#DISABLED} for none); the caller closes it. */
    public void setQueryLog(QueryLog log) {
        executor.setQueryLog(log);
    }

    public InetSocketAddress start() throws InterruptedException {
        address = server.start(config.host(), config.port());
        resolver.start();
        return address;
    }

    /** The bound MySQL address, after {@link #start()}. */
    public InetSocketAddress address() {
        return address;
    }

    /** The MySQL server's connection counts and lame-duck state. */
    public ServerState state() {
        return server.state();
    }

    /**
     * Lame duck: from now on new connections, and new work outside a transaction, get ER_SERVER_SHUTDOWN
     * (1053). Waits until every client has left, or {@code period} passed: running commands and open
     * transactions finish, and an idle connection stays open until its client sends its next command (which
     * gets 1053 and closes it) or closes it, so no client finds its connection closed under a query it just
     * sent. What is still open after the period is closed by {@link #close}.
     *
     * @return whether every running command and open transaction finished in time
     */
    public boolean drain(Duration period) throws InterruptedException {
        ServerState state = server.state();
        state.enterLameDuck();
        log.info("vtgate: lame duck for up to {}: {} connections open, {} busy", period, state.openConnections(),
                state.busyConnections());
        if (state.awaitClosed(period)) {
            return true;
        }
        int busy = state.busyConnections();
        if (busy > 0) {
            log.warn("vtgate: {} connections still busy after {}; closing them", busy, period);
        } else {
            log.info("vtgate: {} idle connections still open after {}; closing them", state.openConnections(), period);
        }
        return busy == 0;
    }

    @Override
    public void close() {
        resolver.close();
        server.close();
    }
}
