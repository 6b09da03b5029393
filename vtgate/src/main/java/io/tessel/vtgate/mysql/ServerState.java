package io.tessel.vtgate.mysql;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.common.lifecycle.ShutdownWait;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the MySQL server's connections share: the open connections, the commands running, the lame-duck
 * flag, and who hears about each error sent to a client (vtgate's error meters). In lame duck, a new
 * connection gets {@link #shutdownError()} instead of the handshake, and so does a command on a connection
 * outside a transaction; commands running and commands of open transactions continue. Thread-safe.
 */
public final class ServerState {
    private final ChannelGroup connections = new DefaultChannelGroup("vtgate-mysql", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean isLameDuck;
    private volatile Consumer<VtException> errorObserver = e -> { };

    /** The error of a refused connection or command: ER_SERVER_SHUTDOWN (1053), retryable on another vtgate. */
    public static VtException shutdownError() {
        return VtException.of(ErrorCode.UNAVAILABLE, SqlError.ER_SERVER_SHUTDOWN, "Server shutdown in progress");
    }

    /** Tracks a new connection until it closes. */
    void add(Channel channel) {
        connections.add(channel);
    }

    /** Client connections open now, authenticated or not. */
    public int openConnections() {
        return connections.size();
    }

    /** Commands running now. */
    public int commandsInFlight() {
        return inFlight.get();
    }

    void commandStarted() {
        inFlight.incrementAndGet();
    }

    void commandFinished() {
        inFlight.decrementAndGet();
    }

    public boolean isLameDuck() {
        return isLameDuck;
    }

    /** From now on new connections, and new work outside transactions, are refused with {@link #shutdownError()}. */
    public void enterLameDuck() {
        isLameDuck = true;
    }

    /** Who hears about every error sent to a client, on the thread that sends it; it must not block. */
    public void setErrorObserver(Consumer<VtException> observer) {
        errorObserver = Objects.requireNonNull(observer, "observer");
    }

    void onError(VtException e) {
        try {
            errorObserver.accept(e);
        } catch (RuntimeException ignored) {
            // a metrics failure must not change what the client sees
        }
    }

    /** Connections that would lose work if closed now: a command running, or a transaction open. */
    public int busyConnections() {
        int busy = 0;
        for (Channel ch : connections) {
            CommandHandler handler = ch.pipeline().get(CommandHandler.class);
            if (handler != null && handler.isBusy()) {
                busy++;
            }
        }
        return busy;
    }

    /**
     * Waits until every client connection has closed (in lame duck an idle one closes when its client next
     * sends a command, which gets {@link #shutdownError()}, or closes it); false when {@code timeout} passed first.
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return ShutdownWait.until(connections::isEmpty, timeout);
    }

    /** Waits until no connection is busy; false when {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return ShutdownWait.until(() -> busyConnections() == 0, timeout);
    }
}
