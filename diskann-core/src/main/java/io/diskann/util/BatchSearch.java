package io.diskann.util;

import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs many searches on an executor: {@code parallelism} tasks, each with one searcher, pulling blocks of
 * queries from a shared counter, so a batch costs one searcher per task and no per-query task objects.
 * The first failure stops the other tasks and is rethrown on the caller's thread, an invalid query
 * named by its position.
 */
public final class BatchSearch {

    /** Queries taken at a time: enough to amortise the counter, few enough to balance the tasks. */
    private static final int BLOCK = 16;

    private BatchSearch() {
    }

    /**
     * Searches every query with {@code params} on {@code executor}, with at most {@code parallelism} tasks
     * at once, each using a searcher from {@code searchers} (closed when the task ends); results in query
     * order. If the executor rejects a task, the caller's thread runs it.
     *
     * @param queries the query vectors
     * @param params how each search runs (its filter must be thread-safe)
     * @param executor runs the tasks
     * @param parallelism most tasks at once (fewer when there are fewer blocks of 16 queries)
     * @param searchers makes one searcher per task
     * @return one result per query, in query order
     * @throws IllegalArgumentException if {@code queries}, {@code params} or {@code executor} is null
     * @throws IllegalArgumentException naming the first bad query
     * @throws IllegalStateException if interrupted while waiting
     */
    public static SearchResult[] run(float[][] queries, SearchParams params, Executor executor, int parallelism,
                                     Supplier<Searcher> searchers) {
        if (queries == null || params == null || executor == null) {
            throw new IllegalArgumentException("queries, params and executor must not be null");
        }
        SearchResult[] out = new SearchResult[queries.length];
        int tasks = Math.max(1, Math.min(parallelism, (queries.length + BLOCK - 1) / BLOCK));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(tasks);
        Runnable task = () -> {
            try (Searcher s = searchers.get()) {
                for (int from; failure.get() == null && (from = next.getAndAdd(BLOCK)) < queries.length; ) {
                    int to = Math.min(queries.length, from + BLOCK);
                    for (int i = from; i < to; i++) {
                        try {
                            out[i] = s.search(queries[i], params);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("query " + i + ": " + e.getMessage(), e);
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } catch (Error e) {
                failure.compareAndSet(null, new IllegalStateException("batch search failed: " + e, e));
            } finally {
                done.countDown();
            }
        };
        for (int t = 0; t < tasks; t++) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IllegalStateException("interrupted while waiting for batch search", e));
            throw failure.get();
        }
        RuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
        return out;
    }
}
