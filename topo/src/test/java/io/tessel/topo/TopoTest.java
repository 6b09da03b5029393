package io.tessel.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.common.errors.ErrorCode;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.topo.memory.InMemoryTopoConn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed suite on the in-memory backend, plus what needs its fault injection and {@code newTopo} wiring. */
class TopoTest extends TopoContract {
    private final InMemoryTopoConn server = new InMemoryTopoConn();

    @Override
    protected String absolute(String path) {
        return path;
    }

    @Override
    protected TopoConn connAt(String absoluteRoot) {
        return server.withRoot(absoluteRoot);
    }

    @Override
    protected Topo.CellConnector connector() {
        return (cell, info) -> server.withRoot(info.getRoot());
    }

    @Override
    protected String serverAddress() {
        return InMemoryTopoConn.SERVER_ADDRESS;
    }

    @Test
    void newTopoWiresCellsOnTheSameStore() {
        InMemoryTopoConn store = new InMemoryTopoConn();
        Topo wired = store.newTopo("zone1");
        assertEquals(List.of("zone1"), wired.getCellNames());
        assertEquals(cellInfo("/vitess/zone1"), wired.getCellInfo("zone1"));
        wired.cellConn("zone1").create("probe", new byte[] {1});
        assertEquals(1, store.get("vitess/zone1/probe").value()[0]);
    }

    @Test
    void unreachableCellFailsOnlyThatCell() {
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.createShard("commerce", "0");
        topo.rebuildKeyspaceGraph("commerce", List.of());
        server.addOperationError(null, "^/vitess/zone1/", TopoCode.UNREACHABLE);
        TopoException e = assertTopo(TopoCode.UNREACHABLE, () -> topo.getSrvKeyspace("zone1", "commerce"));
        assertEquals(ErrorCode.UNAVAILABLE, e.toVtException().code());
        assertEquals(3, topo.getSrvKeyspace("zone2", "commerce").getPartitionsCount());
        server.clearOperationErrors();
        assertEquals(3, topo.getSrvKeyspace("zone1", "commerce").getPartitionsCount());
    }
}
