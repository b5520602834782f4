package io.diskann.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Single-thread queries per second that holds still on a noisy machine: the query set is run again and
 * again for a given time, each block of {@link SearchSweep#BLOCK} consecutive queries keeps its fastest
 * time, and the rate is the set's size over the sum of those times (every query counted once). The same
 * estimator as {@link SearchSweep}'s rows; see {@link SearchSweep.Timing} for why.
 */
final class BlockTimer {
    private BlockTimer() {
    }

    /** Runs {@code search.accept(i)} for i in [0, n) repeatedly, for at least {@code seconds}. */
    static double qps(int n, double seconds, IntConsumer search) {
        if (n < 1) {
            throw new IllegalArgumentException("no queries to time");
        }
        int blockSize = SearchSweep.BLOCK;
        long[] best = new long[(n + blockSize - 1) / blockSize];
        Arrays.fill(best, Long.MAX_VALUE);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (int b = 0; b < best.length; b++) {
                long t0 = System.nanoTime();
                for (int i = b * blockSize, last = Math.min(n, i + blockSize); i < last; i++) {
                    search.accept(i);
                }
                best[b] = Math.min(best[b], System.nanoTime() - t0);
            }
        } while (System.nanoTime() < end);
        long total = 0;
        for (long t : best) {
            total += t;
        }
        return n / (total / 1e9);
    }
}
