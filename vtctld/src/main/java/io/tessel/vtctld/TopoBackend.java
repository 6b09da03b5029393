package io.tessel.vtctld;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoConn;
import io.tessel.topo.memory.InMemoryTopoConn;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;

/**
 * The topology implementations vtctld can open, by their Vitess {@code --topo-implementation} names. The etcd
 * backend is looked up by class name, so this module builds before it exists and fails at startup with a
 * plain message when it is missing. Stateless.
 */
enum TopoBackend {
    /** etcd v3 at the global server address; cell connections follow each cell's CellInfo. */
    ETCD2("etcd2"),
    /** A private in-memory store with the given cells, for local tests only: nothing survives the process. */
    MEMORY("memory");

    /** The etcd backend's classes, provided by the topo module once it has them. */
    static final String ETCD_CLASS = "io.tessel.topo.etcd.EtcdTopoConn";
    static final String ETCD_CONFIG_CLASS = "io.tessel.topo.etcd.EtcdConfig";

    private final String flagName;

    TopoBackend(String flagName) {
        this.flagName = flagName;
    }

    String flagName() {
        return flagName;
    }

    /** The backend named by a flag value, e.g. {@code etcd2}; INVALID_ARGUMENT for any other name. */
    static TopoBackend of(String name) {
        for (TopoBackend backend : values()) {
            if (backend.flagName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, "unknown topology implementation '" + name
                + "'; expecting etcd2 or memory");
    }

    /**
     * Opens the typed topology. Its global connection is the caller's to close after {@link Topo#close()}.
     *
     * @param memoryCells the cells a memory topology starts with; ignored for etcd2
     * @throws VtException UNIMPLEMENTED if the etcd2 backend is not in this build
     */
    Topo open(String globalAddress, String globalRoot, List<String> memoryCells) {
        return switch (this) {
            case MEMORY -> new InMemoryTopoConn().newTopo(memoryCells.toArray(String[]::new));
            case ETCD2 -> openEtcd(globalAddress, globalRoot);
        };
    }

    /**
     * Opens etcd through {@code EtcdConfig.of(address, root)}, {@code new EtcdTopoConn(config)} and
     * {@code EtcdTopoConn.cellConnector(config)}, found by reflection so this module compiles without them.
     */
    private static Topo openEtcd(String globalAddress, String globalRoot) {
        Class<?> connClass;
        Class<?> configClass;
        try {
            connClass = Class.forName(ETCD_CLASS);
            configClass = Class.forName(ETCD_CONFIG_CLASS);
        } catch (ClassNotFoundException e) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "etcd2 topology backend not available in this build"
                    + " (no " + e.getMessage() + "); use --topo-implementation memory for local tests", e);
        }
        try {
            Object config = configClass.getMethod("of", String.class, String.class)
                    .invoke(null, globalAddress, globalRoot);
            TopoConn global = (TopoConn) connClass.getConstructor(configClass).newInstance(config);
            Topo.CellConnector cells = (Topo.CellConnector) connClass.getMethod("cellConnector", configClass)
                    .invoke(null, config);
            return new Topo(global, cells);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("etcd2 topology at " + globalAddress + " failed to open", e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "etcd2 topology backend in this build does not have the API "
                    + "vtctld opens it with (EtcdConfig.of(String, String), EtcdTopoConn(EtcdConfig), "
                    + "EtcdTopoConn.cellConnector(EtcdConfig)): " + e, e);
        }
    }
}
