package io.diskann.disk;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that issue a search round's extra reads in direct mode. Why not an executor: a read takes
 * ~50 us, and waking a parked pool thread costs a good part of that on a small VM, which made parallel
 * reads no faster than sequential ones here. These workers spin briefly for the next task before they
 * park, so back-to-back rounds hand reads over without a wake-up.
 */
final class IoWorkers implements AutoCloseable {

    /** How long an idle worker spins before it parks: a few reads' worth. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread[] threads;
    /** Set by a worker before it parks, cleared by whoever wakes it: a parked worker is woken once per task. */
    private final AtomicBoolean[] parked;
    private volatile boolean closed;

    IoWorkers(int count) {
        threads = new Thread[count];
        parked = new AtomicBoolean[count];
        for (int i = 0; i < count; i++) {
            int worker = i;
            parked[i] = new AtomicBoolean();
            threads[i] = new Thread(() -> loop(worker), "diskann-disk-io-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    void execute(Runnable task) {
        if (closed) {
            task.run(); // no worker is left to run it: the caller does, rather than wait forever
            return;
        }
        tasks.offer(task);
        for (int i = 0; i < threads.length; i++) {
            if (parked[i].compareAndSet(true, false)) {
                LockSupport.unpark(threads[i]);
                break;
            }
        }
    }

    /**
     * Runs tasks; spins a little when idle, then parks until a task arrives. No timed wake-ups: the
     * worker announces that it parks and looks at the queue once more, so a task offered at any moment
     * either is seen by that look or finds the announcement and unparks the worker.
     */
    private void loop(int worker) {
        long idleSince = System.nanoTime();
        while (!closed) {
            Thread.interrupted(); // an interrupt would make park return at once: a busy spin
            Runnable r = tasks.poll();
            if (r != null) {
                try {
                    r.run();
                } catch (Throwable ignored) {
                    // tasks report their own failures (ReadTask records them); the worker must survive
                }
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                parked[worker].set(true);
                if (tasks.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                parked[worker].set(false);
                idleSince = System.nanoTime();
            }
        }
        for (Runnable r; (r = tasks.poll()) != null; ) { // closed: run what is left, no caller waits forever
            try {
                r.run();
            } catch (Throwable ignored) {
                // as above
            }
        }
    }

    /** The workers' states (tests: idle workers park without a timeout). */
    Thread.State[] states() {
        Thread.State[] s = new Thread.State[threads.length];
        for (int i = 0; i < threads.length; i++) {
            s[i] = threads[i].getState();
        }
        return s;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
