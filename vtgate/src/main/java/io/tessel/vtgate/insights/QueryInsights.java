package io.tessel.vtgate.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Per query pattern telemetry, as PlanetScale's query insights: for each normalized statement (literals
 * removed, so one pattern per query shape) its count, errors, total and p50/p95/p99 latency, rows returned
 * and affected, shard queries and first/last seen. Bounded: past {@code maxPatterns} the least used
 * pattern is dropped to make room. Thread-safe; recording is lock-free apart from the rare eviction.
 */
public final class QueryInsights {
    /** Vitess keeps query stats for its plan cache's size; 1000 patterns is plenty for a dashboard. */
    public static final int DEFAULT_MAX_PATTERNS = 1000;
    private static final long MAX_NANOS = 3_600_000_000_000L; // latencies above an hour are clamped
    /** The HTML columns' keys, for the {@code #sort=} fragment. */
    private static final String[] COLUMN_KEYS = {"pattern", "count", "errors", "total", "p50", "p95", "p99",
        "rows_returned", "rows_affected", "shard_queries", "first_seen", "last_seen"};

    /** The orders {@code /debug/insights?sort=} offers; each puts the largest first (pattern: alphabetical). */
    public enum Sort {
        TOTAL(Comparator.comparingDouble(Snapshot::totalMillis).reversed()),
        COUNT(Comparator.comparingLong(Snapshot::count).reversed()),
        P99(Comparator.comparingDouble(Snapshot::p99Millis).reversed()),
        ERRORS(Comparator.comparingLong(Snapshot::errors).reversed()),
        PATTERN(Comparator.comparing(Snapshot::pattern));

        private final Comparator<Snapshot> order;

        Sort(Comparator<Snapshot> order) {
            this.order = order.thenComparing(Snapshot::pattern);
        }

        /** {@code total}, {@code count}, {@code p99}, {@code errors} or {@code pattern}, in any case. */
        public static Sort parse(String name) {
            for (Sort s : values()) {
                if (s.name().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("sort must be one of total, count, p99, errors, pattern; not " + name);
        }
    }

    /** One pattern's numbers at one moment. Latencies in milliseconds. */
    public record Snapshot(String pattern, long count, long errors, double totalMillis, double p50Millis,
            double p95Millis, double p99Millis, long rowsReturned, long rowsAffected, long shardQueries,
            Instant firstSeen, Instant lastSeen) {}

    private static final class Stats {
        final LongAdder count = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        final LongAdder rowsReturned = new LongAdder();
        final LongAdder rowsAffected = new LongAdder();
        final LongAdder shardQueries = new LongAdder();
        final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_NANOS, 2);
        final Instant firstSeen;
        volatile Instant lastSeen;

        Stats(Instant now) {
            firstSeen = now;
            lastSeen = now;
        }
    }

    private final ConcurrentHashMap<String, Stats> patterns = new ConcurrentHashMap<>();
    private final int maxPatterns;
    private final Clock clock;

    public QueryInsights() {
        this(DEFAULT_MAX_PATTERNS, Clock.systemUTC());
    }

    public QueryInsights(int maxPatterns, Clock clock) {
        this.maxPatterns = maxPatterns;
        this.clock = clock;
    }

    /** Records one execution of {@code pattern} (normalized SQL). */
    public void record(String pattern, long nanos, long rowsReturned, long rowsAffected, long shardQueries,
            boolean isError) {
        Stats s = patterns.get(pattern);
        if (s == null) {
            if (patterns.size() >= maxPatterns) {
                evictLeastUsed();
            }
            s = patterns.computeIfAbsent(pattern, p -> new Stats(clock.instant()));
        }
        s.count.increment();
        if (isError) {
            s.errors.increment();
        }
        long clamped = Math.min(Math.max(nanos, 0), MAX_NANOS);
        s.totalNanos.add(clamped);
        s.latency.recordValue(clamped);
        s.rowsReturned.add(rowsReturned);
        s.rowsAffected.add(rowsAffected);
        s.shardQueries.add(shardQueries);
        s.lastSeen = clock.instant();
    }

