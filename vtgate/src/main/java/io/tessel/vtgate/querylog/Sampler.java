package io.tessel.vtgate.querylog;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Decides, per statement, whether the query log writes it. Implementations are thread-safe. */
@FunctionalInterface
public interface Sampler {
    /** True to log the statement about to run. */
    boolean sample();

    /** Each statement with probability {@code rate}: 0 never, 1 always (without drawing a number). */
    static Sampler rate(double rate) {
        if (rate >= 1) {
            return () -> true;
        }
        if (rate <= 0) {
            return () -> false;
        }
        return () -> ThreadLocalRandom.current().nextDouble() < rate;
    }

    /**
     * As {@link #rate(double)}, drawing from {@code random} (under its lock, as most generators are not
     * thread-safe): with a seeded generator the choices repeat, for tests.
     */
    static Sampler rate(double rate, RandomGenerator random) {
        if (rate >= 1) {
            return () -> true;
        }
        if (rate <= 0) {
            return () -> false;
        }
        return () -> {
            synchronized (random) {
                return random.nextDouble() < rate;
            }
        };
    }
}
