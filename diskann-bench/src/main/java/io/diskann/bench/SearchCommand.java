package io.diskann.bench;

import io.diskann.vector.SimdSupport;
import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.IntMatrix;
import io.diskann.graph.Traversal;
import io.diskann.graph.VamanaIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./diskann search}: loads a saved index and runs queries; recall if ground truth is given. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Load an index, run queries over a sweep of L, and report QPS, latency and (with --gt) recall.")
final class SearchCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "FILE", description = "A saved index.")
    Path indexFile;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors.")
    Path query;

    @Option(names = "--gt", paramLabel = "FILE", description = "Ground truth (.ivecs or DiskANN truthset .bin).")
    Path gt;

    @Option(names = "--max-queries", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N queries.")
    int maxQueries = -1;

    @Option(names = "-k", converter = Converters.Positive.class, split = ",", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int[] ks = {10};

    @Option(names = {"-L", "--search-L"}, converter = Converters.Positive.class, split = ",", description = "Search list sizes (default ${DEFAULT-VALUE}).")
    int[] searchL = {10, 16, 24, 32, 48, 64, 96, 128};

    @Option(names = "-W", description = "Beam width: nodes expanded per search round (default ${DEFAULT-VALUE}: greedy search).")
    int beamWidth = 1;

    @Option(names = "--threads", converter = Converters.Positive.class, description = "Threads for the all-thread QPS (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the rows to this JSON file.")
    Path json;

    @Mixin
    TimingOptions timingOptions;

    @Option(names = "--traversal", split = ",", paramLabel = "T",
            description = "Traverse on sq8 codes or exact vectors (default: as saved); a list sweeps each.")
    String[] traversal;

    @Override
    public Integer call() throws IOException, InterruptedException {
        System.out.println("kernels: " + SimdSupport.describe());
        long t0 = System.nanoTime();
        VamanaIndex index = VamanaIndex.load(indexFile);
        System.out.printf(Locale.ROOT, "loaded %s (%d vectors) in %.2f s%n", indexFile, index.size(), (System.nanoTime() - t0) / 1e9);
        FloatMatrix q = Datasets.readVectors(query, maxQueries);
        if (q.dims() != index.dimensions()) {
            throw new IllegalArgumentException("dimension mismatch: index has " + index.dimensions() + ", " + query
                    + " has " + q.dims());
        }
        IntMatrix truth = gt == null ? null : Datasets.readTruth(gt, q.rows());
        if (truth != null && truth.rows() < q.rows()) {
            throw new IllegalArgumentException(gt + " has ground truth for " + truth.rows() + " queries, fewer than " + q.rows());
        }
        if (truth != null) {
            for (int v : truth.data()) {
                if (v < 0 || !index.contains(v)) {
                    throw new IllegalArgumentException(gt + " names id " + v + ", which " + indexFile + " does not hold"
                            + " (ground truth of another base?)");
                }
            }
        }
        if (beamWidth < 1 || beamWidth > io.diskann.index.SearchParams.MAX_BEAM_WIDTH) {
            throw new IllegalArgumentException("-W must be in 1.." + io.diskann.index.SearchParams.MAX_BEAM_WIDTH
                    + ", got " + beamWidth);
        }
        List<SearchSweep.Row> rows = new ArrayList<>();
        List<Traversal> traversals = IndexOptions.traversals(traversal);
        for (int i = 0; i < Math.max(1, traversals.size()); i++) {
            if (!traversals.isEmpty()) {
                index.setTraversal(traversals.get(i));
            }
            rows.addAll(new SearchSweep(index, q.toRows(), truth, threads, beamWidth)
                    .traversal(IndexOptions.traversalLabel(index)).timing(timingOptions.timing()).run(ks, searchL));
        }
        if (json != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("index", indexFile.toString());
            root.put("queries", q.rows());
            root.put("timing", timingOptions.asJson());
            root.put("machine", RunInfo.machine());
            root.put("rows", ResultFiles.rowsAsMaps(rows));
            ResultFiles.writeJson(json, root);
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
