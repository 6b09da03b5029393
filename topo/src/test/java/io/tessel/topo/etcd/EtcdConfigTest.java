package io.tessel.topo.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.proto.Topodata.CellInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing Vitess-style server addresses and roots, defaults and validation. */
class EtcdConfigTest {
    @Test
    void serverAddressesMayOmitTheScheme() {
        EtcdConfig config = EtcdConfig.of("127.0.0.1:2379, http://etcd2:2379,", "/vitess/global/");
        assertEquals(List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://etcd2:2379")), config.endpoints());
        assertEquals("http://127.0.0.1:2379,http://etcd2:2379", config.serverAddress());
        assertEquals("/vitess/global", config.root());
        assertEquals(EtcdConfig.DEFAULT_LEASE_TTL, config.leaseTtl());
        assertEquals(EtcdConfig.DEFAULT_CALL_TIMEOUT, config.callTimeout());
    }

    @Test
    void rootsAreNormalized() {
        assertEquals("", EtcdConfig.of("h:1", "/").root());
        assertEquals("/a/b", EtcdConfig.of("h:1", "a/b").root());
        assertThrows(IllegalArgumentException.class, () -> EtcdConfig.of("h:1", "/a//b"));
    }

    @Test
    void invalidSettingsAreRejected() {
        EtcdConfig config = EtcdConfig.of("h:1", "/r");
        assertThrows(IllegalArgumentException.class, () -> EtcdConfig.of(" , ", "/r"));
        assertThrows(IllegalArgumentException.class, () -> config.withLeaseTtl(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> config.withLeaseTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> config.withCallTimeout(Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), config.withLeaseTtl(Duration.ofSeconds(2)).leaseTtl());
    }

    @Test
    void cellConnectorTakesAddressAndRootFromCellInfo() {
        EtcdConfig template = EtcdConfig.of("global:2379", "/vitess/global").withLeaseTtl(Duration.ofSeconds(5));
        CellInfo info = CellInfo.newBuilder().setServerAddress("zone1-etcd:2379").setRoot("/vitess/zone1").build();
        try (EtcdTopoConn cell = (EtcdTopoConn) EtcdTopoConn.cellConnector(template).connect("zone1", info)) {
            EtcdConfig expected = EtcdConfig.of("zone1-etcd:2379", "/vitess/zone1").withLeaseTtl(Duration.ofSeconds(5));
            assertEquals(expected, cell.config());
        }
    }
}
