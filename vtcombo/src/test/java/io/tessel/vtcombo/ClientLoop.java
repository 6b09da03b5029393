package io.tessel.vtcombo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Application threads for a rolling restart: each loops over writes (autocommit inserts and short
 * transactions of two inserts), point reads of rows it knows were written, and scatter counts (half of them
 * with a pause between operations, leaving their connection idle), through plain
 * JDBC connections to the vtgates currently in rotation (a Service's endpoints). The only error it retries is
 * the documented retryable one, errno 1053 (ER_SERVER_SHUTDOWN, SQLSTATE 08S01): it closes the connection,
 * connects to a vtgate in rotation and runs the whole operation again. Every other error is a failure.
 */
final class ClientLoop implements AutoCloseable {
    /** The vtgate MySQL ports new connections may go to; the test takes a vtgate out before stopping it. */
    final List<Integer> rotation = new CopyOnWriteArrayList<>();
    /** Every row whose write the client saw succeed: id to value. */
    final Map<Long, Long> written = new ConcurrentHashMap<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final LongAdder operations = new LongAdder();
    final LongAdder retries = new LongAdder();

    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean isStopping;

    void start(int threadCount) {
        for (int i = 0; i < threadCount; i++) {
            boolean isThinking = i % 2 == 1;
            Thread t = Thread.ofPlatform().name("client-" + i).start(() -> loop(isThinking));
            threads.add(t);
        }
    }

    /** One operation, run again as a whole after a 1053. */
    private interface Operation {
        void run(Connection c) throws SQLException;
    }

    /**
     * @param isThinking whether the thread pauses up to 250 ms between operations, as an application does
     *                   between requests: its connection sits idle in vtgate meanwhile
     */
    private void loop(boolean isThinking) {
        Connection c = null;
        int port = 0;
        long done = 0;
        while (!isStopping) {
            Operation op = nextOperation();
            while (true) {
                try {
                    if (c == null) {
                        port = pickGate();
                        c = connect(port);
                    }
                    op.run(c);
                    operations.increment();
                    break;
                } catch (SQLException e) {
                    closeQuietly(c);
                    c = null;
                    if (e.getErrorCode() != 1053 || !"08S01".equals(e.getSQLState())) {
                        failures.add("via vtgate :" + port + ": " + e);
                        break;
                    }
                    retries.increment();
                }
            }
            if (++done % 20 == 0) { // spread the load over the vtgates in rotation, as pools recycle connections
                closeQuietly(c);
                c = null;
            }
            if (isThinking) {
                think();
            }
        }
        closeQuietly(c);
    }

    private static void think() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(250)); // an application's time between requests
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int pickGate() {
        List<Integer> ports = List.copyOf(rotation);
        return ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/commerce?user=root&useSSL=false"
                + "&connectTimeout=10000&socketTimeout=90000");
    }

    private Operation nextOperation() {
        int kind = ThreadLocalRandom.current().nextInt(10);
        if (kind < 3) {
            long id = nextId.getAndIncrement();
            return c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("insert into t (id, v) values (" + id + ", " + id * 7 + ")");
                }
                written.put(id, id * 7);
            };
        }
        if (kind < 6) {
            long a = nextId.getAndIncrement();
            long b = nextId.getAndIncrement();
            return c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("begin");
                    st.executeUpdate("insert into t (id, v) values (" + a + ", " + a * 7 + ")");
                    st.executeUpdate("insert into t (id, v) values (" + b + ", " + b * 7 + ")");
                    st.execute("commit");
                }
                written.put(a, a * 7);
                written.put(b, b * 7);
            };
        }
        return kind < 9 ? this::pointRead : this::scatterCount;
    }

    private void pointRead(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>(written.keySet());
        if (ids.isEmpty()) {
            return;
        }
        long id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select v from t where id = " + id)) {
            if (!rs.next() || rs.getLong(1) != id * 7) {
                failures.add("row " + id + " written but not read back");
            }
        }
    }

    private void scatterCount(Connection c) throws SQLException {
        int before = written.size();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from t")) {
            rs.next();
            if (rs.getLong(1) < before) {
                failures.add("count(*) " + rs.getLong(1) + " below the " + before + " rows written before it");
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // vtgate closed it after a 1053, or it broke: the loop reconnects either way
        }
    }

    @Override
    public void close() throws InterruptedException {
        isStopping = true;
        for (Thread t : threads) {
            t.join(120_000);
        }
    }
}
