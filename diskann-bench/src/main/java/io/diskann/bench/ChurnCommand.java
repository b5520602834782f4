package io.diskann.bench;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.IntMatrix;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VectorSource;
import io.diskann.util.Workers;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann churn}: measures the dynamic index. Builds on the first part of the base, then
 * measures insert latency and throughput (one and all threads), search QPS on the static index and
 * while another thread inserts and while the last consolidation runs, delete and consolidate time over
 * rounds of delete/insert/consolidate,
 * and finally recall@k of the churned index next to a fresh build of the same final set (exact ground
 * truth is computed for that set, so only base and queries are needed).
 */
@Command(name = "churn", mixinStandardHelpOptions = true,
        description = "Measure inserts, deletes, consolidation and search during churn; compare recall with a fresh build.")
final class ChurnCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions dataset;

    @Mixin
    IndexOptions indexOptions;

    @Option(names = "--initial", description = "Fraction of the base built first (default ${DEFAULT-VALUE}).")
    double initialFraction = 0.5;

    @Option(names = "--rounds", converter = Converters.NonNegative.class, description = "Delete/insert/consolidate rounds (default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--round-fraction", converter = Converters.Fraction.class, description = "Fraction of the live set replaced per round (default ${DEFAULT-VALUE}).")
    double roundFraction = 0.1;

    @Option(names = "--search-L", converter = Converters.Positive.class, description = "Search list size for QPS and recall (default ${DEFAULT-VALUE}).")
    int searchL = 64;

    @Option(names = "-k", converter = Converters.Positive.class, description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the measurements to this JSON file.")
    Path json;

    @Option(names = "--no-reserve", description = "Let inserts grow the storage on demand instead of reserving room"
            + " for the whole base after the build (shows what growing costs searches).")
    boolean noReserve;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (initialFraction <= 0 || initialFraction >= 1) {
            throw new IllegalArgumentException("--initial must be in (0, 1), got " + initialFraction);
        }
        if (searchL < k || k < 1) {
            throw new IllegalArgumentException("need 1 <= k <= --search-L");
        }
        System.out.println("kernels: " + SimdSupport.describe());
        DatasetOptions.Loaded data = dataset.loadWithoutTruth(indexOptions.metric);
        Metric metric = data.metric();
        FloatMatrix base = data.base();
        float[][] queries = data.queries().toRows();
        int n0 = (int) (base.rows() * initialFraction);
        int poolSize = base.rows() - n0;
        int quarter = poolSize / 4;
        System.out.printf(Locale.ROOT, "dataset: %s, %d base x %d dims; build on %d, insert up to %d%n", data.name(),
                base.rows(), base.dims(), n0, poolSize);

        VamanaIndex index = indexOptions.newIndex(base.dims(), metric);
        Progress p = new Progress("build", n0);
        long t0 = System.nanoTime();
        index.build(n0, VectorSource.concurrent(base::row), (done, total) -> p.update(done));
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        // room for every vector the run will insert, so no insert waits for the storage to grow (see reserve())
        if (!noReserve) {
            index.reserve(base.rows());
        }
        Map<Integer, Integer> liveRows = new LinkedHashMap<>();
        for (int i = 0; i < n0; i++) {
            liveRows.put(i, i);
        }
        warm(index, queries);
        double qpsAfterBuild = qps(index, queries);

        // inserts on one thread: latency distribution
        int next = n0;
        long[] latencies = new long[quarter];
        long s1 = System.nanoTime();
        for (int i = 0; i < quarter; i++, next++) {
            long a = System.nanoTime();
            int id = index.insert(base.row(next));
            latencies[i] = System.nanoTime() - a;
            liveRows.put(id, next);
        }
        double insertsPerSecond = quarter / ((System.nanoTime() - s1) / 1e9);
        Arrays.sort(latencies);

        // inserts on all threads: throughput
        int threads = indexOptions.threads;
        AtomicInteger cursor = new AtomicInteger(next);
        int end = next + quarter;
        int[] idOfRow = new int[base.rows()];
        long s2 = System.nanoTime();
        Workers.run("churn-insert", threads, () -> {
            for (int row; (row = cursor.getAndIncrement()) < end; ) {
                idOfRow[row] = index.insert(base.row(row));
            }
        });
        double insertsPerSecondAll = quarter / ((System.nanoTime() - s2) / 1e9);
        for (int row = next; row < end; row++) {
            liveRows.put(idOfRow[row], row);
        }
        next = end;

        // static QPS on exactly the index the concurrent phase starts from (it has grown since the build,
        // and a larger index is slower to search in its own right), then QPS while another thread inserts
        double qpsStatic = qps(index, queries);
        AtomicBoolean stop = new AtomicBoolean();
        final int from = next;
        final int to = base.rows();
        AtomicInteger insertedDuring = new AtomicInteger();
        List<int[]> duringPairs = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int row = from; row < to && !stop.get(); row++) {
                duringPairs.add(new int[] {index.insert(base.row(row)), row});
                insertedDuring.incrementAndGet();
            }
        });
        double qpsDuring = qpsWhile(index, queries, writer::isAlive);
        stop.set(true);
        writer.join();
        for (int[] pair : duringPairs) {
            liveRows.put(pair[0], pair[1]);
        }
        next = from + insertedDuring.get();

        // churn rounds
        Random r = new Random(7);
        double deleteSeconds = 0;
        double consolidateSeconds = 0;
        double reinsertSeconds = 0;
        double qpsDuringConsolidate = Double.NaN;
        double lastConsolidateSeconds = Double.NaN;
        List<Integer> recycle = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            int count = (int) (liveRows.size() * roundFraction);
            // a random sample without replacement: a shuffle, so even --round-fraction 1 ends (picking ids at
            // random and retrying the ones already gone never did once every id was gone)
            List<Integer> ids = new ArrayList<>(liveRows.keySet());
            java.util.Collections.shuffle(ids, r);
            long d0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Integer id = ids.get(i);
                recycle.add(liveRows.remove(id));
                index.delete(id);
            }
            deleteSeconds += (System.nanoTime() - d0) / 1e9;
            long i0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int row = next < base.rows() ? next++ : recycle.remove(0);
                liveRows.put(index.insert(base.row(row)), row);
            }
            reinsertSeconds += (System.nanoTime() - i0) / 1e9;
            long c0 = System.nanoTime();
            if (round < rounds - 1) {
                index.consolidate();
            } else {
                // the last consolidation runs beside a searching thread: QPS while it repairs the graph
                double[] during = searchWhile(index, queries, index::consolidate);
                qpsDuringConsolidate = during[0];
                lastConsolidateSeconds = during[1];
            }
            consolidateSeconds += (System.nanoTime() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: replaced %d vectors; %d live%n", round + 1, count, index.size());
        }

        // recall of the churned index next to a fresh build of the same final set
        Integer[] finalIds = liveRows.keySet().toArray(Integer[]::new);
        Arrays.sort(finalIds);
        float[] flat = new float[finalIds.length * base.dims()];
        for (int i = 0; i < finalIds.length; i++) {
            System.arraycopy(base.data(), liveRows.get(finalIds[i]) * base.dims(), flat, i * base.dims(), base.dims());
        }
        FloatMatrix finalSet = new FloatMatrix(finalIds.length, base.dims(), flat);
        Progress gp = new Progress("ground truth", queries.length);
        IntMatrix truth = GroundTruth.compute(finalSet, data.queries(), k, metric, gp::update).ids();
        double recallChurned = recall(index, queries, truth, finalIds);
        VamanaIndex fresh = indexOptions.newIndex(base.dims(), metric);
        fresh.build(finalSet.rows(), VectorSource.concurrent(finalSet::row), null);
        double recallFresh = recall(fresh, queries, truth, null);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", data.name());
        out.put("n", base.rows());
        out.put("dims", base.dims());
        out.put("metric", metric.cliName());
        out.put("type", indexOptions.type().cliName());
        out.put("R", indexOptions.maxDegree);
        out.put("build_L", index.params().buildListSize()); // as built: large builds shorten a default list
        out.put("alpha", ResultFiles.round(indexOptions.alpha, 4));
        out.put("threads", threads);
        out.put("search_L", searchL);
        out.put("k", k);
        out.put("initial_size", n0);
        out.put("build_seconds", ResultFiles.round(buildSeconds, 3));
        out.put("insert_p50_us", ResultFiles.round(SearchSweep.percentile(latencies, 0.5), 1));
        out.put("insert_p99_us", ResultFiles.round(SearchSweep.percentile(latencies, 0.99), 1));
        out.put("inserts_per_second", ResultFiles.round(insertsPerSecond, 1));
        out.put("inserts_per_second_all_threads", ResultFiles.round(insertsPerSecondAll, 1));
        out.put("qps_after_build", ResultFiles.round(qpsAfterBuild, 1));
        out.put("qps_static", ResultFiles.round(qpsStatic, 1));
        out.put("qps_during_inserts", ResultFiles.round(qpsDuring, 1));
        out.put("inserted_during_search", insertedDuring.get());
        out.put("rounds", rounds);
        out.put("round_fraction", roundFraction);
        out.put("delete_seconds", ResultFiles.round(deleteSeconds, 4));
        out.put("reinsert_seconds", ResultFiles.round(reinsertSeconds, 3));
        out.put("consolidate_seconds", ResultFiles.round(consolidateSeconds, 3));
        out.put("last_consolidate_seconds_beside_search",
                Double.isNaN(lastConsolidateSeconds) ? null : ResultFiles.round(lastConsolidateSeconds, 3));
        out.put("qps_during_consolidate",
                Double.isNaN(qpsDuringConsolidate) ? null : ResultFiles.round(qpsDuringConsolidate, 1));
        out.put("reserved", !noReserve);
        out.put("recall_after_churn", ResultFiles.round(recallChurned, 5));
        out.put("recall_fresh_build", ResultFiles.round(recallFresh, 5));
        out.put("machine", RunInfo.machine());
        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (!e.getKey().equals("machine")) {
                System.out.printf(Locale.ROOT, "%-32s %s%n", e.getKey(), e.getValue());
            }
        }
        if (json != null) {
            ResultFiles.writeJson(json, out);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private void warm(VamanaIndex index, float[][] queries) {
        long end = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; System.nanoTime() < end && i < 3 * queries.length; i++) {
            index.search(queries[i % queries.length], k, searchL);
        }
    }

    /**
     * Single-thread QPS over the queries, repeated for {@link #MIN_QPS_SECONDS}, each block of queries at
     * its fastest ({@link BlockTimer}): the static rates hold still between runs. The rates measured beside
     * inserts or a consolidation cannot be repeated and stay plain rates over their window.
     */
    private double qps(VamanaIndex index, float[][] queries) {
        return BlockTimer.qps(queries.length, MIN_QPS_SECONDS, i -> index.search(queries[i], k, searchL));
    }

    /** Single-thread QPS while {@code running} holds, for at most {@link #MIN_QPS_SECONDS}. */
    private double qpsWhile(VamanaIndex index, float[][] queries, java.util.function.BooleanSupplier running) {
        long t = System.nanoTime();
        long end = t + (long) (MIN_QPS_SECONDS * 1e9);
        long n = 0;
        while (running.getAsBoolean() && System.nanoTime() < end) {
            index.search(queries[(int) (n % queries.length)], k, searchL);
            n++;
        }
        return n / ((System.nanoTime() - t) / 1e9);
    }

    /** Short QPS windows are at the mercy of this machine's noise; each measurement lasts this long. */
    private static final double MIN_QPS_SECONDS = 2.0;

    /**
     * Runs {@code work} on another thread while this one searches; returns {QPS of this thread while the
     * work ran, seconds the work took}.
     */
    private double[] searchWhile(VamanaIndex index, float[][] queries, Runnable work) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        Throwable[] failure = new Throwable[1];
        long t0 = System.nanoTime();
        long[] workEnd = new long[1];
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                workEnd[0] = System.nanoTime();
                done.set(true);
            }
        });
        long searches = 0;
        while (!done.get()) {
            index.search(queries[(int) (searches % queries.length)], k, searchL);
            searches++;
        }
        long searchEnd = System.nanoTime();
        worker.join();
        if (failure[0] != null) {
            throw new IllegalStateException("failed beside searches: " + failure[0], failure[0]);
        }
        return new double[] {searches / ((searchEnd - t0) / 1e9), (workEnd[0] - t0) / 1e9};
    }

    /** Recall@k; {@code ids} maps the churned index's ids to rows of the final set (null: identity). */
    private double recall(VamanaIndex index, float[][] queries, IntMatrix truth, Integer[] ids) {
        long hits = 0;
        for (int q = 0; q < queries.length; q++) {
            int[] found = index.search(queries[q], k, searchL).ids();
            if (ids != null) {
                for (int i = 0; i < found.length; i++) {
                    found[i] = Arrays.binarySearch(ids, found[i]);
                }
            }
            hits += Recall.hits(found, truth, q, k);
        }
        return hits / (double) ((long) queries.length * k);
    }
}
