package io.diskann.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An index's own search threads, for batch searches: created on first use, {@code threads} daemon
 * platform threads named {@code name-i}, shut down by {@link #close()}.
 *
 * <p>Why its own: the common fork-join pool is the application's, and its parallelism is not the
 * index's configured thread count. Daemon threads never keep a JVM alive after the application ends.
 */
public final class SearchThreads implements AutoCloseable {

    private final String name;
    private final int threads;
    private ExecutorService pool;
    private boolean closed;

    /**
     * Search threads, not yet started.
     *
     * @param name prefix of the thread names
     * @param threads number of threads (at least 1)
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public SearchThreads(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.name = name;
        this.threads = threads;
    }

    /**
     * Number of threads.
     *
     * @return the thread count given at construction
     */
    public int threads() {
        return threads;
    }

    /**
     * The executor, created on first call.
     *
     * @return a fixed pool of {@link #threads()} daemon threads
     * @throws IllegalStateException if closed
     */
    public synchronized ExecutorService executor() {
        if (closed) {
            throw new IllegalStateException("the index is closed");
        }
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads,
                    r -> Thread.ofPlatform().name(name + "-" + n.getAndIncrement()).daemon(true).unstarted(r));
        }
        return pool;
    }

    /** Shuts the threads down (running searches finish); {@link #executor()} throws afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }
}
