package io.tessel.topo.etcd;

import io.tessel.topo.Topo;
import io.tessel.topo.TopoConn;
import io.tessel.topo.TopoContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed suite on etcd: the topology of each test lives below its own prefix, cells are opened by
 * {@link EtcdTopoConn#cellConnector} from their CellInfo (server address and root), as in production.
 */
class EtcdTopoIT extends TopoContract {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    private final List<TopoConn> opened = new ArrayList<>();
    /** Chosen per test instance, before the suite's @BeforeEach builds the topology below it. */
    private final String prefix = etcd.newRoot("typed");

    @AfterEach
    void closeAndDelete() {
        opened.forEach(TopoConn::close);
        etcd.deleteRoot(prefix);
    }

    @Override
    protected String absolute(String path) {
        return path.equals("/") ? prefix : prefix + path;
    }

    @Override
    protected TopoConn connAt(String absoluteRoot) {
        TopoConn conn = new EtcdTopoConn(etcd.config(absoluteRoot));
        opened.add(conn);
        return conn;
    }

    @Override
    protected Topo.CellConnector connector() {
        return EtcdTopoConn.cellConnector(etcd.config(prefix));
    }

    @Override
    protected String serverAddress() {
        return etcd.endpoints();
    }
}
