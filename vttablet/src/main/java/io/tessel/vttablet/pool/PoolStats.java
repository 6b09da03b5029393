package io.tessel.vttablet.pool;

/**
 * A snapshot of one pool's connection counts, for tests, logs and debug pages.
 *
 * @param active  connections handed out
 * @param idle    connections waiting in the pool
 * @param total   active plus idle
 * @param waiting callers blocked waiting for a connection
 * @param waiterCapRejections callers refused at once because too many were already waiting (counter)
 * @param timeouts callers refused after waiting the pool timeout for a connection (counter)
 */
public record PoolStats(int active, int idle, int total, int waiting, long waiterCapRejections, long timeouts) {}
