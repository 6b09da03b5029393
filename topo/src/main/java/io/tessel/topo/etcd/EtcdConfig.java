package io.tessel.topo.etcd;

import io.tessel.topo.ConnPaths;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where and how an {@link EtcdTopoConn} connects: the etcd endpoints, the root its paths live under, the TTL
 * of its lock leases and the deadline of each call. Immutable; {@link #of} applies the defaults below.
 *
 * @param endpoints etcd client URLs, e.g. {@code http://127.0.0.1:2379}; at least one
 * @param root the absolute key prefix, normalized to {@code ""} (top) or {@code /a/b}, e.g. {@code /vitess/global}
 * @param leaseTtl the TTL of a lock's lease, whole seconds (etcd's unit), at least one second
 * @param callTimeout the deadline of every single call to etcd (lock waits have their own timeout)
 */
public record EtcdConfig(List<URI> endpoints, String root, Duration leaseTtl, Duration callTimeout) {
    /** Vitess's {@code --topo_etcd_lease_ttl}: a crashed holder's lock is released at most this long after. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    /** How long one call may take before it fails with TIMEOUT (an unreachable server fails sooner). */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

    public EtcdConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd: at least one endpoint is required");
        }
        root = ConnPaths.root(root);
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || leaseTtl.toNanosPart() != 0) {
            throw new IllegalArgumentException("etcd: lease TTL must be whole seconds, at least 1 s: " + leaseTtl);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("etcd: call timeout must be positive: " + callTimeout);
        }
    }

    /**
     * A config with the default lease TTL and call timeout.
     *
     * @param serverAddress comma-separated endpoints as in Vitess's {@code CellInfo.server_address}:
     *     {@code host:port} or {@code http://host:port}
     * @param root the absolute root, e.g. {@code /vitess/global}
     */
    public static EtcdConfig of(String serverAddress, String root) {
        return new EtcdConfig(parseEndpoints(serverAddress), root, DEFAULT_LEASE_TTL, DEFAULT_CALL_TIMEOUT);
    }

    public EtcdConfig withServerAddress(String serverAddress) {
        return new EtcdConfig(parseEndpoints(serverAddress), root, leaseTtl, callTimeout);
    }

    public EtcdConfig withRoot(String newRoot) {
        return new EtcdConfig(endpoints, newRoot, leaseTtl, callTimeout);
    }

    public EtcdConfig withLeaseTtl(Duration ttl) {
        return new EtcdConfig(endpoints, root, ttl, callTimeout);
    }

    public EtcdConfig withCallTimeout(Duration timeout) {
        return new EtcdConfig(endpoints, root, leaseTtl, timeout);
    }

    /** The endpoints as a comma-separated list, the form {@link #of} reads. */
    public String serverAddress() {
        return endpoints.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** Parses {@code host:port,http://host:port,...}; a missing scheme means {@code http}. */
    static List<URI> parseEndpoints(String serverAddress) {
        Objects.requireNonNull(serverAddress, "serverAddress");
        return Arrays.stream(serverAddress.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.contains("://") ? s : "http://" + s))
                .toList();
    }
}
