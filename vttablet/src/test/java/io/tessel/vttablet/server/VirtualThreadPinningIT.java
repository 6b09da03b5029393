package io.tessel.vttablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Query.BeginRequest;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.CommitRequest;
import io.tessel.proto.Query.ExecuteOptions;
import io.tessel.proto.Query.ExecuteRequest;
import io.tessel.proto.Query.StreamExecuteRequest;
import io.tessel.vttablet.TabletConfig;
import io.tessel.vttablet.consolidate.Consolidator;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the tablet's JDBC paths (HikariCP + Connector/J) on many virtual threads, with more threads than
 * pooled connections so some wait, and records JFR's {@code jdk.VirtualThreadPinned} events: there must
 * be none, i.e. a virtual thread blocked in JDBC never holds its carrier.
 */
@Timeout(60) // a hang fails the test instead of the build
class VirtualThreadPinningIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    @Test
    void jdbcOnVirtualThreadsNeverPinsACarrier() throws Exception {
        db.createDatabase("vtt_pinning");
        TabletConfig config = TabletConfig.builder("zone1-101", "pinning").dbName("vtt_pinning")
                .mysql(db.host(), db.port(), db.user(), db.password()).pools(3, 3, 3)
                .txPoolTimeout(Duration.ofSeconds(10)).build();
        try (TabletServer tablet = new TabletServer(config)) {
            tablet.execute(sql("create table t (id int primary key auto_increment, v varchar(20))"));
            // Warm up first, once on a platform thread and once on a virtual one: one-time class initialisation
            // (Connector/J's, and the JDK's own virtual-thread socket Poller) pins while another thread waits for it.
            workload(tablet, 0);
            Thread.ofVirtual().start(() -> workload(tablet, 0)).join();
            // A record's equals is bootstrapped on its first call (invokedynamic), which pins like class
            // initialisation; only two identical reads in flight at once call the consolidator key's.
            assertEquals(false, new Consolidator.Key("a", ExecuteOptions.getDefaultInstance())
                    .equals(new Consolidator.Key("b", ExecuteOptions.getDefaultInstance())));
            List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
            try (RecordingStream recording = new RecordingStream()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.onEvent("jdk.VirtualThreadPinned", pinned::add);
                recording.startAsync();
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        int n = i;
                        done.add(threads.submit(() -> {
                            for (int k = 0; k < 15; k++) {
                                workload(tablet, n);
                            }
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                recording.stop(); // delivers every recorded event before returning
            }
            assertEquals(List.of(), pinned.stream().map(VirtualThreadPinningIT::describe).toList());
        }
    }

    private static void workload(TabletServer tablet, int n) {
        tablet.execute(sql("insert into t (v) values ('" + n + "')"));
        tablet.execute(sql("select * from t where id < 50"));
        long tx = tablet.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        tablet.execute(sql("update t set v = 'x' where id = " + (n + 1)).toBuilder().setTransactionId(tx).build());
        tablet.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
        tablet.streamExecute(StreamExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select * from t limit 20")).build(), r -> { });
    }

    private static ExecuteRequest sql(String sql) {
        return ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(sql)).build();
    }

    private static String describe(RecordedEvent e) {
        StringBuilder b = new StringBuilder("pinned " + e.getDuration().toMillis() + "ms " + e.getFields().stream()
                .filter(f -> !f.getName().equals("stackTrace") && !f.getName().equals("eventThread"))
                .map(f -> f.getName() + "=" + e.getValue(f.getName())).toList() + " at");
        if (e.getStackTrace() != null) {
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                b.append("\n  ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName());
            }
        }
        return b.toString();
    }
}
