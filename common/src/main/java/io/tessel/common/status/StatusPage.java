package io.tessel.common.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessel.common.http.DaemonHttpServer;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A daemon's {@code /debug/status} page: its state (serving, lame duck, ...), version, start time and
 * uptime, effective flags (secrets already masked by the caller, see
 * {@link io.tessel.common.flags.EffectiveFlags}), and the daemon's own tables (vtgate's topology view,
 * a tablet's target and pools), computed on each request. HTML by default, JSON with {@code ?format=json}.
 * Thread-safe.
 */
public final class StatusPage {
    /** The page's path. */
    public static final String PATH = "/debug/status";

    /**
     * One table of the page: {@code key} names it in JSON (an array of objects keyed by column), {@code title}
     * heads it in HTML. Every row has one value per column.
     */
    public record Table(String key, String title, List<String> columns, List<List<String>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(title + ": row " + row + " does not match columns " + columns);
                }
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String daemon;
    private final Instant started;
    private final Map<String, String> flags;
    private final Supplier<String> state;
    private final Clock clock;
    private final List<Supplier<List<Table>>> tables = new CopyOnWriteArrayList<>();

    /**
     * @param daemon  e.g. {@code vtgate}
     * @param started when the daemon started ({@link #processStart()} for a whole process)
     * @param flags   the effective flags, secrets masked
     * @param state   the daemon's state now, e.g. {@code serving} or {@code lame duck}
     */
    public StatusPage(String daemon, Instant started, Map<String, String> flags, Supplier<String> state, Clock clock) {
        this.daemon = Objects.requireNonNull(daemon);
        this.started = Objects.requireNonNull(started);
        this.flags = Map.copyOf(flags);
        this.state = Objects.requireNonNull(state);
        this.clock = Objects.requireNonNull(clock);
    }

    public StatusPage(String daemon, Map<String, String> flags, Supplier<String> state) {
        this(daemon, processStart(), flags, state, Clock.systemUTC());
    }

    /** When this JVM started. */
    public static Instant processStart() {
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** Adds tables computed on each request, shown after those added before. */
    public StatusPage addTables(Supplier<List<Table>> source) {
        tables.add(Objects.requireNonNull(source));
        return this;
    }

    /** Serves the page at {@link #PATH}. */
    public void addTo(DaemonHttpServer http) {
        http.addPage(PATH, this::respond);
    }

    /** The answer for {@code ?format=html} (the default) or {@code ?format=json}. */
    public DaemonHttpServer.Response respond(Map<String, String> params) {
        String format = params.getOrDefault("format", "html");
        return switch (format) {
            case "html", "" -> new DaemonHttpServer.Response("text/html; charset=utf-8", html());
            case "json" -> new DaemonHttpServer.Response("application/json; charset=utf-8", json());
            default -> throw new DaemonHttpServer.BadRequest("format must be html or json, not " + format);
        };
    }

    private List<Table> currentTables() {
        List<Table> out = new ArrayList<>();
        tables.forEach(source -> out.addAll(source.get()));
        return out;
    }

    /** The page as one JSON object. */
    public String json() {
        Instant now = clock.instant();
        ObjectNode o = JSON.createObjectNode();
        o.put("daemon", daemon);
        o.put("state", state.get());
        o.put("version", Version.current());
        o.put("java_version", Runtime.version().toString());
        o.put("started", started.toString());
        o.put("uptime_seconds", Duration.between(started, now).toSeconds());
        o.put("now", now.toString());
        ObjectNode f = o.putObject("flags");
        new java.util.TreeMap<>(flags).forEach(f::put);
        for (Table t : currentTables()) {
            ArrayNode rows = o.putArray(t.key());
            for (List<String> row : t.rows()) {
                ObjectNode r = rows.addObject();
                for (int i = 0; i < row.size(); i++) {
                    r.put(t.columns().get(i), row.get(i));
                }
            }
        }
        return o.toPrettyString();
    }

    /** The page as HTML: a summary, the daemon's tables, then the flags. */
    public String html() {
        Instant now = clock.instant();
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(daemon))
                .append(" status</title><style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}")
                .append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#eee}</style></head><body>")
                .append("<h1>").append(escape(daemon)).append(" status</h1><table id=\"summary\">");
        row(h, "State", "<b id=\"state\">" + escape(state.get()) + "</b>");
        row(h, "Version", escape(Version.current()) + " (Java " + escape(Runtime.version().toString()) + ")");
        row(h, "Started", escape(started.toString()));
        row(h, "Uptime", escape(uptime(Duration.between(started, now))));
        h.append("</table>");
        for (Table t : currentTables()) {
            h.append("<h2>").append(escape(t.title())).append("</h2><table id=\"").append(escape(t.key()))
                    .append("\"><tr>");
            t.columns().forEach(c -> h.append("<th>").append(escape(c)).append("</th>"));
            h.append("</tr>");
            for (List<String> r : t.rows()) {
                h.append("<tr>");
                r.forEach(v -> h.append("<td>").append(escape(v)).append("</td>"));
                h.append("</tr>");
            }
            h.append("</table>");
        }
        h.append("<h2>Flags</h2><table id=\"flags\">");
        new java.util.TreeMap<>(flags).forEach((name, value) -> row(h, escape(name), "<code>" + escape(value) + "</code>"));
        return h.append("</table></body></html>").toString();
    }

    private static void row(StringBuilder h, String name, String valueHtml) {
        h.append("<tr><th>").append(name).append("</th><td>").append(valueHtml).append("</td></tr>");
    }

    /** {@code 2d 3h 4m 5s}, leading zero units left out. */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long days = s / 86_400;
        long hours = s / 3600 % 24;
        long minutes = s / 60 % 60;
        StringBuilder out = new StringBuilder();
        if (days > 0) {
            out.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            out.append(hours).append("h ");
        }
        if (s >= 60) {
            out.append(minutes).append("m ");
        }
        return out.append(s % 60).append('s').toString();
    }

    /** HTML-escapes text for element content and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
