package io.tessel.vttablet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tessel.vttablet.consolidate.ConsolidatedQueries;
import io.tessel.vttablet.server.TabletServer;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's HTTP debug pages on the JDK's built-in server, read-only and plain:
 * <ul>
 * <li>{@code /debug/consolidations}: the most consolidated queries, one {@code count: sql} line each, most
 *     first (Vitess's format);</li>
 * <li>{@code /debug/hotrows}: rows with transactions running or queued under hot-row protection, one
 *     {@code transactions: table where ...} line each;</li>
 * <li>{@code /debug/vars}: the protection counters and pool counts as one JSON object.</li>
 * </ul>
 * The pages show SQL with its literals, so bind it to a private address. Handlers run on virtual threads.
 * Thread-safe; {@link #close()} stops it.
 */
public final class DebugHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DebugHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    /** Where the pages get their content. */
    public record Pages(Supplier<List<ConsolidatedQueries.Count>> consolidations,
                        Supplier<List<TxSerializer.QueueLength>> hotRows, Supplier<Map<String, Long>> vars) {
        public static Pages of(TabletServer tablet) {
            return new Pages(tablet::consolidatedQueries, tablet::hotRows, () -> tablet.stats().metrics());
        }
    }

    private DebugHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on bindAddress:port (0 picks a free port, see {@link #port()}). */
    public static DebugHttpServer start(Pages pages, String bindAddress, int port, String logPrefix) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/debug/consolidations", ex -> reply(ex, "text/plain", consolidations(pages)));
        server.createContext("/debug/hotrows", ex -> reply(ex, "text/plain", hotRows(pages)));
        server.createContext("/debug/vars", ex -> reply(ex, "application/json", vars(pages)));
        server.start();
        log.info("{}: debug pages on http://{}:{}/debug/", logPrefix, bindAddress, server.getAddress().getPort());
        return new DebugHttpServer(server, executor);
    }

    static String consolidations(Pages pages) {
        StringBuilder out = new StringBuilder();
        for (ConsolidatedQueries.Count c : pages.consolidations().get()) {
            out.append(c.consolidations()).append(": ").append(oneLine(c.sql())).append('\n');
        }
        return out.toString();
    }

    static String hotRows(Pages pages) {
        StringBuilder out = new StringBuilder();
        for (TxSerializer.QueueLength q : pages.hotRows().get()) {
            out.append(q.transactions()).append(": ").append(oneLine(q.key())).append('\n');
        }
        return out.toString();
    }

    static String vars(Pages pages) {
        StringBuilder out = new StringBuilder("{");
        pages.vars().get().forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append('"').append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append("\": ").append(value);
        });
        return out.append("}\n").toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static void reply(HttpExchange ex, String contentType, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
            if (bytes.length == 0) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
    }
}
