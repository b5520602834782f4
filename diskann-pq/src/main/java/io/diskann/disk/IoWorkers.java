package io.diskann.disk;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues a search round's extra reads in direct mode when kernel AIO is not used ({@link DiskOptions#kernelAio}).
 *
 * <p>By default each read runs on a virtual thread. Measured on Fashion-MNIST in direct mode through
 * {@code FileChannel} (2-core VM, L=20, docs/PERFORMANCE.md section 30): 644-746 QPS at W=2 with virtual threads,
 * 534-582 reading one after another, 548-710 with one spinning platform worker and 263-429 with two. The
 * spinning workers were written for a VM where waking a parked pool thread cost a good part of a 50 us read;
 * on two cores their spinning takes the CPU the search needs. They remain behind
 * {@code -Ddiskann.ioVirtualThreads=false} for measurement: they spin briefly for the next task before they
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
    /** Each task on a new virtual thread; no platform workers. */
    private final boolean virtual;

    /**
     * @param count platform workers (when not {@code virtual})
     * @param virtual run each task on a virtual thread instead
     */
    IoWorkers(int count, boolean virtual) {
        this.virtual = virtual;
        int platform = virtual ? 0 : count;
        threads = new Thread[platform];
        parked = new AtomicBoolean[platform];
        for (int i = 0; i < platform; i++) {
            int worker = i;
            parked[i] = new AtomicBoolean();
            threads[i] = new Thread(() -> loop(worker), "diskann-disk-io-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * Whether reads run on virtual threads (default true; {@code -Ddiskann.ioVirtualThreads=false} starts the
     * spinning platform workers instead: a developer switch for A/B measurements).
     */
    static final boolean VIRTUAL_THREADS = !"false".equals(System.getProperty("diskann.ioVirtualThreads"));

    /** Workers as {@link #VIRTUAL_THREADS} says. */
    IoWorkers(int count) {
        this(count, VIRTUAL_THREADS);
    }

    void execute(Runnable task) {
        if (virtual) {
            Thread.startVirtualThread(task);
            return;
        }
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
