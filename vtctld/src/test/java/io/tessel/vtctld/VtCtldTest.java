package io.tessel.vtctld;

import io.tessel.common.flags.EnvDefaults;
import io.tessel.topo.TopoBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.topo.Topo;
import io.tessel.topo.etcd.EtcdTopoConn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The vtctld daemon's flags, their environment variables, and how the topology backend is chosen. */
class VtCtldTest {
    @Test
    void helpListsEveryFlagWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new VtCtld());
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        String help = out.toString();
        for (String expected : List.of("--topo-implementation", "Default: etcd2", "--topo-global-server-address",
                "--topo-global-root", "Default: /vitess/global", "--topo-memory-cells", "--grpc-port",
                "Default: 15999", "--bind-address", "Default: 127.0.0.1", "GRPC_PORT", "--http-port", "Default: 15000")) {
            assertTrue(help.contains(expected), expected + " in\n" + help);
        }
    }

    @Test
    void everyFlagIsAlsoReadFromItsEnvironmentVariable() {
        VtCtld daemon = new VtCtld();
        CommandLine cmd = new CommandLine(daemon);
        cmd.setDefaultValueProvider(new EnvDefaults(Map.of("GRPC_PORT", "16999",
                "TOPO_IMPLEMENTATION", "memory", "TOPO_MEMORY_CELLS", "zone1,zone2")::get));
        cmd.parseArgs("--bind-address", "0.0.0.0");
        assertEquals(16999, daemon.grpcPort);
        assertEquals("memory", daemon.topoImplementation);
        assertEquals(List.of("zone1", "zone2"), daemon.topoMemoryCells);
        assertEquals("0.0.0.0", daemon.bindAddress);
        assertEquals("/vitess/global", daemon.topoGlobalRoot);
        assertEquals("TOPO_GLOBAL_SERVER_ADDRESS", EnvDefaults.envName("--topo-global-server-address"));
    }

    @Test
    void readyWhileTheTopologyCanBeRead() {
        io.tessel.topo.memory.InMemoryTopoConn store = new io.tessel.topo.memory.InMemoryTopoConn();
        Topo topo = store.newTopo("zone1");
        assertEquals(java.util.Optional.empty(), VtCtld.topologyProblem(topo));
        store.setError(io.tessel.topo.TopoCode.UNREACHABLE);
        String problem = VtCtld.topologyProblem(topo).orElseThrow();
        assertTrue(problem.startsWith("topology unreachable: "), problem);
        store.setError(null);
        assertEquals(java.util.Optional.empty(), VtCtld.topologyProblem(topo));
        topo.close();
    }

    @Test
    void memoryBackendStartsWithItsCells() {
        Topo topo = TopoBackend.of("memory").open("ignored", Topo.DEFAULT_GLOBAL_ROOT, List.of("zone1", "zone2"));
        assertEquals(List.of("zone1", "zone2"), topo.getCellNames());
        topo.close();
    }

    @Test
    void etcd2OpensEtcdConnections() {
        // jetcd connects lazily, so opening against a closed port only proves the wiring.
        Topo topo = TopoBackend.ETCD2.open("127.0.0.1:1", Topo.DEFAULT_GLOBAL_ROOT, List.of());
        assertInstanceOf(EtcdTopoConn.class, topo.global());
        assertEquals(Topo.DEFAULT_GLOBAL_ROOT, ((EtcdTopoConn) topo.global()).config().root());
        topo.close();
        topo.global().close();
        assertThrows(IllegalArgumentException.class, () -> TopoBackend.ETCD2.open("", "", List.of()));
        assertEquals(1, new CommandLine(new VtCtld()).execute("--topo-implementation", "etcd2",
                "--topo-global-server-address", ""));
    }

    @Test
    void unknownImplementationsAreRefused() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(VtException.class, () -> TopoBackend.of("zk2")).code());
        assertEquals(TopoBackend.ETCD2, TopoBackend.of("ETCD2"));
        assertEquals(1, new CommandLine(new VtCtld()).execute("--topo-implementation", "consul"));
    }
}
