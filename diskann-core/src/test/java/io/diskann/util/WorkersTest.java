package io.diskann.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyIndexIsVisitedOnceWithPerThreadScratch() {
        int n = 10_007;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        var scratches = ConcurrentHashMap.<Object>newKeySet();
        Workers.forEach("test", 3, n, 64, Object::new, (scratch, i) -> {
            scratches.add(scratch);
            seen.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "index " + i);
        }
        assertTrue(scratches.size() <= 3, "one scratch per thread, got " + scratches.size());
    }

    @Test
    void theFirstFailureReachesTheCallerAndStopsTheOthers() {
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Workers.forEach("test", 2, 1_000_000, 1, () -> null, (s, i) -> {
                    calls.incrementAndGet();
                    if (i == 10) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertTrue(calls.get() < 1_000_000, "workers stop taking blocks after a failure");
        assertThrows(OutOfMemoryError.class, () -> Workers.run("test", 2, () -> {
            throw new OutOfMemoryError("simulated");
        }));
    }

    @Test
    void oneThreadRunsOnTheCaller() {
        Thread caller = Thread.currentThread();
        Workers.run("test", 1, () -> assertSame(caller, Thread.currentThread()));
    }
}
