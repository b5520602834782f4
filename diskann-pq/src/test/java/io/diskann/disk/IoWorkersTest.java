package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Idle platform reader threads park without timed wake-ups, no task is ever left waiting, virtual threads run all. */
class IoWorkersTest {

    @Test
    void idleWorkersParkUntilWorkArrivesAndNoWakeUpIsLost() throws InterruptedException {
        try (IoWorkers workers = new IoWorkers(2, false)) {
            Thread.State[] idle = null;
            for (int i = 0; i < 200 && !allWaiting(idle = workers.states()); i++) {
                Thread.sleep(5);
            }
            assertArrayEquals(new Thread.State[] {Thread.State.WAITING, Thread.State.WAITING}, idle,
                    "idle workers park without a timeout");
            Random random = TestSeeds.random(5);
            AtomicInteger ran = new AtomicInteger();
            for (int round = 0; round < 2000; round++) {
                int tasks = 1 + random.nextInt(3);
                CountDownLatch done = new CountDownLatch(tasks);
                for (int t = 0; t < tasks; t++) {
                    workers.execute(() -> {
                        ran.incrementAndGet();
                        done.countDown();
                    });
                }
                assertTrue(done.await(5, TimeUnit.SECONDS), "round " + round + ": a task was left waiting");
                if (random.nextInt(50) == 0) {
                    Thread.sleep(2); // long enough for the workers to stop spinning and park
                } else {
                    LockSupport.parkNanos(random.nextInt(300_000));
                }
            }
            assertTrue(ran.get() >= 2000);
        }
    }

    /** The default: every task runs, each on a virtual thread, with no platform worker started. */
    @Test
    void virtualThreadsRunEveryTask() throws InterruptedException {
        try (IoWorkers workers = new IoWorkers(2, true)) {
            assertArrayEquals(new Thread.State[0], workers.states(), "no platform workers");
            AtomicInteger virtual = new AtomicInteger();
            for (int round = 0; round < 500; round++) {
                CountDownLatch done = new CountDownLatch(3);
                for (int t = 0; t < 3; t++) {
                    workers.execute(() -> {
                        virtual.addAndGet(Thread.currentThread().isVirtual() ? 1 : 0);
                        done.countDown();
                    });
                }
                assertTrue(done.await(5, TimeUnit.SECONDS), "round " + round + ": a task was left waiting");
            }
            assertTrue(virtual.get() == 1500, "tasks on virtual threads: " + virtual.get());
        }
    }

    private static boolean allWaiting(Thread.State[] states) {
        for (Thread.State s : states) {
            if (s != Thread.State.WAITING) {
                return false;
            }
        }
        return true;
    }
}
