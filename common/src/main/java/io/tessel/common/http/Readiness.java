package io.tessel.common.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a daemon should get traffic, for {@code /readyz}: not before its check is installed (it is still
 * starting), never once it drains (SIGTERM), and in between whenever its check finds no problem. The check
 * runs on each call, on the caller's thread, so it must be quick and must not block on remote systems for
 * long. Thread-safe.
 */
public final class Readiness {
    /** A daemon's own condition for serving; returns the reason it is not ready, or empty when it is. */
    @FunctionalInterface
    public interface Check {
        Optional<String> problem();
    }

    /** The answer to one readiness question; {@code reason} is empty when ready. */
    public record Status(boolean isReady, String reason) {
        static final Status READY = new Status(true, "");

        static Status notReady(String reason) {
            return new Status(false, reason);
        }
    }

    private volatile Check check;
    private volatile String drainReason;

    /** A daemon that is starting: not ready until {@link #setCheck} is called. */
    public Readiness() {
    }

    /** A daemon ready whenever {@code check} finds no problem. */
    public Readiness(Check check) {
        this.check = Objects.requireNonNull(check, "check");
    }

    /** Installs the daemon's check once its components are up. */
    public void setCheck(Check value) {
        check = Objects.requireNonNull(value, "check");
    }

    /** Stops readiness for good, e.g. on SIGTERM; later calls keep the first reason. */
    public void drain(String reason) {
        if (drainReason == null) {
            drainReason = Objects.requireNonNull(reason, "reason");
        }
    }

    public boolean isDraining() {
        return drainReason != null;
    }

    /** Ready or not, and why not; a check that throws counts as not ready with its message. */
    public Status status() {
        String drain = drainReason;
        if (drain != null) {
            return Status.notReady(drain);
        }
        Check c = check;
        if (c == null) {
            return Status.notReady("starting");
        }
        try {
            return c.problem().map(Status::notReady).orElse(Status.READY);
        } catch (RuntimeException e) {
            return Status.notReady("readiness check failed: " + e.getMessage());
        }
    }
}
