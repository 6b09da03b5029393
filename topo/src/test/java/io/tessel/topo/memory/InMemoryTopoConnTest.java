package io.tessel.topo.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.topo.RecordingListener;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoConn;
import io.tessel.topo.TopoConnContract;
import io.tessel.topo.Watch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the contract suite on the in-memory backend, plus its own fault injection and roots. */
@SuppressWarnings("try") // try-with-resources closes watches the body never names
class InMemoryTopoConnTest extends TopoConnContract {
    @Override
    protected TopoConn openConn() {
        return new InMemoryTopoConn().withRoot("/test/root");
    }

    @Override
    protected TopoConn openPeer(TopoConn conn) {
        InMemoryTopoConn memory = (InMemoryTopoConn) conn;
        return memory.withRoot(memory.root());
    }

    private InMemoryTopoConn memory() {
        return (InMemoryTopoConn) conn;
    }

    @Test
    void storeErrorFailsEveryOperationUntilCleared() {
        conn.create("dir/file", bytes("one"));
        TopoConn other = memory().withRoot("/elsewhere");
        memory().setError(TopoCode.UNREACHABLE);
        assertTopo(TopoCode.UNREACHABLE, () -> conn.get("dir/file"));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.create("dir/other", bytes("x")));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.update("dir/file", bytes("x"), null));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.delete("dir/file", null));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.listDir("dir", false));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.lock("dir", "test", SHORT));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.watch("dir/file", new RecordingListener<>()));
        assertTopo(TopoCode.UNREACHABLE, () -> other.get("anything"));

        memory().setError(null);
        assertEquals("one", text(conn.get("dir/file").value()));
    }

    @Test
    void storeErrorEndsRunningWatches() {
        conn.create("file", bytes("one"));
        RecordingListener<byte[]> listener = new RecordingListener<>();
        try (Watch watch = conn.watch("file", listener)) {
            listener.nextChanged();
            memory().setError(TopoCode.UNREACHABLE);
            listener.awaitError(TopoCode.UNREACHABLE);
        } finally {
            memory().setError(null);
        }
    }

    @Test
    void operationErrorsMatchOperationAndPath() {
        conn.create("keyspaces/ks1/Keyspace", bytes("1"));
        conn.create("keyspaces/ks2/Keyspace", bytes("2"));
        memory().addOperationError(InMemoryTopoConn.Operation.GET, "/keyspaces/ks1/", TopoCode.TIMEOUT);
        assertTopo(TopoCode.TIMEOUT, () -> conn.get("keyspaces/ks1/Keyspace"));
        assertEquals("2", text(conn.get("keyspaces/ks2/Keyspace").value()));
        conn.update("keyspaces/ks1/Keyspace", bytes("1b"), null);

        memory().addOperationError(null, "ks2", TopoCode.UNREACHABLE);
        assertTopo(TopoCode.UNREACHABLE, () -> conn.update("keyspaces/ks2/Keyspace", bytes("x"), null));
        assertTopo(TopoCode.UNREACHABLE, () -> conn.lock("keyspaces/ks2", "test", SHORT));

        memory().clearOperationErrors();
        assertEquals("1b", text(conn.get("keyspaces/ks1/Keyspace").value()));
        conn.update("keyspaces/ks2/Keyspace", bytes("2b"), null);
    }

    @Test
    void operationErrorsSeeAbsolutePathsSoOneRootCanFail() {
        InMemoryTopoConn global = memory().withRoot("/vitess/global");
        InMemoryTopoConn cell = memory().withRoot("/vitess/zone1");
        global.create("file", bytes("g"));
        cell.create("file", bytes("c"));
        memory().addOperationError(null, "^/vitess/zone1/", TopoCode.UNREACHABLE);
        assertTopo(TopoCode.UNREACHABLE, () -> cell.get("file"));
        assertEquals("g", text(global.get("file").value()));
    }

    @Test
    void rootsShareOneStore() {
        InMemoryTopoConn top = new InMemoryTopoConn();
        InMemoryTopoConn global = top.withRoot("/vitess/global/");
        InMemoryTopoConn cell = top.withRoot("vitess/zone1");
        assertEquals("/vitess/global", global.root());
        assertEquals("/", top.root());
        global.create("keyspaces/ks/Keyspace", bytes("k"));
        cell.create("SrvVSchema", bytes("v"));
        assertTopo(TopoCode.NO_NODE, () -> cell.get("keyspaces/ks/Keyspace"));
        assertEquals(List.of("global", "zone1"), top.listDir("vitess", false).stream().map(e -> e.name()).toList());
        assertEquals("k", text(top.get("vitess/global/keyspaces/ks/Keyspace").value()));
    }
}
