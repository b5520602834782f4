package io.diskann.util;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * The one way this library runs work on several threads: a fixed number of named platform threads
 * (build, consolidation, PQ training and encoding are CPU-bound, so no pool is kept between calls),
 * joined before returning, with the first failure rethrown on the caller's thread.
 *
 * <p>Why not the common fork-join pool: callers size the work to the thread count they were configured
 * with (the index's {@code threads} parameter), and a library should not compete with the application's
 * own use of the common pool.
 */
public final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code task} on {@code threads} threads named {@code name-i} (on the calling thread when
     * {@code threads <= 1}) and waits for all of them.
     *
     * @param name prefix of the thread names
     * @param threads number of threads
     * @param task run once on each thread; the copies divide the work among themselves (a shared counter, say)
     * @throws RuntimeException or {@link Error} the first one a task threw (a checked exception, which
     *     a {@link Runnable} cannot throw, never arises); IllegalStateException if interrupted while waiting
     */
    public static void run(String name, int threads, Runnable task) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        if (threads <= 1) {
            guarded.run();
        } else {
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = Thread.ofPlatform().name(name + "-" + t).start(guarded);
            }
            for (Thread w : workers) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + name + " threads", e);
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    /**
     * Calls {@code body.accept(scratch, i)} for every i in {@code 0..n-1}, handing out blocks of
     * {@code block} indices to {@code threads} threads; each thread gets its own scratch from
     * {@code perThread}. Once one call fails, the other threads stop taking blocks.
     *
     * @param <S> the type of the per-thread scratch
     * @param name prefix of the thread names
     * @param threads number of threads
     * @param n number of indices
     * @param block indices taken at a time
     * @param perThread makes each thread's scratch
     * @param body the work for one index
     * @throws RuntimeException or {@link Error} the first one a call threw; IllegalStateException if
     *     interrupted while waiting
     */
    public static <S> void forEach(String name, int threads, int n, int block, Supplier<S> perThread,
                                   ObjIntConsumer<S> body) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        run(name, threads, () -> {
            S scratch = perThread.get();
            try {
                for (int from; failed.get() == null && (from = next.getAndAdd(block)) < n; ) {
                    int to = Math.min(n, from + block);
                    for (int i = from; i < to; i++) {
                        body.accept(scratch, i);
                    }
                }
            } catch (RuntimeException | Error e) {
                failed.compareAndSet(null, e);
                throw e;
            }
        });
    }
}
