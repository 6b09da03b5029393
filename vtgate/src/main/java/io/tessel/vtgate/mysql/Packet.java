package io.tessel.vtgate.mysql;

import io.netty.buffer.ByteBuf;

/**
 * One logical MySQL packet: the payload with framing removed and 16 MiB continuations joined.
 * {@code firstSequenceId} is the sequence id of the first wire packet, {@code sequenceId} that of the
 * last; a reply continues at {@code sequenceId + 1}. The receiver owns {@code payload} and releases it.
 */
public record Packet(int firstSequenceId, int sequenceId, ByteBuf payload) {}
