package io.diskann.bench;

import io.diskann.bench.data.IntMatrix;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.index.VectorIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Measures an index over a sweep of (k, L): recall@k against ground truth, single-thread QPS and latency
 * percentiles, QPS with all threads, and distance computations and hops per query. Timings exclude
 * loading; the index is warmed up first.
 */
final class SearchSweep {

    /** One measured (k, L) combination. */
    record Row(int k, int listSize, int beamWidth, double recall, double qps, double qpsAllThreads, double meanUs,
               double p50Us, double p95Us, double p99Us, double distComps, double hops) {
    }

    /** The parameters of the search measured for one (k, L). */
    interface ParamsFn {
        SearchParams params(int k, int listSize);
    }

    private final Supplier<Searcher> searchers;
    private final ParamsFn paramsFn;
    private final float[][] queries;
    private final IntMatrix truth;
    private final int threads;

    SearchSweep(VectorIndex index, float[][] queries, IntMatrix truth, int threads, int beamWidth) {
        this(index::searcher, (k, l) -> SearchParams.builder(k).listSize(l).beamWidth(beamWidth).build(), queries,
                truth, threads);
    }

    SearchSweep(Supplier<Searcher> searchers, ParamsFn paramsFn, float[][] queries, IntMatrix truth, int threads) {
        this.searchers = searchers;
        this.paramsFn = paramsFn;
        this.queries = queries;
        this.truth = truth;
        this.threads = threads;
    }

    /** Runs every valid (k, L) pair (L >= k), printing a table row as each finishes. */
    List<Row> run(int[] ks, int[] listSizes) throws InterruptedException {
        warmUp(ks, listSizes);
        List<Row> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%5s %4s %8s %9s %10s %9s %9s %9s %10s %7s%n", "L", "k", "recall", "QPS(1t)",
                "QPS(" + threads + "t)", "p50_us", "p99_us", "mean_us", "dist_comps", "hops");
        for (int k : ks) {
            if (truth != null && truth.cols() < k) {
                System.out.printf(Locale.ROOT, "(k=%d skipped: ground truth has only %d neighbours per query)%n", k, truth.cols());
                continue;
            }
            for (int l : listSizes) {
                if (l < k) {
                    continue;
                }
                Row r = measure(k, l);
                rows.add(r);
                System.out.printf(Locale.ROOT, "%5d %4d %8s %9.0f %10.0f %9.1f %9.1f %9.1f %10.1f %7.1f%n", l, k,
                        Double.isNaN(r.recall()) ? "-" : String.format(Locale.ROOT, "%.4f", r.recall()), r.qps(),
                        r.qpsAllThreads(), r.p50Us(), r.p99Us(), r.meanUs(), r.distComps(), r.hops());
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no (k, L) pair with L >= k to measure");
        }
        return rows;
    }

    private void warmUp(int[] ks, int[] listSizes) {
        long end = System.nanoTime() + 3_000_000_000L;
        int maxL = Arrays.stream(listSizes).max().orElse(100);
        int k = Math.min(Arrays.stream(ks).min().orElse(10), maxL);
        try (Searcher s = searchers.get()) {
            for (int round = 0; round < 3 && System.nanoTime() < end; round++) {
                for (int i = 0; i < queries.length && System.nanoTime() < end; i++) {
                    int l = round == 0 ? maxL : Math.max(k, listSizes[i % listSizes.length]);
                    s.search(queries[i], paramsFn.params(k, l));
                }
            }
        }
    }

    private Row measure(int k, int listSize) throws InterruptedException {
        int n = queries.length;
        long[] latencies = new long[n];
        int[][] found = new int[n][];
        long comps = 0;
        long hops = 0;
        SearchParams params = paramsFn.params(k, listSize);
        double seconds;
        try (Searcher s = searchers.get()) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                SearchResult r = s.search(queries[i], params);
                latencies[i] = System.nanoTime() - t0;
                found[i] = r.ids();
                comps += r.distanceComputations();
                hops += r.hops();
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        double recall = Double.NaN;
        if (truth != null) {
            long hits = 0;
            for (int i = 0; i < n; i++) {
                hits += Recall.hits(found[i], truth, i, k);
            }
            recall = hits / (double) ((long) n * k);
        }
        double qpsAll = allThreads(k, listSize);
        Arrays.sort(latencies);
        double mean = Arrays.stream(latencies).average().orElse(0) / 1e3;
        return new Row(k, listSize, params.beamWidth(), recall, n / seconds, qpsAll, mean, percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99), comps / (double) n, hops / (double) n);
    }

    /** QPS when {@link #threads} threads share the queries. */
    private double allThreads(int k, int listSize) throws InterruptedException {
        if (threads <= 1) {
            return Double.NaN;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        SearchParams params = paramsFn.params(k, listSize);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try (Searcher s = searchers.get()) {
                        for (int i; (i = next.getAndIncrement()) < queries.length; ) {
                            s.search(queries[i], params);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("search failed: " + e.getCause(), e.getCause());
                }
            }
            return queries.length / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    static double percentile(long[] sortedNanos, double p) {
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e3;
    }
}
