package io.tessel.vttablet.health;

import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import io.tessel.vttablet.TabletConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a starting tablet into the topology, as Vitess's InitTablet does: the keyspace and shard records if
 * they are missing, the tablet record (address, ports, MySQL, type), and the cell's serving graph for the
 * keyspace if it does not list this shard yet. vtgates then find the tablet and open its health stream.
 * Stateless.
 */
public final class TopoRegistration {
    private static final Logger log = LoggerFactory.getLogger(TopoRegistration.class);

    private TopoRegistration() {}

    /**
     * Registers the tablet serving gRPC on {@code grpcPort}; idempotent across restarts of the same alias.
     * A cell without a CellInfo gets one on the global server under {@code /vitess/<cell>} (Vitess's local
     * example layout), so a single-etcd cluster needs no AddCellInfo step.
     */
    public static void register(Topo topo, TabletConfig config, int grpcPort, String globalServerAddress) {
        String cell = config.alias().getCell();
        ignoreExisting(() -> topo.createCellInfo(cell, CellInfo.newBuilder().setServerAddress(globalServerAddress)
                .setRoot("/vitess/" + cell).build()));
        String ks = config.keyspace();
        ignoreExisting(() -> topo.createKeyspace(ks, Keyspace.getDefaultInstance()));
        ignoreExisting(() -> topo.createShard(ks, config.shard()));
        Tablet tablet = Tablet.newBuilder().setAlias(config.alias()).setHostname(config.bindAddress())
                .putPortMap("grpc", grpcPort).setKeyspace(ks).setShard(config.shard()).setType(config.tabletType())
                .setDbNameOverride(config.dbName()).setMysqlHostname(config.mysqlHost())
                .setMysqlPort(config.mysqlPort()).build();
        topo.updateTablet(tablet, null); // create or replace: a restarted tablet may have a new port
        if (!servesShard(topo, cell, ks, config.shard())) {
            topo.rebuildKeyspaceGraph(ks, List.of(cell));
        }
        log.info("{}: registered in the topology of cell {} with gRPC port {}", config.logPrefix(), cell, grpcPort);
    }

    private static boolean servesShard(Topo topo, String cell, String keyspace, String shard) {
        try {
            SrvKeyspace srv = topo.getSrvKeyspace(cell, keyspace);
            return srv.getPartitionsList().stream().flatMap(p -> p.getShardReferencesList().stream())
                    .anyMatch(r -> r.getName().equals(shard));
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return false;
            }
            throw e;
        }
    }

    private static void ignoreExisting(Runnable create) {
        try {
            create.run();
        } catch (TopoException e) {
            if (!e.is(TopoCode.NODE_EXISTS)) {
                throw e;
            }
        }
    }
}
