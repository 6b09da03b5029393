package io.tessel.topo;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.topo.etcd.EtcdConfig;
import io.tessel.topo.etcd.EtcdTopoConn;
import io.tessel.topo.memory.InMemoryTopoConn;
import java.util.List;
import java.util.Locale;

/** The topology implementations a daemon can open, by their Vitess {@code --topo-implementation} names. Stateless. */
public enum TopoBackend {
    /** etcd v3 at the global server address; cell connections follow each cell's CellInfo. */
    ETCD2("etcd2"),
    /** A private in-memory store with the given cells, for local tests only: nothing survives the process. */
    MEMORY("memory");

    private final String flagName;

    TopoBackend(String flagName) {
        this.flagName = flagName;
    }

    /** The backend named by a flag value, e.g. {@code etcd2}; INVALID_ARGUMENT for any other name. */
    public static TopoBackend of(String name) {
        for (TopoBackend backend : values()) {
            if (backend.flagName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, "unknown topology implementation '" + name
                + "'; expecting etcd2 or memory");
    }

    /**
     * Opens the typed topology. Its global connection is the caller's to close after {@link Topo#close()}; etcd
     * connects lazily, so an unreachable server fails the first call, not this one.
     *
     * @param memoryCells the cells a memory topology starts with; ignored for etcd2
     * @throws IllegalArgumentException if the etcd server address or root is malformed
     */
    public Topo open(String globalAddress, String globalRoot, List<String> memoryCells) {
        return switch (this) {
            case MEMORY -> new InMemoryTopoConn().newTopo(memoryCells.toArray(String[]::new));
            case ETCD2 -> {
                EtcdConfig config = EtcdConfig.of(globalAddress, globalRoot);
                yield new Topo(new EtcdTopoConn(config), EtcdTopoConn.cellConnector(config));
            }
        };
    }
}
