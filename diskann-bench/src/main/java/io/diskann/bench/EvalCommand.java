package io.diskann.bench;

import io.diskann.disk.IoMode;
import io.diskann.graph.VamanaStats;
import io.diskann.graph.Traversal;
import io.diskann.graph.VamanaIndex;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
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
 * {@code ./diskann eval}: builds (or loads) an in-memory Vamana index, warms up, then sweeps k and the
 * search list size L and prints recall@k, QPS on one and on all threads, latency percentiles and
 * distance computations per query; optionally runs hnswlib (native, -march=native) on the same data in
 * the same run, and writes JSON, CSV and a recall-vs-QPS plot.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Build an index and measure recall@k, QPS and latency over a sweep of search list sizes.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions dataset;

    @Mixin
    IndexOptions indexOptions;

    @Mixin
    TimingOptions timingOptions;

    @Option(names = "--search-L", converter = Converters.Positive.class, split = ",", description = "Search list sizes to sweep (default ${DEFAULT-VALUE}).")
    int[] searchL = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256};

    @Option(names = "-k", converter = Converters.Positive.class, split = ",", description = "Neighbours per query; a list sweeps several (default: 1,10,100).")
    int[] ks = {1, 10, 100};

    @Option(names = "-W", split = ",", description = "Beam width: nodes expanded per search round (default 1: greedy"
            + " search; the in-memory sweeps use the first; --disk sweeps each, default 2,4).")
    int[] beamWidths = {1};

    @Option(names = "--disk", description = "Also lay the index out as an SSD-resident index (temp file, or --disk-out)"
            + " and sweep W x L on it (\"disk\" in the JSON).")
    boolean disk;

    @Option(names = "--pq-bytes", converter = Converters.Positive.class, paramLabel = "M",
            description = "PQ bytes per vector of the disk index (default: 1/8 of the stored vector: dims/2 for f32,"
                    + " dims/4 for f16, dims/8 for u8/i8).")
    int pqBytes = -1;

    @Option(names = "--disk-out", paramLabel = "FILE", description = "Keep the disk index here (with --disk).")
    Path diskOut;

    @picocli.CommandLine.Mixin
    IoModeOptions ioModeOptions = new IoModeOptions();

    @picocli.CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Write all parameters and rows to this JSON file.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the rows to this CSV file.")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Plot recall vs QPS here, PNG and SVG (default: diskann-results/<dataset>-<type>-R<R>.png).")
    Path plot;

    @Option(names = "--no-plot", description = "Do not write the default plot and JSON.")
    boolean noPlot;

    @Option(names = "--layout", split = ",", paramLabel = "LAYOUT",
            description = "Measure the index as loaded or built (as-is), then after index.reorder() (bfs); a list"
                    + " measures each in turn, rows labelled \"layout\" (builds already reorder unless"
                    + " -Ddiskann.reorder=false).")
    String[] layouts;

    @Option(names = "--save-index", paramLabel = "FILE", description = "Save the built index here.")
    Path saveIndex;

    @Option(names = "--index", paramLabel = "FILE", description = "Load this index instead of building one.")
    Path loadIndex;

    @Option(names = "--pq-chunks", split = ",", paramLabel = "M",
            description = "Also measure PQ-guided search: compress the index with M chunks (a list sweeps several).")
    int[] pqChunks = {};

    @Option(names = "--rerank", split = ",", paramLabel = "R",
            description = "Candidates re-scored with full vectors in PQ searches (a list sweeps several; default: L).")
    int[] reranks = {};

    @Option(names = "--pq-rotation", split = ",", paramLabel = "R",
            description = "PQ codes of a rotated space: none (default), pca (all principal directions, dealt to the"
                    + " chunks by variance: OPQ's parametric solution) or pca:D (only the strongest D); a list sweeps several.")
    String[] pqRotations = {"none"};

    @picocli.CommandLine.Mixin
    FilterFileOptions filterFiles = new FilterFileOptions();

    @Option(names = "--filter-build", description = "Graph build for filters: none (the unfiltered graph; default) or"
            + " filtered (Filtered-Vamana) or stitched (Stitched-Vamana: a graph per label, stitched), built beside the"
            + " unfiltered one.")
    String filterBuild = "none";

    @Option(names = "--filtered-index", paramLabel = "FILE",
            description = "With --filter-build filtered|stitched: load the label-aware index from FILE (saved by"
                    + " --save-filtered-index) instead of building it; its build mode and size must match.")
    Path loadFilteredIndex;

    @Option(names = "--save-filtered-index", paramLabel = "FILE",
            description = "With --filter-build filtered|stitched: save the built label-aware index (graph and labels) here.")
    Path saveFilteredIndex;

    @picocli.CommandLine.Mixin
    FilterSearchOptions filterSearch = new FilterSearchOptions();

    @Option(names = "--filter-runs", converter = Converters.Positive.class, paramLabel = "N",
            description = "With --base-labels: timed passes per filtered row, the modes (ours, post-filter, Lucene,"
                    + " jvector) taking turns; a row's QPS is its best pass, all are in the JSON (qps_passes)"
                    + " (default 5).")
    int filterRuns = FilterEval.Timing.DEFAULT.passes();

    @Option(names = "--filter-pass-seconds", paramLabel = "S",
            description = "With --base-labels: each timed pass repeats its bucket's queries until it has run this long"
                    + " (default 0.05).")
    double filterPassSeconds = FilterEval.Timing.DEFAULT.passSeconds();

    @Option(names = "--compare-jvector", description = "With --base-labels: also run jvector's filtered search (degree"
            + " 32, beam 100) on the same data and filters, in this JVM.")
    boolean compareJvector;

    @Option(names = "--compare-lucene", description = "With --base-labels: also run Lucene's filtered HNSW search"
            + " (M=16, beam 100) on the same data and filters, in this JVM.")
    boolean compareLucene;

    @Option(names = "--compare-hnswlib", description = "Also run hnswlib (C++, -march=native) on the same data (l2 only).")
    boolean compareHnswlib;

    @Option(names = "--hnswlib-M", description = "hnswlib M (default ${DEFAULT-VALUE}).")
    int hnswM = 16;

    @Option(names = "--hnswlib-efc", description = "hnswlib ef_construction (default ${DEFAULT-VALUE}).")
    int hnswEfc = 200;

    @Override
    public Integer call() throws IOException, InterruptedException {
        indexOptions.metric();
        indexOptions.type();
        IoMode ioMode = ioModeOptions.ioMode(); // checked before anything is loaded
        cache.check();
        for (int w : beamWidths) {
            if (w < 1 || w > io.diskann.index.SearchParams.MAX_BEAM_WIDTH) {
                throw new IllegalArgumentException("-W must be in 1.." + io.diskann.index.SearchParams.MAX_BEAM_WIDTH
                        + ", got " + w);
            }
        }
        int beamWidth = beamWidths[0];
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("-k must be at least 1, got " + k);
            }
        }
        int minK = Arrays.stream(ks).min().orElse(10);
        if (Arrays.stream(searchL).allMatch(l -> l < minK)) {
            throw new IllegalArgumentException("every --search-L value is below k=" + minK);
        }
        filterFiles.given(); // both or neither, checked before anything is built
        io.diskann.filter.FilterBuild filterMode = switch (filterBuild) {
            case "none" -> io.diskann.filter.FilterBuild.NONE;
            case "filtered" -> io.diskann.filter.FilterBuild.FILTERED;
            case "stitched" -> io.diskann.filter.FilterBuild.STITCHED;
            default -> throw new IllegalArgumentException("--filter-build must be none, filtered or stitched, got " + filterBuild);
        };
        if ((loadFilteredIndex != null || saveFilteredIndex != null) && filterMode == io.diskann.filter.FilterBuild.NONE) {
            throw new IllegalArgumentException("--filtered-index and --save-filtered-index go with --filter-build"
                    + " filtered or stitched");
        }
        if (loadFilteredIndex != null && saveFilteredIndex != null) {
            throw new IllegalArgumentException("--filtered-index loads the label-aware index: nothing is built to save"
                    + " (drop --save-filtered-index)");
        }
        if (loadFilteredIndex != null && !Files.isRegularFile(loadFilteredIndex)) {
            throw new IllegalArgumentException("--filtered-index " + loadFilteredIndex + ": no such file");
        }
        filterSearch.params(io.diskann.filter.FilterParams.defaults()); // bad values fail before anything is loaded
        FilterEval.Timing filterTiming = new FilterEval.Timing(filterRuns, filterPassSeconds); // bad values fail here too
        System.out.println("kernels: " + SimdSupport.describe());
        int maxK = Arrays.stream(ks).max().orElse(10);
        DatasetOptions.Loaded data = dataset.load(indexOptions.metric, maxK);
        io.diskann.filter.FilterParams filterParams = filterSearch.params(filterMode != io.diskann.filter.FilterBuild.NONE
                ? io.diskann.filter.FilterParams.filteredGraphDefaults(data.base().dims())
                : io.diskann.filter.FilterParams.defaults());
        Metric m = data.metric();
        System.out.printf(Locale.ROOT, "dataset: %s, %d base x %d dims, %d queries, metric %s, type %s%n",
                data.name(), data.base().rows(), data.base().dims(), data.queries().rows(), m.cliName(),
                indexOptions.type().cliName());

        VamanaIndex index;
        double buildSeconds = 0;
        if (loadIndex != null) {
            long t0 = System.nanoTime();
            index = VamanaIndex.load(loadIndex);
            System.out.printf(Locale.ROOT, "loaded %s in %.2f s%n", loadIndex, (System.nanoTime() - t0) / 1e9);
            if (index.dimensions() != data.base().dims()) {
                throw new IllegalArgumentException("dimension mismatch: index has " + index.dimensions()
                        + ", dataset has " + data.base().dims());
            }
        } else {
            index = indexOptions.newIndex(data.base().dims(), m);
            buildSeconds = BuildCommand.build(index, data.base(), indexOptions);
            if (saveIndex != null) {
                index.save(saveIndex);
                System.out.println("saved index to " + saveIndex);
            }
        }
        VamanaStats stats = index.stats();
        long heap = RunInfo.heapUsedAfterGc();
        List<SearchSweep.Row> rows = new ArrayList<>();
        List<Traversal> traversals = indexOptions.traversals();
        for (String layout : layouts == null ? new String[] {null} : layouts) {
            if ("bfs".equals(layout)) {
                long t0 = System.nanoTime();
                index.reorder();
                System.out.printf(Locale.ROOT, "reordered (BFS) in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            } else if (layout != null && !"as-is".equals(layout)) {
                throw new IllegalArgumentException("unknown --layout '" + layout + "': use as-is or bfs");
            }
            for (int i = 0; i < Math.max(1, traversals.size()); i++) {
                if (!traversals.isEmpty() && (i > 0 || traversals.get(0) != index.traversal())) {
                    index.setTraversal(traversals.get(i));
                }
                String label = IndexOptions.traversalLabel(index);
                System.out.println("traversal: " + label + (layout == null ? "" : ", layout: " + layout));
                rows.addAll(new SearchSweep(index, data.queries().toRows(), data.truth(), indexOptions.threads, beamWidth)
                        .traversal(label).layout(layout).timing(timingOptions.timing()).run(ks, searchL));
            }
        }
        System.out.printf(Locale.ROOT, "index: %d vectors, %.1f MiB (vectors %.1f MiB, codes %.1f MiB, graph %.1f MiB; %.0f bytes per vector), degree min/mean/max %d/%.1f/%d; JVM heap used %.1f MiB%n",
                stats.count(), stats.totalBytes() / 1048576.0, stats.vectorBytes() / 1048576.0,
                stats.codeBytes() / 1048576.0, stats.graphBytes() / 1048576.0,
                stats.totalBytes() / (double) Math.max(1, stats.count()), stats.minDegree(), stats.meanDegree(), stats.maxDegree(), heap / 1048576.0);

        List<Object> pqResults = PqEval.run(index, pqChunks, pqRotations, reranks, data, ks, searchL, indexOptions.threads,
                beamWidth, timingOptions.timing());

        List<Object> peers = new ArrayList<>();
        if (compareHnswlib) {
            int peerK = Arrays.stream(ks).anyMatch(x -> x == 10) ? 10 : ks[0];
            peers.addAll(HnswlibPeer.run(data, m, indexOptions.threads, hnswM, hnswEfc, searchL, peerK));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", data.name());
        root.put("n", data.base().rows());
        root.put("dims", data.base().dims());
        root.put("queries", data.queries().rows());
        root.put("timing", timingOptions.asJson());
        root.put("metric", stats.metric().cliName());
        root.put("type", stats.type().cliName());
        root.put("R", stats.params().maxDegree());
        root.put("build_L", stats.params().buildListSize());
        root.put("alpha", ResultFiles.round(stats.params().alpha(), 4));
        root.put("threads", indexOptions.threads);
        root.put("build_seconds", ResultFiles.round(buildSeconds, 3));
        root.put("index_bytes", stats.totalBytes());
        root.put("vector_bytes", stats.vectorBytes());
        root.put("graph_bytes", stats.graphBytes());
        root.put("code_bytes", stats.codeBytes());
        root.put("bytes_per_vector", ResultFiles.round(stats.totalBytes() / (double) Math.max(1, stats.count()), 1));
        root.put("heap_used_bytes", heap);
        root.put("mean_degree", ResultFiles.round(stats.meanDegree(), 2));
        root.put("machine", RunInfo.machine());
        root.put("rows", ResultFiles.rowsAsMaps(rows));
        if (!pqResults.isEmpty()) {
            root.put("pq", pqResults);
        }
        if (!peers.isEmpty()) {
            root.put("peers", peers);
        }
        QueryFilters filters = null;
        io.diskann.bench.data.IntMatrix filteredTruth = null;
        int fk = Arrays.stream(ks).anyMatch(x -> x == 10) ? 10 : ks[0];
        if (filterFiles.given()) {
            filters = filterFiles.read(data.base().rows(), data.queries().rows());
            filteredTruth = FilterEval.truth(data, filters, fk);
            root.put("filtered", FilterEval.run(index, data, filters, filteredTruth, fk, searchL, filterParams, filterMode,
                    indexOptions, compareLucene, compareJvector, filterTiming,
                    new FilterEval.FilteredIndexFiles(loadFilteredIndex, saveFilteredIndex)));
        }
        if (disk) {
            DiskEval.Filters diskFilters = filters == null ? null : new DiskEval.Filters(filters, filteredTruth,
                    filterSearch.params(io.diskann.filter.FilterParams.defaults()), fk);
            root.put("disk", DiskEval.run(index, data, ks, searchL, beamWidths, pqBytes, diskOut, ioMode, cache,
                    indexOptions.threads, diskFilters));
        }
        if (json != null) {
            ResultFiles.writeJson(json, root);
            System.out.println("wrote " + json);
        }
        if (csv != null) {
            ResultFiles.writeCsv(csv, root, rows);
            System.out.println("wrote " + csv);
        }
        if (plot == null && !noPlot) {
            String stem = data.name().replaceAll("\\.[a-z0-9]+$", "").replaceAll("[/\\\\]", "-") + "-"
                    + stats.type().cliName() + "-R"
                    + stats.params().maxDegree();
            plot = Path.of("diskann-results", stem + ".png");
            if (json == null) {
                json = Path.of("diskann-results", stem + ".json");
                ResultFiles.writeJson(json, root);
                System.out.println("wrote " + json);
            }
        }
        if (plot != null) {
            Path source = json;
            if (source == null) {
                source = Files.createTempFile("diskann-eval", ".json");
                ResultFiles.writeJson(source, root);
            }
            PlotCommand.plot(List.of(source), plot, data.name() + " (" + m.cliName() + ", " + stats.type().cliName() + ")");
            if (json == null) {
                Files.deleteIfExists(source);
            }
        }
        return 0;
    }
}
