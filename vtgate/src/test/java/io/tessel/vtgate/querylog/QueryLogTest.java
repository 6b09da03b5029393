package io.tessel.vtgate.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryLogTest {
    /** A writer whose first write waits until released, so the log's queue fills behind it. */
    static final class StuckWriter extends Writer {
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final StringWriter text = new StringWriter();

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            firstWrite.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            text.write(buf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static void logOne(QueryLog log, String sql) {
        LoggedQuery q = log.start(1, "u", sql);
        if (q != null) {
            log.finish(q, 1000, "ks", "", "primary", "Passthrough");
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() throws Exception {
        StuckWriter out = new StuckWriter();
        QueryLog log = new QueryLog(Sampler.rate(1), 2, new QueryLogFormatter(false), out, Clock.systemUTC());
        logOne(log, "select 1");
        out.firstWrite.await(); // the writer holds entry 1; the queue is empty
        logOne(log, "select 2");
        logOne(log, "select 3"); // the queue is full now
        logOne(log, "select 4");
        logOne(log, "select 5");
        assertEquals(2, log.dropped());
        out.release.countDown();
        log.sync();
        assertEquals(3, log.written());
        assertEquals(3, out.text.toString().lines().count());
        log.close();
        assertNull(log.start(1, "u", "select 6"), "nothing is logged after close");
        assertEquals(2, log.dropped());
    }

    @Test
    void disabledLogStartsNothing() throws Exception {
        assertNull(QueryLog.DISABLED.start(1, "u", "select 1"));
        assertFalse(QueryLog.DISABLED.isEnabled());
        assertTrue(QueryLog.open(QueryLogConfig.DISABLED) == QueryLog.DISABLED);
        QueryLog.DISABLED.close();
    }

    @Test
    void appendsToTheConfiguredFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("query.log");
        Files.writeString(file, "{\"earlier\":1}\n");
        QueryLog log = QueryLog.open(QueryLogConfig.toFile(file));
        logOne(log, "select * from t where id = 31337");
        log.close();
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\"earlier\":1}\n{"), text);
        assertTrue(text.contains("\"sql\":\"select * from t where id = :vtg1\""), text);
        assertFalse(text.contains("31337"), text);
    }

    @Test
    void samplerRates() {
        assertFalse(Sampler.rate(0).sample());
        assertTrue(Sampler.rate(1).sample());
        Sampler half = Sampler.rate(0.5, new SplittableRandom(7));
        SplittableRandom same = new SplittableRandom(7);
        int sampled = 0;
        for (int i = 0; i < 1000; i++) {
            boolean expected = same.nextDouble() < 0.5;
            assertEquals(expected, half.sample(), "draw " + i);
            sampled += expected ? 1 : 0;
        }
        assertTrue(sampled > 400 && sampled < 600, "about half: " + sampled);
    }

    @Test
    void configRejectsRatesOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new QueryLogConfig(null, 1.5, false, 10));
        assertThrows(IllegalArgumentException.class, () -> new QueryLogConfig(null, -0.1, false, 10));
        assertThrows(IllegalArgumentException.class, () -> new QueryLogConfig(null, Double.NaN, false, 10));
    }
}
