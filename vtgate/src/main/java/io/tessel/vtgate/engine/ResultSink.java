package io.tessel.vtgate.engine;

import io.tessel.proto.Query.QueryResult;

/**
 * Where a streaming execution ({@link Primitive#stream}) sends its result, part by part, as Vitess's stream
 * callback: the first part carries the fields (and possibly rows), later parts only rows; a statement that
 * returns no rows sends one part with its counts. Calls are made one at a time (each happens-before the
 * next), not necessarily from the thread that started the stream. A sink may block to slow the producer
 * down (a client that reads slowly); that is how backpressure reaches the shards.
 */
@FunctionalInterface
public interface ResultSink {
    /**
     * Takes the next part of the result.
     *
     * @return false when no more parts are wanted (a LIMIT is satisfied): the producer stops and cancels its
     *         work on the shards
     */
    boolean accept(QueryResult part);
}
