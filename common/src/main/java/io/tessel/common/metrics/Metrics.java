package io.tessel.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon's meters: a Micrometer registry that components register on (injected, never static), and its
 * Prometheus text for {@code /metrics}. {@link #prometheus()} also binds the JVM's own meters (memory, GC,
 * threads, classes, CPU, uptime, file descriptors) and Netty's default allocator; {@link #none()} keeps
 * every meter a no-op, for tests and embedded use. Meter names are Micrometer's dotted names; Prometheus
 * shows them in snake case with the unit and {@code _total} suffixes (see docs/operations.md).
 * Thread-safe; {@link #close()} unbinds what needs it.
 */
public final class Metrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final List<AutoCloseable> binders;

    private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, List<AutoCloseable> binders) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.binders = binders;
    }

    /** A Prometheus registry with the JVM's and Netty's meters bound. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<AutoCloseable> closeables = new ArrayList<>();
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        List<MeterBinder> binders = new ArrayList<>(List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()));
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            binders.add(new NettyAllocatorMetrics(allocator));
        }
        binders.forEach(b -> b.bindTo(registry));
        return new Metrics(registry, registry, closeables);
    }

    /** Meters that record nothing: a composite registry with no registry behind it. */
    public static Metrics none() {
        return new Metrics(new CompositeMeterRegistry(), null, List.of());
    }

    /** Where components register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Whether {@link #scrape()} has anything to show. */
    public boolean isExported() {
        return prometheus != null;
    }

    /** Every meter in the Prometheus text format 0.0.4; empty for {@link #none()}. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        for (AutoCloseable c : binders) {
            try {
                c.close();
            } catch (Exception e) {
                // a binder that cannot unbind holds nothing the process needs at exit
            }
        }
        registry.close();
    }
}
