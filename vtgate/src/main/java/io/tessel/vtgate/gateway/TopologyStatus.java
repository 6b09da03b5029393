package io.tessel.vtgate.gateway;

import io.tessel.common.status.StatusPage.Table;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * vtgate's topology view as {@code /debug/status} tables: each keyspace's shards with how many of their
 * tablets vtgate sees serving, and every tablet with its type, address and last health report. Stateless.
 */
public final class TopologyStatus {
    private TopologyStatus() {}

    /** The {@code shards} and {@code tablets} tables, plus {@code topology} for a {@link TopoGateway}. */
    public static List<Table> tables(ServingGraph graph) {
        List<TabletHealth> tablets = new ArrayList<>(graph.tabletHealth());
        tablets.sort(Comparator.comparing((TabletHealth t) -> t.tablet().getKeyspace())
                .thenComparing(t -> t.tablet().getShard()).thenComparing(TabletHealth::aliasString));
        List<Table> out = new ArrayList<>();
        if (graph instanceof TopoGateway topo) {
            out.add(new Table("topology", "Topology", List.of("reachable", "ready"),
                    List.of(List.of(Boolean.toString(topo.isTopoReachable()),
                            topo.notServingReason(TabletType.PRIMARY).orElse("yes")))));
        }
        out.add(shards(graph, tablets));
        List<List<String>> rows = new ArrayList<>();
        for (TabletHealth t : tablets) {
            Tablet tablet = t.tablet();
            rows.add(List.of(t.aliasString(), tablet.getKeyspace(), tablet.getShard(), type(tablet.getType()),
                    tablet.getHostname() + ":" + tablet.getPortMapOrDefault("grpc", 0),
                    t.isServing() ? "serving" : "not serving", Integer.toString(t.replicationLagSeconds()),
                    t.lastError() == null ? "" : t.lastError()));
        }
        out.add(new Table("tablets", "Tablets", List.of("alias", "keyspace", "shard", "type", "address", "health",
                "replication_lag_seconds", "last_error"), rows));
        return out;
    }

    private static Table shards(ServingGraph graph, List<TabletHealth> tablets) {
        List<List<String>> rows = new ArrayList<>();
        for (String keyspace : new TreeSet<>(graph.keyspaces())) {
            for (String shard : graph.shards(keyspace).orElse(List.of())) {
                List<TabletHealth> mine = tablets.stream().filter(t -> t.tablet().getKeyspace().equals(keyspace)
                        && t.tablet().getShard().equals(shard)).toList();
                TreeSet<String> servingTypes = new TreeSet<>();
                mine.stream().filter(TabletHealth::isServing).forEach(t -> servingTypes.add(type(t.tablet().getType())));
                rows.add(List.of(keyspace, shard, Long.toString(mine.stream().filter(TabletHealth::isServing).count()),
                        Integer.toString(mine.size()), String.join(",", servingTypes)));
            }
        }
        return new Table("shards", "Keyspaces and shards", List.of("keyspace", "shard", "serving_tablets", "tablets",
                "serving_types"), rows);
    }

    private static String type(TabletType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
