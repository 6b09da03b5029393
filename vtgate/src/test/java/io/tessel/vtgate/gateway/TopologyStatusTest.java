package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.common.status.StatusPage.Table;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyStatusTest {
    private static TabletHealth tablet(int uid, String shard, TabletType type, boolean isServing, String error) {
        return new TabletHealth(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid))
                .setKeyspace("customer").setShard(shard).setType(type).setHostname("10.0.0." + uid)
                .putPortMap("grpc", 16100).build(), null, isServing, 0, error);
    }

    @Test
    void shardsAndTabletsAsVtgateSeesThem() {
        List<TabletHealth> tablets = List.of(tablet(201, "80-", TabletType.PRIMARY, true, ""),
                tablet(101, "-80", TabletType.PRIMARY, true, ""),
                tablet(102, "-80", TabletType.REPLICA, false, "health stream broke"));
        ServingGraph graph = new ServingGraph() {
            @Override
            public Set<String> keyspaces() {
                return Set.of("customer", "commerce");
            }

            @Override
            public Optional<List<String>> shards(String keyspace) {
                return Optional.ofNullable(Map.of("customer", List.of("-80", "80-"), "commerce", List.of("0"))
                        .get(keyspace));
            }

            @Override
            public List<TabletHealth> tabletHealth() {
                return tablets;
            }
        };
        List<Table> tables = TopologyStatus.tables(graph);
        assertEquals(List.of("shards", "tablets"), tables.stream().map(Table::key).toList(), "no topology row: not a TopoGateway");
        assertEquals(List.of(List.of("commerce", "0", "0", "0", ""), List.of("customer", "-80", "1", "2", "primary"),
                List.of("customer", "80-", "1", "1", "primary")), tables.get(0).rows());
        assertEquals(List.of(
                List.of("zone1-101", "customer", "-80", "primary", "10.0.0.101:16100", "serving", "0", ""),
                List.of("zone1-102", "customer", "-80", "replica", "10.0.0.102:16100", "not serving", "0",
                        "health stream broke"),
                List.of("zone1-201", "customer", "80-", "primary", "10.0.0.201:16100", "serving", "0", "")),
                tables.get(1).rows());
    }
}
