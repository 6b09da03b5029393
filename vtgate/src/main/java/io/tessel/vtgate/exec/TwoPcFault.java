package io.tessel.vtgate.exec;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only fault in vtgate's two-phase commit, for the crash tests: at {@code point} (after every
 * participant prepared, or after the commit decision) vtgate halts at once, as kill -9 would, or pauses
 * for {@code pauseMillis} so a test can kill a tablet. Set by the hidden environment variable
 * {@value #ENV} ({@code after-prepare:halt}, {@code after-decision:pause=3000}); never set in production.
 *
 * @param point       where the fault strikes; {@link Point#NONE} for never
 * @param pauseMillis how long to pause, or negative to halt the JVM
 */
public record TwoPcFault(Point point, long pauseMillis) {
    public static final String ENV = "TESSEL_TWOPC_TEST_FAULT";
    public static final TwoPcFault NONE = new TwoPcFault(Point.NONE, 0);
    private static final Logger log = LoggerFactory.getLogger(TwoPcFault.class);

    /** Where in a two-phase commit a fault may strike. */
    public enum Point { NONE, AFTER_PREPARE, AFTER_DECISION }

    /** The fault {@value #ENV} names, {@link #NONE} when it is unset or empty. */
    public static TwoPcFault fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /** Parses {@code after-prepare:halt} or {@code after-decision:pause=MILLIS}. */
    public static TwoPcFault parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
        Point point = switch (parts[0]) {
            case "after-prepare" -> Point.AFTER_PREPARE;
            case "after-decision" -> Point.AFTER_DECISION;
            default -> throw new IllegalArgumentException(ENV + ": unknown point " + parts[0]);
        };
        String action = parts.length > 1 ? parts[1] : "halt";
        if (action.equals("halt")) {
            return new TwoPcFault(point, -1);
        }
        if (action.startsWith("pause=")) {
            return new TwoPcFault(point, Long.parseLong(action.substring("pause=".length())));
        }
        throw new IllegalArgumentException(ENV + ": unknown action " + action);
    }

    /** Strikes if {@code at} is this fault's point. */
    void strike(Point at, String dtid) {
        if (at != point || point == Point.NONE) {
            return;
        }
        if (pauseMillis < 0) {
            log.warn("vtgate: twopc test fault: halting {} of {}", at, dtid);
            Runtime.getRuntime().halt(137);
        }
        log.warn("vtgate: twopc test fault: pausing {} ms {} of {}", pauseMillis, at, dtid);
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
