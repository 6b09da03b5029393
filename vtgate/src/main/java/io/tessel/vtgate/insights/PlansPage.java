package io.tessel.vtgate.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessel.common.http.DaemonHttpServer;
import io.tessel.common.status.StatusPage;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.plan.PlanCache;
import io.tessel.vtgate.plan.PlanKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * vtgate's {@code /debug/plans}: the plan cache's entries, each with its key (target and normalized SQL),
 * plan type, keyspace and the plan tree as {@code VEXPLAIN PLAN} prints it, joined with the pattern's
 * executions from {@link QueryInsights} (count, errors, total time; per normalized SQL over every
 * target, and absent for plans insights does not see, such as lookup vindex queries). Most executed first;
 * at most {@code ?limit=} plans (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}). JSON by
 * default, HTML with {@code ?format=html}. Normalized SQL holds bind variables, never literals. Stateless
 * apart from its sources.
 */
public final class PlansPage {
    public static final String PATH = "/debug/plans";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cached plan with its pattern's numbers ({@code stats} null when insights has none). */
    record Entry(PlanKey key, Plan plan, QueryInsights.Snapshot stats) {
        long count() {
            return stats == null ? 0 : stats.count();
        }
    }

    private final PlanCache<Plan> plans;
    private final QueryInsights insights;

    public PlansPage(PlanCache<Plan> plans, QueryInsights insights) {
        this.plans = plans;
        this.insights = insights;
    }

    /** The answer for {@code ?format=json|html&limit=N}. */
    public DaemonHttpServer.Response respond(Map<String, String> params) {
        int limit = limit(params.get("limit"));
        return switch (params.getOrDefault("format", "json")) {
            case "json", "" -> new DaemonHttpServer.Response("application/json; charset=utf-8", json(limit));
            case "html" -> new DaemonHttpServer.Response("text/html; charset=utf-8", html(limit));
            default -> throw new DaemonHttpServer.BadRequest("format must be json or html, not " + params.get("format"));
        };
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DaemonHttpServer.BadRequest("limit must be a number from 1 to " + MAX_LIMIT + ", not " + value);
    }

    /** Every cached plan (the cache holds at most a few thousand), most executed first, cut to {@code limit}. */
    List<Entry> entries(int limit) {
        Map<String, QueryInsights.Snapshot> stats = new HashMap<>();
        for (QueryInsights.Snapshot s : insights.snapshots()) {
            stats.put(s.pattern(), s);
        }
        List<Entry> out = new ArrayList<>();
        plans.snapshot(Integer.MAX_VALUE).forEach((key, plan) ->
                out.add(new Entry(key, plan, stats.get(key.normalizedSql()))));
        out.sort(Comparator.comparingLong(Entry::count).reversed()
                .thenComparing(e -> e.key().normalizedSql()).thenComparing(e -> e.key().keyspaceTarget()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** {@code {"cached": n, "shown": m, "plans": [...]}}. */
    public String json(int limit) {
        List<Entry> entries = entries(limit);
        ObjectNode o = JSON.createObjectNode();
        o.put("cached", plans.size());
        o.put("shown", entries.size());
        ArrayNode array = o.putArray("plans");
        for (Entry e : entries) {
            ObjectNode p = array.addObject();
            p.put("target", e.key().keyspaceTarget());
            p.put("sql", e.key().normalizedSql());
            p.put("settings", e.key().settingsBits());
            p.put("plan_type", e.plan().type());
            p.put("keyspace", e.plan().keyspace());
            p.put("read_only", e.plan().isReadOnly());
            if (e.stats() != null) {
                p.put("executions", e.stats().count());
                p.put("errors", e.stats().errors());
                p.put("total_ms", e.stats().totalMillis());
            }
            p.set("plan", e.plan().root().describeTree().toJson());
        }
        return o.toPrettyString();
    }

    /** The same as a table, each plan as its indented text tree. */
    public String html(int limit) {
        List<Entry> entries = entries(limit);
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Tessel cached plans</title><style>")
                .append("body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:3px 6px;vertical-align:top;text-align:left}th{background:#eee}pre{margin:0}</style>")
                .append("</head><body><h1>Cached plans</h1><p>").append(entries.size()).append(" of ")
                .append(plans.size()).append(" cached plans</p><table id=\"plans\"><tr><th>Target</th><th>SQL</th>")
                .append("<th>Type</th><th>Executions</th><th>Total ms</th><th>Plan</th></tr>");
        for (Entry e : entries) {
            h.append("<tr><td>").append(StatusPage.escape(e.key().keyspaceTarget())).append("</td><td><code>")
                    .append(StatusPage.escape(e.key().normalizedSql())).append("</code></td><td>")
                    .append(StatusPage.escape(e.plan().type())).append("</td><td>")
                    .append(e.stats() == null ? "" : Long.toString(e.stats().count())).append("</td><td>")
                    .append(e.stats() == null ? "" : String.format("%.3f", e.stats().totalMillis())).append("</td><td><pre>")
                    .append(StatusPage.escape(e.plan().root().describeTree().toText())).append("</pre></td></tr>");
        }
        return h.append("</table></body></html>").toString();
    }
}
