import io.tessel.common.queryservice.GrpcQueryClient;
import io.tessel.proto.Query.BoundQuery;
import io.tessel.proto.Query.ExecuteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load client of bench/consolidation.sh, run as a single source file: CLIENTS virtual threads send the same
 * query to one tablet over gRPC, back to back, for SECONDS seconds, and it prints "RESULT queries errors qps".
 *
 * <p>Usage: java -cp VTTABLET_CLASSPATH ConsolidationClient.java PORT CLIENTS SECONDS SQL
 */
public final class ConsolidationClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        ExecuteRequest request = ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql(args[3])).build();
        LongAdder queries = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean isRunning = new AtomicBoolean(true);
        try (GrpcQueryClient tablet = new GrpcQueryClient(GrpcQueryClient.channel("127.0.0.1", port))) {
            tablet.execute(request); // one round trip first, so channel setup is not measured
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (isRunning.get()) {
                        try {
                            tablet.execute(request);
                            queries.increment();
                        } catch (RuntimeException e) {
                            errors.increment();
                        }
                    }
                }));
            }
            Thread.sleep(seconds * 1000);
            isRunning.set(false);
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("RESULT %d %d %.1f%n", queries.sum(), errors.sum(), queries.sum() / elapsed);
        }
    }
}
