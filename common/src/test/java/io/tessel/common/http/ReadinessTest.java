package io.tessel.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    @Test
    void notReadyUntilTheCheckIsInstalled() {
        Readiness r = new Readiness();
        assertEquals(new Readiness.Status(false, "starting"), r.status());
        r.setCheck(Optional::empty);
        assertEquals(new Readiness.Status(true, ""), r.status());
    }

    @Test
    void followsTheCheckUntilDrained() {
        AtomicReference<String> problem = new AtomicReference<>("no serving tablet for ks/-80");
        Readiness r = new Readiness(() -> Optional.ofNullable(problem.get()));
        assertEquals(new Readiness.Status(false, "no serving tablet for ks/-80"), r.status());
        problem.set(null);
        assertTrue(r.status().isReady());
        assertFalse(r.isDraining());

        r.drain("shutting down");
        r.drain("a second reason is ignored");
        assertTrue(r.isDraining());
        assertEquals(new Readiness.Status(false, "shutting down"), r.status(), "draining beats a passing check");
    }

    @Test
    void aFailingCheckIsNotReady() {
        Readiness r = new Readiness(() -> {
            throw new IllegalStateException("topology closed");
        });
        assertEquals(new Readiness.Status(false, "readiness check failed: topology closed"), r.status());
    }
}
