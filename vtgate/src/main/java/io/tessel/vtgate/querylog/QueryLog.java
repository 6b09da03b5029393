package io.tessel.vtgate.querylog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vtgate's structured query log: one JSON line per sampled statement ({@link QueryLogFormatter}), appended
 * to a file. The statement's thread only decides sampling ({@link #start}) and, at the end, offers the entry
 * to a bounded queue ({@link #finish}), never waiting: when the queue is full the entry is dropped and
 * counted. One writer thread formats (normalizing and redacting there) and writes, flushing whenever the
 * queue runs empty. {@link #DISABLED} logs nothing and costs a field read. Thread-safe.
 */
public final class QueryLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryLog.class);

    /** No log. */
    public static final QueryLog DISABLED = new QueryLog();

    /** Asks the writer to stop, after what is queued before it. */
    private static final Object STOP = new Object();

    private final Sampler sampler;
    private final BlockingQueue<Object> queue;
    private final QueryLogFormatter formatter;
    private final Writer out;
    private final Clock clock;
    private final Thread writer;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean isClosed;

    private QueryLog() {
        sampler = () -> false;
        queue = null;
        formatter = null;
        out = null;
        clock = null;
        writer = null;
        isClosed = true;
    }

    /** A log writing to {@code out} (which it closes), with the given sampler, queue bound and clock. */
    public QueryLog(Sampler sampler, int queueCapacity, QueryLogFormatter formatter, Writer out, Clock clock) {
        this.sampler = sampler;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.formatter = formatter;
        this.out = out;
        this.clock = clock;
        this.writer = Thread.ofPlatform().daemon().name("vtgate-querylog").start(this::drain);
    }

    /** The log {@code config} describes, appending to its file; {@link #DISABLED} when it names none. */
    public static QueryLog open(QueryLogConfig config) throws IOException {
        if (!config.isEnabled()) {
            return DISABLED;
        }
        Writer out = Files.newBufferedWriter(config.file(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        log.info("vtgate: query log to {} (sample rate {}, values {})", config.file(), config.sampleRate(),
                config.includeValues() ? "included" : "left out");
        return new QueryLog(Sampler.rate(config.sampleRate()), config.queueCapacity(),
                new QueryLogFormatter(config.includeValues()), out, Clock.systemUTC());
    }

    /** Registers {@code vtgate_querylog_written_total}, {@code _dropped_total} and {@code vtgate_querylog_queued}. */
    public QueryLog bindMeters(MeterRegistry registry) {
        FunctionCounter.builder("vtgate.querylog.written", written, LongAdder::sum)
                .description("Query log lines written").register(registry);
        FunctionCounter.builder("vtgate.querylog.dropped", dropped, LongAdder::sum)
                .description("Query log entries dropped because the writer's queue was full or writing failed")
                .register(registry);
        if (queue != null) {
            Gauge.builder("vtgate.querylog.queued", queue, BlockingQueue::size)
                    .description("Query log entries waiting for the writer").register(registry);
        }
        return this;
    }

    public boolean isEnabled() {
        return this != DISABLED;
    }

    /** A record for the statement about to run when it is sampled, else null (then nothing more is done). */
    public LoggedQuery start(int connectionId, String user, String sql) {
        if (isClosed || !sampler.sample()) {
            return null;
        }
        return new LoggedQuery(clock.instant(), connectionId, user, sql);
    }

    /** Queues the finished statement for the writer; drops (and counts) it when the queue is full. */
    public void finish(LoggedQuery query, long durationNanos, String keyspace, String shard, String tabletType,
                       String planType) {
        QueryLogEntry entry = query.finish(durationNanos, keyspace, shard, tabletType, planType);
        if (isClosed || !queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Lines written so far. */
    public long written() {
        return written.sum();
    }

    /** Entries dropped so far (queue full, or a write failed). */
    public long dropped() {
        return dropped.sum();
    }

    /** Waits until every entry queued before this call is written and flushed (tests, shutdown). */
    public void sync() throws InterruptedException {
        if (queue == null || isClosed) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        queue.put(done);
        done.await();
    }

    private void drain() {
        boolean hasFailed = false;
        while (true) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == STOP) {
                flush();
                return;
            }
            if (item instanceof CountDownLatch latch) {
                flush();
                latch.countDown();
                continue;
            }
            try {
                out.write(formatter.format((QueryLogEntry) item));
                written.increment();
                if (queue.isEmpty()) {
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                dropped.increment();
                if (!hasFailed) { // once: a full disk would otherwise log a line per query
                    log.warn("vtgate: query log write failed, dropping entries: {}", e.toString());
                    hasFailed = true;
                }
            }
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            log.warn("vtgate: query log flush failed: {}", e.toString());
        }
    }

    /** Writes what is queued, stops the writer and closes the file. Later statements are dropped. */
    @Override
    public void close() throws InterruptedException {
        if (this == DISABLED || isClosed) {
            return;
        }
        isClosed = true;
        queue.put(STOP);
        writer.join();
        try {
            out.close();
        } catch (IOException e) {
            log.warn("vtgate: closing the query log failed: {}", e.toString());
        }
    }
}
