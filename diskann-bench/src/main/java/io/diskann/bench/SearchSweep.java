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

    /**
     * One measured (k, L) combination; {@code traversal} names what the search traversed on (null: not
     * swept). {@code qps} is the best of {@code qpsRuns} (single-thread QPS of each timed pass), and the
     * latency percentiles are those of that pass.
     */
    record Row(int k, int listSize, int beamWidth, double recall, double qps, double qpsAllThreads, double meanUs,
               double p50Us, double p95Us, double p99Us, double distComps, double hops, String traversal,
               double[] qpsRuns, String layout) {

        /** (best - worst) / best over the timed passes: 0 when they agree. */
        double qpsSpread() {
            double min = Arrays.stream(qpsRuns).min().orElse(qps);
            return qps > 0 ? (qps - min) / qps : 0;
        }
    }

    /**
     * How rows are timed: {@code runs} passes per (k, L), the passes of all rows interleaved (pass 1 of
     * every row, then pass 2, ...) so that a slow stretch of the machine hits every row alike rather than
     * a few neighbours on the curve; each pass repeats the query set until it has run {@code minSeconds}.
     * ann-benchmarks reports the best of several runs for the same reason: noise only ever slows a run.
     */
    record Timing(int runs, double minSeconds, double warmupSeconds) {
        static final Timing DEFAULT = new Timing(3, 0.5, 15);

        Timing {
            if (!(warmupSeconds >= 0) || warmupSeconds > 3600) {
                throw new IllegalArgumentException("--warmup-seconds must be in 0..3600, got " + warmupSeconds);
            }
            if (runs < 1 || runs > 1000) {
                throw new IllegalArgumentException("--runs must be in 1..1000, got " + runs);
            }
            if (!(minSeconds >= 0) || minSeconds > 3600) {
                throw new IllegalArgumentException("--min-seconds must be in 0..3600, got " + minSeconds);
            }
        }
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
    private String traversal;
    private String layout;
    private Timing timing = Timing.DEFAULT;

    SearchSweep(VectorIndex index, float[][] queries, IntMatrix truth, int threads, int beamWidth) {
        this(index::searcher, (k, l) -> SearchParams.builder(k).listSize(l).beamWidth(beamWidth).build(), queries,
                truth, threads);
    }

    SearchSweep(Supplier<Searcher> searchers, ParamsFn paramsFn, float[][] queries, IntMatrix truth, int threads) {
        if (queries.length == 0) {
            throw new IllegalArgumentException("no queries to measure");
        }
        this.searchers = searchers;
        this.paramsFn = paramsFn;
        this.queries = queries;
        this.truth = truth;
        this.threads = threads;
    }

    /** Labels the rows measured from now on with what the index traverses on. */
    SearchSweep traversal(String label) {
        this.traversal = label;
        return this;
    }

    /** Labels the rows with the storage layout measured (null: not swept). */
    SearchSweep layout(String label) {
        this.layout = label;
        return this;
    }

    SearchSweep timing(Timing t) {
        this.timing = t;
        return this;
    }

    /** One timed pass of one (k, L). */
    private record Pass(double qps, long[] sortedLatencies, double meanUs) {
    }

    /** Runs every valid (k, L) pair (L >= k) {@link Timing#runs} times, interleaved; prints the table. */
    List<Row> run(int[] ks, int[] listSizes) throws InterruptedException {
        List<int[]> configs = new ArrayList<>();
        for (int k : ks) {
            if (truth != null && truth.cols() < k) {
                System.out.printf(Locale.ROOT, "(k=%d skipped: ground truth has only %d neighbours per query)%n", k, truth.cols());
                continue;
            }
            for (int l : listSizes) {
                if (l >= k) {
                    configs.add(new int[] {k, l});
                }
            }
        }
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("no (k, L) pair with L >= k to measure");
        }
        warmUp(configs);
        int c = configs.size();
        Pass[][] passes = new Pass[c][timing.runs()];
        for (int run = 0; run < timing.runs(); run++) {
            for (int i = 0; i < c; i++) {
                passes[i][run] = timedPass(configs.get(i)[0], configs.get(i)[1]);
            }
            System.out.printf(Locale.ROOT, "timed pass %d of %d done%n", run + 1, timing.runs());
        }
        List<Row> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%5s %4s %8s %9s %7s %10s %9s %9s %9s %10s %7s%n", "L", "k", "recall", "QPS(1t)",
                "spread", "QPS(" + threads + "t)", "p50_us", "p99_us", "mean_us", "dist_comps", "hops");
        for (int i = 0; i < c; i++) {
            Row r = summarize(configs.get(i)[0], configs.get(i)[1], passes[i]);
            rows.add(r);
            System.out.printf(Locale.ROOT, "%5d %4d %8s %9.0f %6.1f%% %10.0f %9.1f %9.1f %9.1f %10.1f %7.1f%n",
                    r.listSize(), r.k(), Double.isNaN(r.recall()) ? "-" : String.format(Locale.ROOT, "%.4f", r.recall()),
                    r.qps(), 100 * r.qpsSpread(), r.qpsAllThreads(), r.p50Us(), r.p99Us(), r.meanUs(), r.distComps(),
                    r.hops());
        }
        return rows;
    }

    /**
     * Runs searches until the JIT has settled: a pass over every configuration, then blocks of queries at
     * a middle configuration until two blocks in a row agree within 3% (at most {@link Timing#warmupSeconds}).
     */
    private void warmUp(List<int[]> configs) {
        long deadline = System.nanoTime() + (long) (timing.warmupSeconds() * 1e9);
        try (Searcher s = searchers.get()) {
            for (int[] kl : configs) {
                SearchParams p = paramsFn.params(kl[0], kl[1]);
                for (int i = 0; i < Math.min(queries.length, 500); i++) {
                    s.search(queries[i], p);
                }
            }
            int[] mid = configs.get(configs.size() / 2);
            SearchParams p = paramsFn.params(mid[0], mid[1]);
            double last = 0;
            int q = 0;
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - t0 < 250_000_000L) {
                    s.search(queries[q], p);
                    q = (q + 1) % queries.length;
                    n++;
                }
                double rate = n / ((System.nanoTime() - t0) / 1e9);
                if (last > 0 && Math.abs(rate - last) <= 0.03 * Math.max(rate, last)) {
                    break;
                }
                last = rate;
            }
        }
    }

    /** Searches the query set (repeated until {@link Timing#minSeconds} have passed) once, timing each query. */
    private Pass timedPass(int k, int listSize) {
        SearchParams params = paramsFn.params(k, listSize);
        int n = queries.length;
        long[] latencies = new long[n];
        long total = 0;
        long count = 0;
        double seconds;
        try (Searcher s = searchers.get()) {
            long start = System.nanoTime();
            long minNanos = (long) (timing.minSeconds() * 1e9);
            do {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    s.search(queries[i], params);
                    long dt = System.nanoTime() - t0;
                    if (count < n) {
                        latencies[i] = dt;
                    }
                    total += dt;
                    count++;
                }
            } while (System.nanoTime() - start < minNanos);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(latencies);
        return new Pass(count / seconds, latencies, total / (double) count / 1e3);
    }

    /** Recall, work per query and the all-thread rate (one untimed pass each), plus the best timed pass. */
    private Row summarize(int k, int listSize, Pass[] passes) throws InterruptedException {
        int n = queries.length;
        int[][] found = new int[n][];
        long comps = 0;
        long hops = 0;
        SearchParams params = paramsFn.params(k, listSize);
        try (Searcher s = searchers.get()) {
            for (int i = 0; i < n; i++) {
                SearchResult r = s.search(queries[i], params);
                found[i] = r.ids();
                comps += r.distanceComputations();
                hops += r.hops();
            }
        }
        double recall = Double.NaN;
        if (truth != null) {
            long hits = 0;
            for (int i = 0; i < n; i++) {
                hits += Recall.hits(found[i], truth, i, k);
            }
            recall = hits / (double) ((long) n * k);
        }
        Pass best = passes[0];
        double[] runs = new double[passes.length];
        for (int i = 0; i < passes.length; i++) {
            runs[i] = passes[i].qps();
            if (passes[i].qps() > best.qps()) {
                best = passes[i];
            }
        }
        double qpsAll = allThreads(k, listSize);
        long[] lat = best.sortedLatencies();
        return new Row(k, listSize, params.beamWidth(), recall, best.qps(), qpsAll, best.meanUs(), percentile(lat, 0.50),
                percentile(lat, 0.95), percentile(lat, 0.99), comps / (double) n, hops / (double) n, traversal, runs,
                layout);
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
