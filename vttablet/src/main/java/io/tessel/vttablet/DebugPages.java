package io.tessel.vttablet;

import io.tessel.common.http.DaemonHttpServer;
import io.tessel.vttablet.consolidate.ConsolidatedQueries;
import io.tessel.vttablet.server.TabletServer;
import io.tessel.vttablet.txserializer.TxSerializer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tablet's debug pages on its HTTP server ({@code --http-port}), read-only and plain:
 * <ul>
 * <li>{@code /debug/consolidations}: the most consolidated queries, one {@code count: sql} line each, most
 *     first (Vitess's format);</li>
 * <li>{@code /debug/hotrows}: rows with transactions running or queued under hot-row protection, one
 *     {@code transactions: table where ...} line each;</li>
 * <li>{@code /debug/vars}: the protection counters and pool counts as one JSON object, under their
 *     Prometheus names.</li>
 * </ul>
 * The pages show SQL with its literals, so keep the HTTP port private. Stateless.
 */
public final class DebugPages {
    /** Where the pages get their content. */
    public record Pages(Supplier<List<ConsolidatedQueries.Count>> consolidations,
                        Supplier<List<TxSerializer.QueueLength>> hotRows, Supplier<Map<String, Long>> vars) {
        public static Pages of(TabletServer tablet) {
            return new Pages(tablet::consolidatedQueries, tablet::hotRows, () -> tablet.stats().metrics());
        }
    }

    private DebugPages() {}

    /** Adds the three pages to {@code http}. */
    public static void addTo(DaemonHttpServer http, Pages pages) {
        http.addPage("/debug/consolidations", "text/plain; charset=utf-8", () -> consolidations(pages));
        http.addPage("/debug/hotrows", "text/plain; charset=utf-8", () -> hotRows(pages));
        http.addPage("/debug/vars", "application/json; charset=utf-8", () -> vars(pages));
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
}
