package io.tessel.vtgate.gateway;

import java.time.Duration;

/**
 * vtgate's buffering of calls to a shard that has no serving tablet for a moment (a tablet restarting, a
 * failover), Vitess's {@code --enable_buffer} family. A call outside a transaction waits up to {@code window}
 * for a serving tablet to appear and then runs; at most {@code size} calls wait at once over all shards; once a
 * shard has been without a serving tablet for longer than {@code maxFailoverDuration}, its calls fail at once
 * again until it serves. See docs/operations.md ("Buffering").
 */
public record BufferConfig(boolean isEnabled, Duration window, int size, Duration maxFailoverDuration) {
    /** No buffering: a shard without a serving tablet fails its calls at once. */
    public static final BufferConfig DISABLED = new BufferConfig(false, Duration.ZERO, 0, Duration.ZERO);

    public BufferConfig {
        if (isEnabled) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("--buffer-window must be positive, not " + window);
            }
            if (size < 1) {
                throw new IllegalArgumentException("--buffer-size must be at least 1, not " + size);
            }
            if (maxFailoverDuration.compareTo(window) < 0) {
                throw new IllegalArgumentException("--buffer-max-failover-duration (" + maxFailoverDuration
                        + ") must be at least --buffer-window (" + window + ")");
            }
        }
    }

    /** The daemon's defaults (Vitess's numbers): on, a 10 s window, 1000 calls, 20 s per failover. */
    public static BufferConfig defaults() {
        return new BufferConfig(true, Duration.ofSeconds(10), 1000, Duration.ofSeconds(20));
    }
}
