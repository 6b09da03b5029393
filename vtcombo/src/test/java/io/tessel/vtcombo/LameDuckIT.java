package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.common.http.DaemonHttpServer;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * vtgate's lame duck through real MySQL clients (Connector/J): readiness fails at once while liveness holds,
 * a new connection and a statement outside a transaction get error 1053, while a running query and an open
 * transaction finish; an idle connection stays open until its next statement gets 1053; the drain ends when
 * every client has left.
 */
@Timeout(120)
class LameDuckIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    @Test
    void lameDuckRefusesNewWorkWhileRunningQueriesAndTransactionsFinish() throws Exception {
        ComboCluster cluster = Fixture.start(db, "lameduck");
        try (DaemonHttpServer http = DaemonHttpServer.start("127.0.0.1", 0, cluster.readiness(), cluster.metrics(), "test");
             HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + http.port();
            String url = Fixture.tesselUrl("mysql", cluster, "lameduck");
            assertEquals("200 ok\n", get(client, base + "/readyz"));
            try (Connection setup = Fixture.connect(url)) {
                Fixture.update(setup, "create table t (id int primary key)");
            }
            Connection inTx = Fixture.connect(url);
            Connection idle = Fixture.connect(url);
            Connection slow = Fixture.connect(url);
            inTx.setAutoCommit(false);
            Fixture.update(inTx, "insert into t values (1)");
            CompletableFuture<List<String>> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return Fixture.rows(slow, "select sleep(2) as s");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> cluster.vtgateState().commandsInFlight() == 1);

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return cluster.drain(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> cluster.vtgateState().isLameDuck());
            assertEquals("503 lame duck: shutting down\n", get(client, base + "/readyz"));
            assertEquals("200 ok\n", get(client, base + "/healthz"));

            SQLException refused = assertThrows(SQLException.class, () -> Fixture.connect(url));
            assertEquals(1053, refused.getErrorCode(), refused.toString());
            assertEquals("08S01", refused.getSQLState(), "the documented retryable error, at the handshake too");
            assertTrue(refused.getMessage().contains("Server shutdown in progress"), refused.getMessage());
            SQLException idleRefused = assertThrows(SQLException.class, () -> Fixture.rows(idle, "select 1"));
            assertEquals(1053, idleRefused.getErrorCode(), idleRefused.toString());
            assertEquals("08S01", idleRefused.getSQLState());

            Fixture.update(inTx, "insert into t values (2)");
            inTx.commit();
            assertEquals(List.of("s:INT ", "0|"), running.join(), "the running query finished");
            // Nothing runs now, but the drain keeps idle connections open: the next statement on one gets the
            // retryable 1053 rather than finding the connection closed under it.
            SQLException afterWork = assertThrows(SQLException.class, () -> Fixture.rows(slow, "select 1"));
            assertEquals(1053, afterWork.getErrorCode(), afterWork.toString());
            assertFalse(drained.isDone(), "the drain waits while a client connection is open");
            inTx.close(); // the last client leaves
            assertTrue(drained.join(), "drained before the period ended");
            assertTrue(cluster.metrics().scrape().contains(
                    "vtgate_errors_total{error_code=\"UNAVAILABLE\",sqlstate_class=\"08\"} 3.0"), "refusals are counted");
            for (Connection c : List.of(inTx, idle, slow)) {
                c.close();
            }
        } finally {
            cluster.close();
        }
        try (Connection direct = Fixture.connect(Fixture.directUrl("mysql", db, "lameduck"))) {
            assertEquals(List.of("count(*):BIGINT ", "2|"), Fixture.rows(direct, "select count(*) from t"),
                    "the transaction committed during the drain");
        }
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met within 30 s");
            Thread.sleep(10); // another thread gets there on its own schedule
        }
    }
}
