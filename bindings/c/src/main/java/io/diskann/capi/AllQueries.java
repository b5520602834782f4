package io.diskann.capi;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs one task per query in parallel and returns only when every task has finished, even when some
 * fail: a batch reads the caller's memory (queries, a bitset filter), so no task may outlive the call.
 * The first failure is rethrown afterwards.
 */
final class AllQueries {
    private AllQueries() {
    }

    static void run(int n, IntConsumer task) {
        AtomicReference<Throwable> first = new AtomicReference<>();
        IntStream.range(0, n).parallel().forEach(i -> {
            if (first.get() != null) {
                return; // a query failed: skip the rest, but this task has ended before the call returns
            }
            try {
                task.accept(i);
            } catch (Throwable t) {
                first.compareAndSet(null, t);
            }
        });
        Throwable t = first.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