    private synchronized void evictLeastUsed() {
        if (patterns.size() < maxPatterns) {
            return;
        }
        patterns.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().count.sum()))
                .ifPresent(e -> patterns.remove(e.getKey()));
    }

    /** Every pattern's snapshot, most total time first. */
    public List<Snapshot> snapshots() {
        return snapshots(Sort.TOTAL);
    }

    /** Every pattern's snapshot in the given order. */
    public List<Snapshot> snapshots(Sort sort) {
        List<Snapshot> out = new ArrayList<>(patterns.size());
        for (Map.Entry<String, Stats> e : patterns.entrySet()) {
            Stats s = e.getValue();
            out.add(new Snapshot(e.getKey(), s.count.sum(), s.errors.sum(), s.totalNanos.sum() / 1e6,
                    s.latency.getValueAtPercentile(50) / 1e6, s.latency.getValueAtPercentile(95) / 1e6,
                    s.latency.getValueAtPercentile(99) / 1e6, s.rowsReturned.sum(), s.rowsAffected.sum(),
                    s.shardQueries.sum(), s.firstSeen, s.lastSeen));
        }
        out.sort(sort.order);
        return out;
    }

    /** The snapshots as the JSON array served at {@code /debug/querystats}. */
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ArrayNode array = json.createArrayNode();
        for (Snapshot s : snapshots()) {
            ObjectNode o = array.addObject();
            o.put("pattern", s.pattern());
            o.put("count", s.count());
            o.put("errors", s.errors());
            o.put("total_ms", s.totalMillis());
            o.put("p50_ms", s.p50Millis());
            o.put("p95_ms", s.p95Millis());
            o.put("p99_ms", s.p99Millis());
            o.put("rows_returned", s.rowsReturned());
            o.put("rows_affected", s.rowsAffected());
            o.put("shard_queries", s.shardQueries());
            o.put("first_seen", s.firstSeen().toString());
            o.put("last_seen", s.lastSeen().toString());
        }
        return array.toString();
    }

    /** The readable page served at {@code /debug/insights}, most total time first. */
    public String toHtml() {
        return toHtml(Sort.TOTAL);
    }

    /**
     * The readable page served at {@code /debug/insights}: a table in {@code sort}'s order, sortable by any
     * column in the browser (click a header; a URL fragment such as {@code #sort=p99} sorts on load).
     */
    public String toHtml(Sort sort) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Tessel query insights</title>")
                .append("<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:3px 6px}th{cursor:pointer;background:#eee}td.n{text-align:right}code{white-space:pre-wrap}")
                .append("</style></head><body><h1>Query insights</h1><table id=\"insights\"><thead><tr>");
        String[] columns = {"Pattern", "Count", "Errors", "Total ms", "p50 ms", "p95 ms", "p99 ms", "Rows returned",
            "Rows affected", "Shard queries", "First seen", "Last seen"};
        for (int i = 0; i < columns.length; i++) {
            h.append("<th data-key=\"").append(COLUMN_KEYS[i]).append("\" onclick=\"sortBy(").append(i).append(")\">")
                    .append(columns[i]).append("</th>");
        }
        h.append("</tr></thead><tbody data-sort=\"").append(sort.name().toLowerCase(java.util.Locale.ROOT)).append("\">");
        for (Snapshot s : snapshots(sort)) {
            h.append("<tr><td><code>").append(escape(s.pattern())).append("</code></td>");
            cell(h, Long.toString(s.count()));
            cell(h, Long.toString(s.errors()));
            cell(h, String.format("%.3f", s.totalMillis()));
            cell(h, String.format("%.3f", s.p50Millis()));
            cell(h, String.format("%.3f", s.p95Millis()));
            cell(h, String.format("%.3f", s.p99Millis()));
            cell(h, Long.toString(s.rowsReturned()));
            cell(h, Long.toString(s.rowsAffected()));
            cell(h, Long.toString(s.shardQueries()));
            h.append("<td>").append(s.firstSeen()).append("</td><td>").append(s.lastSeen()).append("</td></tr>");
        }
        h.append("</tbody></table><script>function sortBy(c){const b=document.querySelector('#insights tbody');")
                .append("const rows=[...b.rows];const num=c>0&&c<10;const dir=b.dataset.col==c&&b.dataset.dir=='d'?1:-1;")
                .append("rows.sort((x,y)=>{const a=x.cells[c].innerText,z=y.cells[c].innerText;")
                .append("return dir*(num?parseFloat(a)-parseFloat(z):a.localeCompare(z));});")
                .append("b.dataset.col=c;b.dataset.dir=dir<0?'d':'a';rows.forEach(r=>b.appendChild(r));}")
                .append("const m=location.hash.match(/sort=(\\w+)/);if(m){const i=[...document.querySelectorAll('#insights th')]")
                .append(".findIndex(t=>t.dataset.key==m[1]);if(i>=0)sortBy(i);}</script>")
                .append("</body></html>");
        return h.toString();
    }

    private static void cell(StringBuilder h, String value) {
        h.append("<td class=\"n\">").append(value).append("</td>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
