package io.tessel.topo;

import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.KeyRange;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.Shard;
import io.tessel.proto.Topodata.SrvKeyspace;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vschema.SrvVSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed topology access, written once above {@link TopoConn} as Vitess's {@code topo.Server}: keyspaces,
 * shards, VSchemas and tablets, and the per-cell serving graph, all stored as binary protobuf at Vitess's
 * paths. Layout: the <b>global</b> connection (rooted at e.g. {@value #DEFAULT_GLOBAL_ROOT}) holds
 * {@code cells/<cell>/CellInfo}, {@code keyspaces/<ks>/Keyspace}, {@code keyspaces/<ks>/VSchema} and
 * {@code keyspaces/<ks>/shards/<shard>/Shard}; each <b>cell</b> connection, opened lazily by the
 * {@link CellConnector} from that cell's {@code CellInfo} (server address and root, e.g.
 * {@code /vitess/zone1}), holds {@code tablets/<cell>-<uid %010d>/Tablet},
 * {@code keyspaces/<ks>/SrvKeyspace} and {@code SrvVSchema}. In one process the global and cell
 * connections may share one store under different roots. Locks: keyspace {@code keyspaces/<ks>}, shard
 * {@code keyspaces/<ks>/shards/<shard>}, both on the global connection.
 *
 * <p>Storage failures throw {@link TopoException} (a missing record is {@link TopoCode#NO_NODE}); invalid
 * names and an incomplete serving graph throw {@code VtException} with {@code INVALID_ARGUMENT} or
 * {@code FAILED_PRECONDITION}. Thread-safe. The global connection stays its creator's to close;
 * {@link #close()} closes the cell connections this opened.
 */
public final class Topo implements AutoCloseable {
    /** The conventional global root, Vitess's {@code --topo_global_root} in its examples. */
    public static final String DEFAULT_GLOBAL_ROOT = "/vitess/global";
    /** How long typed operations that lock a keyspace wait for it, by default (Vitess's {@code --lock-timeout}). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(45);

    private static final Logger log = LoggerFactory.getLogger(Topo.class);

    /** Opens the connection to a cell's topology from its {@link CellInfo}. */
    @FunctionalInterface
    public interface CellConnector {
        TopoConn connect(String cell, CellInfo info);
    }

    private final TopoConn global;
    private final CellConnector connector;
    private final Duration lockTimeout;
    private final Map<String, TopoConn> cellConns = new ConcurrentHashMap<>();

    /**
     * A Topo whose own keyspace locks wait {@link #DEFAULT_LOCK_TIMEOUT}.
     *
     * @param global the connection to the global topology, at its root
     * @param connector opens cell connections on first use
     */
    public Topo(TopoConn global, CellConnector connector) {
        this(global, connector, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * @param global the connection to the global topology, at its root
     * @param connector opens cell connections on first use
     * @param lockTimeout how long operations that take the keyspace lock themselves wait for it
     */
    public Topo(TopoConn global, CellConnector connector, Duration lockTimeout) {
        this.global = global;
        this.connector = connector;
        this.lockTimeout = lockTimeout;
    }

    public TopoConn global() {
        return global;
    }

    /** The connection to a cell's topology, opened on first use; NO_NODE if the cell has no CellInfo. */
    public TopoConn cellConn(String cell) {
        TopoPaths.checkName("cell", cell);
        return cellConns.computeIfAbsent(cell, c -> connector.connect(c, getCellInfo(c)));
    }

    public void createCellInfo(String cell, CellInfo info) {
        global.create(TopoPaths.cellInfo(cell), info.toByteArray());
        log.info("topo: created cell {} at {} {}", cell, info.getServerAddress(), info.getRoot());
    }

    public CellInfo getCellInfo(String cell) {
        return ProtoFiles.read(global, TopoPaths.cellInfo(cell), CellInfo.parser()).value();
    }

    /** The names of all cells with a CellInfo, sorted. */
    public List<String> getCellNames() {
        return ProtoFiles.listNames(global, TopoPaths.CELLS);
    }

    /** Creates a keyspace record; NODE_EXISTS if there is one. */
    public void createKeyspace(String keyspace, Keyspace value) {
        global.create(TopoPaths.keyspace(keyspace), value.toByteArray());
        log.info("topo: created keyspace {}", keyspace);
    }

    public Versioned<Keyspace> getKeyspace(String keyspace) {
        return ProtoFiles.read(global, TopoPaths.keyspace(keyspace), Keyspace.parser());
    }

    /** The names of all keyspaces, sorted. */
    public List<String> getKeyspaceNames() {
        return ProtoFiles.listNames(global, TopoPaths.KEYSPACES);
    }

    /**
     * Deletes a keyspace: its record, VSchema and SrvKeyspace in every cell. With {@code recursive} its shards
     * and their tablets in every cell go too; without, a keyspace that has shards fails with NODE_NOT_EMPTY.
     * Takes the keyspace lock.
     */
    public void deleteKeyspace(String keyspace, boolean recursive) {
        getKeyspace(keyspace);
        try (LockHandle lock = lockKeyspace(keyspace, "DeleteKeyspace", lockTimeout)) {
            List<String> shards = ProtoFiles.listNames(global, TopoPaths.shardsDir(keyspace));
            if (!shards.isEmpty() && !recursive) {
                throw new TopoException(TopoCode.NODE_NOT_EMPTY,
                        "keyspace " + keyspace + " still has shards " + shards + "; delete them or delete recursively");
            }
            lock.check();
            for (String shard : shards) {
                deleteShard(keyspace, shard);
            }
            for (String cell : getCellNames()) {
                if (recursive) {
                    deleteKeyspaceTablets(keyspace, cell);
                }
                ProtoFiles.deleteIfExists(cellConn(cell), TopoPaths.srvKeyspace(keyspace));
            }
            ProtoFiles.deleteIfExists(global, TopoPaths.vschema(keyspace));
            global.delete(TopoPaths.keyspace(keyspace), null);
        }
        log.info("topo: deleted keyspace {} (recursive={})", keyspace, recursive);
    }

    public LockHandle lockKeyspace(String keyspace, String holder, Duration timeout) {
        return global.lock(TopoPaths.keyspaceDir(keyspace), holder, timeout);
    }

    /**
     * Creates a shard record with the key range its name stands for (none for {@code 0}), primary-serving
     * unless it overlaps a shard that already serves, as Vitess's {@code CreateShard}. Takes the keyspace lock.
     *
     * @return the created record
     * @throws TopoException NO_NODE if the keyspace does not exist; NODE_EXISTS if the shard does
     */
    public Shard createShard(String keyspace, String shard) {
        KeyRange range = KeyRanges.parseShardName(shard);
        getKeyspace(keyspace);
        try (LockHandle lock = lockKeyspace(keyspace, "CreateShard " + shard, lockTimeout)) {
            boolean isServing = findAllShardsInKeyspace(keyspace).values().stream()
                    .filter(Shard::getIsPrimaryServing)
                    .noneMatch(s -> KeyRanges.intersects(range, s.hasKeyRange() ? s.getKeyRange() : null));
            Shard.Builder record = Shard.newBuilder().setIsPrimaryServing(isServing);
            if (shard.contains("-")) {
                record.setKeyRange(range);
            }
            Shard created = record.build();
            lock.check();
            global.create(TopoPaths.shard(keyspace, shard), created.toByteArray());
            log.info("topo: created shard {}/{} (serving={})", keyspace, shard, isServing);
            return created;
        }
    }

    public Versioned<Shard> getShard(String keyspace, String shard) {
        return ProtoFiles.read(global, TopoPaths.shard(keyspace, shard), Shard.parser());
    }

    /**
     * All shard records of a keyspace, by name, in key-range order.
     *
     * @throws TopoException NO_NODE if the keyspace does not exist
     */
    public Map<String, Shard> findAllShardsInKeyspace(String keyspace) {
        List<String> names = ProtoFiles.listNames(global, TopoPaths.shardsDir(keyspace));
        if (names.isEmpty()) {
            getKeyspace(keyspace);
        }
        List<Map.Entry<String, Shard>> shards = new ArrayList<>();
        for (String name : names) {
            try {
                shards.add(Map.entry(name, getShard(keyspace, name).value()));
            } catch (TopoException e) {
                if (!e.is(TopoCode.NO_NODE)) {
                    throw e;
                }
            }
        }
        shards.sort(Comparator.comparing(e -> e.getValue().hasKeyRange() ? e.getValue().getKeyRange() : KeyRanges.FULL,
                KeyRanges.BY_START));
        Map<String, Shard> ordered = new LinkedHashMap<>();
        shards.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /**
     * Read-modify-write of a shard record guarded by its version, retried on BAD_VERSION; {@code update} may
     * run more than once and returning an equal record writes nothing.
     */
    public Versioned<Shard> updateShardFields(String keyspace, String shard, UnaryOperator<Shard> update) {
        return ProtoFiles.update(global, TopoPaths.shard(keyspace, shard), Shard.parser(), update);
    }

    public void deleteShard(String keyspace, String shard) {
        global.delete(TopoPaths.shard(keyspace, shard), null);
        log.info("topo: deleted shard {}/{}", keyspace, shard);
    }

    public LockHandle lockShard(String keyspace, String shard, String holder, Duration timeout) {
        return global.lock(TopoPaths.shardDir(keyspace, shard), holder, timeout);
    }

    /** Saves (creates or replaces) a keyspace's VSchema; NO_NODE if the keyspace does not exist. */
    public void saveVSchema(String keyspace, Vschema.Keyspace vschema) {
        getKeyspace(keyspace);
        global.update(TopoPaths.vschema(keyspace), vschema.toByteArray(), null);
        log.info("topo: saved vschema of keyspace {}", keyspace);
    }

    /** A keyspace's VSchema; NO_NODE if none was saved. */
    public Vschema.Keyspace getVSchema(String keyspace) {
        return ProtoFiles.read(global, TopoPaths.vschema(keyspace), Vschema.Keyspace.parser()).value();
    }

    /** Creates a tablet record in its alias's cell; NODE_EXISTS if there is one. */
    public void createTablet(Tablet tablet) {
        TabletAlias alias = tablet.getAlias();
        cellConn(alias.getCell()).create(TopoPaths.tablet(alias), tablet.toByteArray());
        log.info("topo: created tablet {} {}/{} {}", TabletAliases.format(alias), tablet.getKeyspace(),
                tablet.getShard(), tablet.getType());
    }

    /**
     * Publishes a tablet's health as an ephemeral record beside its tablet record: it disappears when the
     * returned handle closes or, if the tablet dies, within {@code ttl}. Update it with
     * {@code handle.update(health.toByteArray())}.
     */
    public EphemeralFile publishTabletHealth(TabletAlias alias, io.tessel.proto.Query.StreamHealthResponse health,
                                             Duration ttl) {
        return cellConn(alias.getCell()).putEphemeral(TopoPaths.tabletHealth(alias), health.toByteArray(), ttl);
    }

    /** Whether a tablet's health record exists, i.e. the tablet is alive as far as the topology knows. */
    public boolean hasTabletHealth(TabletAlias alias) {
        try {
            cellConn(alias.getCell()).get(TopoPaths.tabletHealth(alias));
            return true;
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return false;
            }
            throw e;
        }
    }

    /** Writes a tablet record, unconditionally when {@code expected == null}; see {@link TopoConn#update}. */
    public Version updateTablet(Tablet tablet, @Nullable Version expected) {
        TabletAlias alias = tablet.getAlias();
        return cellConn(alias.getCell()).update(TopoPaths.tablet(alias), tablet.toByteArray(), expected);
    }

    /** Read-modify-write of a tablet record, as {@link #updateShardFields}. */
    public Versioned<Tablet> updateTabletFields(TabletAlias alias, UnaryOperator<Tablet> update) {
        return ProtoFiles.update(cellConn(alias.getCell()), TopoPaths.tablet(alias), Tablet.parser(), update);
    }

    public Versioned<Tablet> getTablet(TabletAlias alias) {
        return ProtoFiles.read(cellConn(alias.getCell()), TopoPaths.tablet(alias), Tablet.parser());
    }

    /** All tablet records of a cell, by uid; empty if the cell has none, NO_NODE if the cell is unknown. */
    public List<Tablet> getTabletsByCell(String cell) {
        TopoConn conn = cellConn(cell);
        List<Tablet> tablets = new ArrayList<>();
        for (String name : ProtoFiles.listNames(conn, TopoPaths.TABLETS)) {
            String path = TopoPaths.TABLETS + "/" + name + "/Tablet";
            try {
                tablets.add(ProtoFiles.read(conn, path, Tablet.parser()).value());
            } catch (TopoException e) {
                if (!e.is(TopoCode.NO_NODE)) {
                    throw e;
                }
            }
        }
        tablets.sort(Comparator.comparingLong(t -> Integer.toUnsignedLong(t.getAlias().getUid())));
        return tablets;
    }

    public void deleteTablet(TabletAlias alias) {
        cellConn(alias.getCell()).delete(TopoPaths.tablet(alias), null);
        log.info("topo: deleted tablet {}", TabletAliases.format(alias));
    }

    /**
     * Writes the keyspace's SrvKeyspace in each cell (all cells when {@code cells} is empty): one partition
     * per served type (PRIMARY, REPLICA, RDONLY) listing the primary-serving shards and their key ranges.
     * Takes the keyspace lock.
     *
     * @throws io.tessel.common.errors.VtException FAILED_PRECONDITION if the serving shards leave a gap
     *     or overlap
     */
    public void rebuildKeyspaceGraph(String keyspace, List<String> cells) {
        List<String> targets = cells.isEmpty() ? getCellNames() : cells;
        try (LockHandle lock = lockKeyspace(keyspace, "RebuildKeyspaceGraph", lockTimeout)) {
            byte[] srv = ServingGraph.srvKeyspace(keyspace, findAllShardsInKeyspace(keyspace)).toByteArray();
            lock.check();
            for (String cell : targets) {
                cellConn(cell).update(TopoPaths.srvKeyspace(keyspace), srv, null);
            }
        }
        log.info("topo: rebuilt serving graph of keyspace {} in cells {}", keyspace, targets);
    }

    /**
     * Writes SrvVSchema in each cell (all cells when {@code cells} is empty): every keyspace's VSchema, an
     * empty one for a keyspace that has none.
     */
    public void rebuildVSchemaGraph(List<String> cells) {
        List<String> targets = cells.isEmpty() ? getCellNames() : cells;
        SrvVSchema.Builder srv = SrvVSchema.newBuilder();
        for (String keyspace : getKeyspaceNames()) {
            srv.putKeyspaces(keyspace, getVSchemaOrEmpty(keyspace));
        }
        byte[] data = srv.build().toByteArray();
        for (String cell : targets) {
            cellConn(cell).update(TopoPaths.SRV_VSCHEMA, data, null);
        }
        log.info("topo: rebuilt SrvVSchema of {} keyspaces in cells {}", srv.getKeyspacesCount(), targets);
    }

    public SrvKeyspace getSrvKeyspace(String cell, String keyspace) {
        return ProtoFiles.read(cellConn(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspace.parser()).value();
    }

    /** The keyspaces with a serving graph directory in a cell, sorted. */
    public List<String> getSrvKeyspaceNames(String cell) {
        return ProtoFiles.listNames(cellConn(cell), TopoPaths.KEYSPACES);
    }

    public SrvVSchema getSrvVSchema(String cell) {
        return ProtoFiles.read(cellConn(cell), TopoPaths.SRV_VSCHEMA, SrvVSchema.parser()).value();
    }

    /** Watches a cell's SrvKeyspace, as {@link TopoConn#watch}; an undecodable value ends it with INVALID_DATA. */
    public Watch watchSrvKeyspace(String cell, String keyspace, WatchListener<SrvKeyspace> listener) {
        return ProtoFiles.watch(cellConn(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspace.parser(), listener);
    }

    /** Watches a cell's SrvVSchema, as {@link #watchSrvKeyspace}. */
    public Watch watchSrvVSchema(String cell, WatchListener<SrvVSchema> listener) {
        return ProtoFiles.watch(cellConn(cell), TopoPaths.SRV_VSCHEMA, SrvVSchema.parser(), listener);
    }

    /** Closes the cell connections this opened; the global connection stays open. */
    @Override
    public void close() {
        cellConns.values().forEach(TopoConn::close);
        cellConns.clear();
    }

    private Vschema.Keyspace getVSchemaOrEmpty(String keyspace) {
        try {
            return getVSchema(keyspace);
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                return Vschema.Keyspace.getDefaultInstance();
            }
            throw e;
        }
    }

    private void deleteKeyspaceTablets(String keyspace, String cell) {
        for (Tablet tablet : getTabletsByCell(cell)) {
            if (tablet.getKeyspace().equals(keyspace)) {
                deleteTablet(tablet.getAlias());
            }
        }
    }
}
