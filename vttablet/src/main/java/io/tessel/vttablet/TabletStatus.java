package io.tessel.vttablet;

import io.tessel.common.http.Readiness;
import io.tessel.common.status.StatusPage;
import io.tessel.common.status.StatusPage.Table;
import io.tessel.vttablet.pool.PoolKind;
import io.tessel.vttablet.pool.PoolStats;
import io.tessel.vttablet.server.TabletServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tablet's part of {@code /debug/status}: its alias, target, database and serving state, the calls and
 * transactions it has open, and each connection pool's counts. Stateless.
 */
public final class TabletStatus {
    private TabletStatus() {}

    /** The tablet's state: {@code shutting down} once draining, else {@code serving} or why not. */
    public static String state(TabletServer tablet, Readiness readiness) {
        if (readiness != null && readiness.isDraining()) {
            return "shutting down";
        }
        return tablet.notServingReason().map(reason -> "not serving: " + reason).orElse("serving");
    }

    /** The {@code tablet} row (one per tablet given) and the {@code pools} rows of every tablet. */
    public static List<Table> tables(List<TabletServer> tablets) {
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> pools = new ArrayList<>();
        for (TabletServer tablet : tablets) {
            TabletConfig c = tablet.config();
            rows.add(List.of(c.tabletAlias(), c.keyspace(), c.shard(), c.tabletType().name().toLowerCase(Locale.ROOT),
                    c.dbName(), c.mysqlHost() + ":" + c.mysqlPort(), state(tablet, null),
                    Integer.toString(tablet.requestsInFlight()), Integer.toString(tablet.activeTransactions()),
                    Integer.toString(tablet.reservedConnections())));
            for (PoolKind kind : PoolKind.values()) {
                PoolStats p = tablet.poolStats(kind);
                pools.add(List.of(c.tabletAlias(), kind.label(), Integer.toString(p.active()), Integer.toString(p.idle()),
                        Integer.toString(p.total()), Integer.toString(p.waiting()),
                        Long.toString(p.waiterCapRejections()), Long.toString(p.timeouts())));
            }
        }
        return List.of(new Table("tablet", "Tablet", List.of("alias", "keyspace", "shard", "tablet_type", "db_name",
                        "mysql", "serving", "requests_in_flight", "transactions_open", "reserved_connections"), rows),
                new Table("pools", "Connection pools", List.of("alias", "pool", "active", "idle", "total", "waiting",
                        "waiter_cap_rejections", "timeouts"), pools));
    }

    /** The whole page of a vttablet daemon. */
    public static StatusPage page(TabletServer tablet, Map<String, String> flags, Readiness readiness) {
        return new StatusPage("vttablet " + tablet.config().tabletAlias(), flags, () -> state(tablet, readiness))
                .addTables(() -> tables(List.of(tablet)));
    }
}
