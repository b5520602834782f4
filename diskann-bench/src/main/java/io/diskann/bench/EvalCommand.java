package io.diskann.bench;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.IntMatrix;
import io.diskann.bench.data.VecsFiles;
import io.diskann.graph.IndexStats;
import io.diskann.graph.SearchResult;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann eval}: builds (or loads) an in-memory Vamana index, warms up, then sweeps the search
 * list size L and prints recall@k, single-thread QPS, latency percentiles and distance computations per
 * query; optionally runs hnswlib (native, -march=native) on the same data in the same run.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Build an index and measure recall@k, QPS and latency over a sweep of search list sizes.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions dataset;

    @Option(names = "--metric", description = "l2, cosine or ip (default ${DEFAULT-VALUE}).")
    String metric = "l2";

    @Option(names = "--type", description = "Storage type: f32, f16, i8 or u8 (default ${DEFAULT-VALUE}).")
    String type = "f32";

    @Option(names = "-R", description = "Max out-degree R (default ${DEFAULT-VALUE}).")
    int maxDegree = 64;

    @Option(names = "--build-L", description = "Build search list size (default ${DEFAULT-VALUE}).")
    int buildL = 100;

    @Option(names = "--alpha", description = "Prune alpha (default ${DEFAULT-VALUE}).")
    float alpha = 1.2f;

    @Option(names = "--threads", description = "Build threads (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--search-L", split = ",", description = "Search list sizes to sweep (default ${DEFAULT-VALUE}).")
    int[] searchL = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256};

    @Option(names = "-k", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--json", paramLabel = "FILE", description = "Write all parameters and rows to this JSON file.")
    Path json;

    @Option(names = "--save-index", paramLabel = "FILE", description = "Save the built index here.")
    Path saveIndex;

    @Option(names = "--index", paramLabel = "FILE", description = "Load this index instead of building one.")
    Path loadIndex;

    @Option(names = "--compare-hnswlib", description = "Also run hnswlib (C++, -march=native) on the same data (l2 only).")
    boolean compareHnswlib;

    @Option(names = "--hnswlib-M", description = "hnswlib M (default ${DEFAULT-VALUE}).")
    int hnswM = 16;

    @Option(names = "--hnswlib-efc", description = "hnswlib ef_construction (default ${DEFAULT-VALUE}).")
    int hnswEfc = 200;

    /** One row of the sweep. */
    record Row(int listSize, int k, double recall, double qps, double meanUs, double p50Us, double p95Us,
               double p99Us, double distComps, double hops) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Metric m = Metric.parse(metric);
        VectorType t = VectorType.parse(type);
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        for (int l : searchL) {
            if (l < k) {
                throw new IllegalArgumentException("--search-L value " + l + " is below k=" + k);
            }
        }
        System.out.println("kernels: " + SimdSupport.describe());
        DatasetOptions.Loaded data = dataset.load(m, k);
        System.out.printf(Locale.ROOT, "dataset: %s, %d base x %d dims, %d queries, metric %s, type %s%n",
                data.name(), data.base().rows(), data.base().dims(), data.queries().rows(), m.cliName(), t.cliName());

        VamanaIndex index;
        double buildSeconds;
        if (loadIndex != null) {
            long t0 = System.nanoTime();
            index = VamanaIndex.load(loadIndex);
            buildSeconds = 0;
            System.out.printf(Locale.ROOT, "loaded %s in %.2f s%n", loadIndex, (System.nanoTime() - t0) / 1e9);
        } else {
            VamanaParams params = VamanaParams.builder().maxDegree(maxDegree).buildListSize(buildL).alpha(alpha)
                    .threads(threads).build();
            index = VamanaIndex.builder(data.base().dims(), m).vectorType(t).params(params).build();
            FloatMatrix b = data.base();
            Progress p = new Progress("build", b.rows());
            long t0 = System.nanoTime();
            index.build(b.rows(), b::row, (done, total) -> p.update(done));
            buildSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "built in %.2f s on %d threads (R=%d, L_build=%d, alpha=%.2f)%n",
                    buildSeconds, threads, maxDegree, buildL, alpha);
            if (saveIndex != null) {
                index.save(saveIndex);
                System.out.println("saved index to " + saveIndex);
            }
        }
        IndexStats stats = index.stats();
        float[][] queries = data.queries().toRows();
        warmUp(index, queries);
        List<Row> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%6s %4s %8s %10s %9s %9s %9s %10s %8s%n", "L", "k", "recall", "QPS(1t)",
                "p50_us", "p99_us", "mean_us", "dist_comps", "hops");
        for (int l : searchL) {
            Row r = measure(index, queries, data.truth(), l);
            rows.add(r);
            System.out.printf(Locale.ROOT, "%6d %4d %8.4f %10.0f %9.1f %9.1f %9.1f %10.1f %8.1f%n", r.listSize(), r.k(),
                    r.recall(), r.qps(), r.p50Us(), r.p99Us(), r.meanUs(), r.distComps(), r.hops());
        }
        System.out.printf(Locale.ROOT, "index: %d vectors, %.1f MiB (vectors %.1f MiB, graph %.1f MiB), degree min/mean/max %d/%.1f/%d%n",
                stats.count(), stats.totalBytes() / 1048576.0, stats.vectorBytes() / 1048576.0,
                stats.graphBytes() / 1048576.0, stats.minDegree(), stats.meanDegree(), stats.maxDegree());

        List<Object> peers = new ArrayList<>();
        if (compareHnswlib) {
            peers.addAll(HnswlibPeer.run(data, m, threads, hnswM, hnswEfc, searchL, k));
        }
        if (json != null) {
            writeJson(data, m, t, buildSeconds, stats, rows, peers);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private void warmUp(VamanaIndex index, float[][] queries) {
        int maxL = Arrays.stream(searchL).max().orElse(100);
        long end = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 3 && System.nanoTime() < end; round++) {
            for (int i = 0; i < queries.length && System.nanoTime() < end; i++) {
                index.search(queries[i], k, round == 0 ? maxL : searchL[i % searchL.length]);
            }
        }
    }

    private Row measure(VamanaIndex index, float[][] queries, IntMatrix truth, int listSize) {
        int n = queries.length;
        long[] latencies = new long[n];
        long hits = 0;
        long comps = 0;
        long hops = 0;
        int[][] found = new int[n][];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            SearchResult r = index.search(queries[i], k, listSize);
            latencies[i] = System.nanoTime() - t0;
            found[i] = r.ids();
            comps += r.distanceComputations();
            hops += r.hops();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < n; i++) {
            hits += Recall.hits(found[i], truth, i, k);
        }
        Arrays.sort(latencies);
        double mean = Arrays.stream(latencies).average().orElse(0) / 1e3;
        return new Row(listSize, k, hits / (double) (n * (long) k), n / seconds, mean,
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                comps / (double) n, hops / (double) n);
    }

    static double percentile(long[] sortedNanos, double p) {
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e3;
    }

    private void writeJson(DatasetOptions.Loaded data, Metric m, VectorType t, double buildSeconds, IndexStats stats,
                           List<Row> rows, List<Object> peers) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", data.name());
        root.put("n", data.base().rows());
        root.put("dims", data.base().dims());
        root.put("queries", data.queries().rows());
        root.put("metric", m.cliName());
        root.put("type", t.cliName());
        root.put("R", stats.params().maxDegree());
        root.put("build_L", stats.params().buildListSize());
        root.put("alpha", (double) stats.params().alpha());
        root.put("threads", threads);
        root.put("build_seconds", Math.round(buildSeconds * 1000) / 1000.0);
        root.put("index_bytes", stats.totalBytes());
        root.put("vector_bytes", stats.vectorBytes());
        root.put("graph_bytes", stats.graphBytes());
        root.put("kernels", SimdSupport.describe());
        root.put("jdk", Runtime.version().toString());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("L", r.listSize());
            o.put("k", r.k());
            o.put("recall", round(r.recall(), 5));
            o.put("qps", round(r.qps(), 1));
            o.put("p50_us", round(r.p50Us(), 1));
            o.put("p95_us", round(r.p95Us(), 1));
            o.put("p99_us", round(r.p99Us(), 1));
            o.put("mean_us", round(r.meanUs(), 1));
            o.put("dist_comps", round(r.distComps(), 1));
            o.put("hops", round(r.hops(), 1));
            list.add(o);
        }
        root.put("rows", list);
        if (!peers.isEmpty()) {
            root.put("peers", peers);
        }
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, Json.write(root));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Writes the dataset as fvecs/ivecs files (for peers that read files). */
    static Path[] writeTemp(DatasetOptions.Loaded data) throws IOException {
        Path dir = Files.createTempDirectory("diskann-eval");
        Path b = dir.resolve("base.fvecs");
        Path q = dir.resolve("query.fvecs");
        Path g = dir.resolve("gt.ivecs");
        VecsFiles.writeFloats(b, data.base());
        VecsFiles.writeFloats(q, data.queries());
        VecsFiles.writeInts(g, data.truth());
        return new Path[] {b, q, g};
    }
}
