package io.tessel.vtgate.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * vtgate's transaction settings, fixed at start: the sessions' default {@code transaction_mode}
 * ({@code --transaction-mode}), how old an atomic transaction's decision record or prepared branch must be
 * before the resolver finishes it ({@code --twopc-abandon-age}), and the test-only fault ({@link TwoPcFault}).
 *
 * @param defaultMode the mode new sessions start with
 * @param abandonAge  the resolver's abandon age, at least one second
 * @param fault       {@link TwoPcFault#NONE} outside crash tests
 */
public record TransactionSettings(TransactionMode defaultMode, Duration abandonAge, TwoPcFault fault) {
    public static final Duration DEFAULT_ABANDON_AGE = Duration.ofSeconds(30);
    public static final TransactionSettings DEFAULTS =
            new TransactionSettings(TransactionMode.MULTI, DEFAULT_ABANDON_AGE, TwoPcFault.NONE);

    public TransactionSettings {
        Objects.requireNonNull(defaultMode, "defaultMode");
        Objects.requireNonNull(fault, "fault");
        if (abandonAge.toSeconds() < 1) {
            throw new IllegalArgumentException("--twopc-abandon-age must be at least 1s, not " + abandonAge);
        }
    }

    /** Settings from the flag values: {@code --transaction-mode} (SINGLE, MULTI, TWOPC), {@code --twopc-abandon-age}. */
    public static TransactionSettings of(String mode, Duration abandonAge) {
        TransactionMode parsed;
        try {
            parsed = TransactionMode.parse(mode);
        } catch (io.tessel.common.errors.VtException e) {
            throw new IllegalArgumentException("--transaction-mode must be SINGLE, MULTI or TWOPC, not " + mode);
        }
        return new TransactionSettings(parsed, abandonAge, TwoPcFault.fromEnvironment());
    }
}
