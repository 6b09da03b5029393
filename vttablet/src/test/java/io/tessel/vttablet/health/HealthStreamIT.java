package io.tessel.vttablet.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.common.queryservice.QueryService.HealthSubscription;
import io.tessel.proto.Query.StreamHealthResponse;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.TabletGrpcServer;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.server.TabletServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** StreamHealth over gRPC: the state at once, a graceful stop within a second, a dead server as an error. */
@Timeout(60)
class HealthStreamIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    @Test
    void healthStreamReportsServingStopAndDeath() throws Exception {
        db.createDatabase("health_it");
        TabletConfig config = TabletConfig.builder("zone1-300", "health_it").shard("0").tabletType(TabletType.PRIMARY)
                .mysql(db.host(), db.port(), db.user(), db.password()).grpc("127.0.0.1", 0).build();
        TabletServer tablet = new TabletServer(config);
        TabletGrpcServer server = TabletGrpcServer.start(tablet, "127.0.0.1", 0, config.logPrefix());
        BlockingQueue<StreamHealthResponse> updates = new LinkedBlockingQueue<>();
        BlockingQueue<RuntimeException> errors = new LinkedBlockingQueue<>();
        try (GrpcQueryClient client = new GrpcQueryClient(TabletGrpcServer.clientChannel("127.0.0.1", server.port()))) {
            HealthSubscription sub = client.streamHealth(updates::add, errors::add);
            StreamHealthResponse first = updates.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertTrue(first.getServing());
            assertEquals("health_it", first.getTarget().getKeyspace());
            assertEquals(300, first.getTabletAlias().getUid());

            long t0 = System.nanoTime();
            tablet.stopServing();
            StreamHealthResponse stopped = updates.poll(1, TimeUnit.SECONDS);
            assertNotNull(stopped, "a graceful stop is seen within a second");
            assertFalse(stopped.getServing());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L);

            assertNotNull(errors.poll(5, TimeUnit.SECONDS), "stopServing ends the stream after the last update");
            long t1 = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - t1 < 5_000_000_000L, "no open stream holds the server's shutdown");
            sub.close();
        } finally {
            server.close();
            tablet.close();
        }
    }
}
