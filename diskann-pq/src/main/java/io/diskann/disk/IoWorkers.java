package io.diskann.disk;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
    private volatile boolean closed;

    IoWorkers(int count) {
        threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(this::loop, "diskann-disk-io-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    void execute(Runnable task) {
        tasks.offer(task);
        for (Thread t : threads) {
            if (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING) {
                LockSupport.unpark(t);
                break;
            }
        }
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (!closed) {
            Runnable r = tasks.poll();
            if (r != null) {
                r.run();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
