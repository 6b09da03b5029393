package io.tessel.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tessel.common.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's one HTTP server (its {@code --http-port}), on the JDK's built-in server with a virtual thread
 * per request. It always serves
 * <ul>
 * <li>{@code /healthz}: {@code 200 ok} while the process can answer at all (liveness; checks nothing else);</li>
 * <li>{@code /readyz}: {@code 200 ok} while {@link Readiness} says so, else {@code 503} with the reason;</li>
 * <li>{@code /metrics}: the {@link Metrics} in Prometheus text;</li>
 * </ul>
 * plus the pages a daemon adds with {@link #addPage} (e.g. vttablet's {@code /debug/consolidations}). Paths
 * match exactly; only GET and HEAD are answered. Thread-safe; {@link #close()} stops it.
 */
public final class DaemonHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DaemonHttpServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    /** A page's answer to one request: its content type and body. */
    public record Response(String contentType, String body) {
        public Response {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    /** What a page throws for a query parameter it cannot take; the client gets {@code 400} and the message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** A page: its answer, computed per request from the query parameters. */
    private record Page(Function<Map<String, String>, Response> handler) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final String logPrefix;

    private DaemonHttpServer(HttpServer server, ExecutorService executor, String logPrefix) {
        this.server = server;
        this.executor = executor;
        this.logPrefix = logPrefix;
    }

    /**
     * Starts serving on {@code bindAddress:port}; port 0 picks a free one (see {@link #port()}). Daemons
     * treat {@code --http-port=0} as "no HTTP server" and do not call this.
     *
     * @param logPrefix component and identity for log lines, e.g. {@code vtgate}
     * @throws IOException when the port cannot be bound
     */
    public static DaemonHttpServer start(String bindAddress, int port, Readiness readiness, Metrics metrics,
                                         String logPrefix) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory());
        server.setExecutor(executor);
        DaemonHttpServer http = new DaemonHttpServer(server, executor, logPrefix);
        http.addPage("/healthz", TEXT, () -> "ok\n");
        http.addPage("/metrics", Metrics.contentType(), metrics::scrape);
        server.createContext("/readyz", ex -> http.readyz(ex, readiness));
        server.createContext("/", http::dispatch);
        server.start();
        log.info("{}: HTTP on {}:{} (/healthz, /readyz, /metrics)", logPrefix, bindAddress, http.port());
        return http;
    }

    /** Serves {@code body()} at exactly {@code path}, computed on each request. */
    public void addPage(String path, String contentType, Supplier<String> body) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("page path must start with /: " + path);
        }
        Objects.requireNonNull(contentType);
        Objects.requireNonNull(body);
        addPage(path, params -> new Response(contentType, body.get()));
    }

    /**
     * Serves at exactly {@code path} what {@code handler} answers for the request's query parameters (each
     * name's first value, URL-decoded; {@code ?format=json} gives {@code {format=json}}), e.g. a page with a
     * JSON and an HTML form.
     */
    public void addPage(String path, Function<Map<String, String>, Response> handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("page path must start with /: " + path);
        }
        pages.put(path, new Page(Objects.requireNonNull(handler)));
    }

    /** The query string's parameters, each name's first value, URL-decoded; a name alone has the value "". */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private void dispatch(HttpExchange ex) throws IOException {
        Page page = pages.get(ex.getRequestURI().getPath());
        if (page == null) {
            reply(ex, 404, TEXT, "not found\n");
            return;
        }
        Response response;
        try {
            response = page.handler().apply(queryParameters(ex.getRequestURI().getRawQuery()));
        } catch (BadRequest e) {
            reply(ex, 400, TEXT, "bad request: " + e.getMessage() + "\n");
            return;
        } catch (RuntimeException e) {
            log.warn("{}: page {} failed: {}", logPrefix, ex.getRequestURI().getPath(), e.toString());
            reply(ex, 500, TEXT, "internal error: " + e.getMessage() + "\n");
            return;
        }
        reply(ex, 200, response.contentType(), response.body());
    }

    private void readyz(HttpExchange ex, Readiness readiness) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/readyz")) {
            reply(ex, 404, TEXT, "not found\n");
            return;
        }
        Readiness.Status status = readiness.status();
        reply(ex, status.isReady() ? 200 : 503, TEXT, status.isReady() ? "ok\n" : status.reason() + "\n");
    }

    private static void reply(HttpExchange ex, int code, String contentType, String body) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD") || bytes.length == 0) {
                ex.sendResponseHeaders(code, -1);
                return;
            }
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once; a request being answered is cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("{}: HTTP stopped", logPrefix);
    }
}
