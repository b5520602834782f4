package io.diskann.bench;

import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.IntMatrix;
import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskOptions;
import io.diskann.disk.DiskStats;
import io.diskann.disk.IoMode;
import io.diskann.filter.FilterParams;
import io.diskann.filter.DiskLabels;
import io.diskann.filter.FilteredIndex;
import io.diskann.filter.LabeledIndex;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann search-disk}: opens an SSD-resident index and sweeps beam width W and list size L:
 * recall, single-thread QPS, reads and cache hits per query, and where a query's time goes (waiting for
 * reads vs computing).
 */
@Command(name = "search-disk", mixinStandardHelpOptions = true,
        description = "Search an SSD-resident index over a sweep of W and L; recall (with --gt), QPS, reads per query.")
final class SearchDiskCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "FILE", description = "A disk index (build-disk).")
    Path indexFile;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors.")
    Path query;

    @Option(names = "--gt", paramLabel = "FILE", description = "Ground truth (.ivecs or DiskANN truthset .bin).")
    Path gt;

    @Option(names = "--max-queries", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N queries.")
    int maxQueries = -1;

    @Option(names = "-k", converter = Converters.Positive.class, description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = {"-L", "--search-L"}, converter = Converters.Positive.class, split = ",",
            description = "Search list sizes (default ${DEFAULT-VALUE}).")
    int[] searchL = {10, 20, 30, 50, 100};

    @Option(names = "-W", converter = Converters.Positive.class, split = ",", description = "Beam widths (default ${DEFAULT-VALUE}).")
    int[] beamWidths = {2, 4, 8};

    @picocli.CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @picocli.CommandLine.Mixin
    IoModeOptions ioModeOptions = new IoModeOptions();

    @Option(names = "--io-threads", converter = Converters.NonNegative.class, paramLabel = "N",
            description = "Where kernel AIO is not used: 0 reads a round's sectors one after another on the searching thread,"
                    + " more issues them in parallel on virtual threads (default: 2 with --direct, 0 otherwise).")
    int ioThreads = -1;

    @Option(names = "--kernel-aio", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --direct, read through Linux kernel AIO where the kernel allows it (default: on);"
                    + " --no-kernel-aio reads through FileChannel with O_DIRECT (virtual threads, see --io-threads).")
    boolean kernelAio = true;

    /** How a search schedules its reads ({@link DiskOptions#pipelined}). */
    enum IoSchedule { pipelined, rounds }

    @Option(names = "--io-schedule", paramLabel = "pipelined|rounds",
            description = "pipelined: W reads in flight, each record scored as it arrives (default); rounds: W reads,"
                    + " then wait for all of them, as Microsoft DiskANN does.")
    IoSchedule ioSchedule = IoSchedule.pipelined;

    @Option(names = "--sector-mates", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Score the other records of each sector read at full precision and let them compete for"
                    + " the results (default: on; matters when several records share a sector).")
    boolean sectorMates = true;

    @Option(names = "--runs", converter = Converters.Positive.class, description = "Timed passes per row; the best counts (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the rows to this JSON file.")
    Path json;

    @picocli.CommandLine.Mixin
    FilterFileOptions filterFiles = new FilterFileOptions();

    @picocli.CommandLine.Mixin
    FilterSearchOptions filterSearch = new FilterSearchOptions();

    @Override
    public Integer call() throws IOException {
        System.out.println("kernels: " + SimdSupport.describe());
        FloatMatrix q = Datasets.readVectors(query, maxQueries);
        IntMatrix truth = gt == null ? null : Datasets.readTruth(gt, q.rows());
        if (truth != null && truth.cols() < k) {
            throw new IllegalArgumentException("ground truth has " + truth.cols() + " neighbours per query, k is " + k);
        }
        if (filterFiles.given() && truth == null) {
            throw new IllegalArgumentException("--base-labels and --query-filters need --gt with filtered ground truth"
                    + " (./diskann gt --base B --query Q --base-labels F --query-filters F --out G)");
        }
        IoMode ioMode = ioModeOptions.ioMode(); // checked before anything is loaded
        cache.check();
        DiskOptions options = DiskOptions.builder().ioMode(ioMode)
                .cacheNodes(cache.nodesAtOpen()).ioThreads(ioThreads).pipelined(ioSchedule == IoSchedule.pipelined).sectorMates(sectorMates)
                .entrySample(cache.entrySample).kernelAio(kernelAio).build();
        long t0 = System.nanoTime();
        List<Object> rows = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        // a file written with labels (build-disk --base-labels, or from a labeled index) keeps them and, for a
        // label-aware graph, the label start points: filters then walk each label's nodes only
        FilteredIndex stored = filterFiles.given() && LabeledIndex.hasLabels(indexFile)
                ? DiskLabels.open(indexFile, options, filterSearch.params(FilterParams.defaults())) : null;
        try (DiskIndex index = stored != null ? (DiskIndex) stored.index() : DiskIndex.open(indexFile, options);
             FilteredIndex closesLabels = stored; // closed first: its pooled searchers, then the index (null: none)
             Searcher s = index.searcher()) {
            cache.apply(index, k, searchL[0], beamWidths[0]);
            DiskStats st = index.stats();
            System.out.printf(Locale.ROOT, "opened %s in %.2f s: %d x %d %s %s, R %d, %d PQ bytes, %s, cache %d nodes;"
                            + " entry sample %d; RAM %.1f MiB + %.0f KiB per searching thread (raw vectors %.1f MiB), file %.1f MiB%n", indexFile, (System.nanoTime() - t0) / 1e9,
                    st.count(), st.dimensions(), st.vectorType(), st.metric(), st.maxDegree(), st.pqBytes(), st.ioMode() + " " + ioSchedule.name() + " (" + index.readPath() + ")",
                    st.cacheNodes(), index.entrySampleSize(), st.memoryBytes() / 1048576.0, st.searcherBytes() / 1024.0, st.rawVectorBytes() / 1048576.0, st.fileBytes() / 1048576.0);
            out.put("index", indexFile.toString());
            out.put("io_mode", st.ioMode().toString().toLowerCase(Locale.ROOT));
            out.put("read_path", index.readPath());
            out.put("cache_nodes", st.cacheNodes());
            out.put("cache_policy", cache.policy());
            out.put("io_schedule", ioSchedule.name());
            out.put("sector_mates", sectorMates);
            out.put("entry_sample", index.entrySampleSize());
            out.put("pq_bytes", st.pqBytes());
            out.put("ram_bytes", st.memoryBytes());
            out.put("searcher_bytes", st.searcherBytes());
            out.put("file_bytes", st.fileBytes());
            out.put("raw_vector_bytes", st.rawVectorBytes());
            if (filterFiles.given()) {
                QueryFilters filters = filterFiles.read(index.size(), q.rows());
                System.out.println(filters.summary());
                FilterParams params = filterSearch.params(FilterParams.defaults());
                out.put("scan_fraction", params.scanFraction());
                out.put("filter_max_L", params.maxListSize());
                out.put("scan_minimum", params.scanMinimum());
                FilteredIndex fi;
                if (stored != null) {
                    sameLabels(stored, filters.labels());
                    fi = stored;
                    System.out.println("labels from the index file" + (stored.labelAware()
                            ? "; label-aware graph: label filters walk from the labels' start points" : ""));
                } else {
                    fi = FilteredIndex.of(index, filters.labels(), params); // closed with the index
                }
                out.put("label_aware", stored != null && stored.labelAware());
                rows.addAll(FilteredDiskSweep.run(fi, q.toRows(), filters, truth, k, searchL, beamWidths, runs));
            } else {
                rows.addAll(sweep(index, s, q, truth, k, searchL, beamWidths, runs));
            }
            // filters on ids read the id table when they first run (v3 files): RAM as the searches left it
            long after = index.stats().memoryBytes();
            out.put("ram_bytes_after_searches", after);
            if (after != st.memoryBytes()) {
                System.out.printf(Locale.ROOT, "RAM after the searches %.1f MiB (the id table, read for filters on ids)%n",
                        after / 1048576.0);
            }
        }
        out.put("rows", rows);
        if (json != null) {
            Files.writeString(json, Json.write(out));
        }
        return 0;
    }

    /** Fails unless the index file's labels are those of the --base-labels file (whose names the filters use). */
    private void sameLabels(FilteredIndex stored, io.diskann.filter.LabelSets file) {
        if (stored.labels().universalLabel() != file.universalLabel()) {
            throw new IllegalArgumentException(indexFile + " was built with universal label " + stored.labels().universalLabel()
                    + ", --base-labels/--universal-label give " + file.universalLabel() + " (-1: none)");
        }
        if (stored.labels().size() != file.size()) {
            throw new IllegalArgumentException(indexFile + " holds labels for " + stored.labels().size() + " vectors, "
                    + filterFiles.baseLabels + " for " + file.size());
        }
        for (int id = 0; id < file.size(); id++) {
            if (!java.util.Arrays.equals(stored.labelsOf(id), file.labelsOf(id))) {
                throw new IllegalArgumentException(indexFile + " holds other labels than " + filterFiles.baseLabels
                        + " for vector " + id + ": " + java.util.Arrays.toString(stored.labelsOf(id)) + " vs "
                        + java.util.Arrays.toString(file.labelsOf(id)) + " (label numbers follow the label file's"
                        + " first-seen order: give the file the index was built from)");
            }
        }
    }

    /**
     * Sweeps W x L over the queries with one searcher: a warm-up pass, then the best of {@code runs}
     * timed passes per row; prints a table and returns the JSON rows.
     */
    static List<Object> sweep(DiskIndex index, Searcher s, FloatMatrix q, IntMatrix truth, int k, int[] searchL,
                              int[] beamWidths, int runs) {
        List<Object> rows = new ArrayList<>();
        System.out.println("   W     L   recall@" + k + "        QPS   reads/q  cache/q   hops/q   io_us/q  cpu_us/q   pq_d/q  exact_d/q");
        int[] ids = new int[k];
        float[] dist = new float[k];
        for (int w : beamWidths) {
            for (int l : searchL) {
                SearchParams p = SearchParams.builder(k).listSize(Math.max(k, l)).beamWidth(w).build();
                for (int i = 0; i < q.rows(); i++) { // warm-up pass (JIT, page cache in page-cache mode)
                    s.search(q.row(i), p, ids, dist);
                }
                double best = Double.MAX_VALUE;
                long reads = 0;
                long hits = 0;
                long hops = 0;
                long io = 0;
                long bestIo = 0;
                long hit = 0;
                long pqDistances = 0;
                long exactDistances = 0;
                for (int run = 0; run < runs; run++) {
                    reads = 0;
                    hits = 0;
                    hops = 0;
                    io = 0;
                    hit = 0;
                    pqDistances = 0;
                    exactDistances = 0;
                    long start = System.nanoTime();
                    for (int i = 0; i < q.rows(); i++) {
                        int n = s.search(q.row(i), p, ids, dist);
                        var qs = s.lastStats();
                        reads += qs.reads();
                        hits += qs.cacheHits();
                        hops += qs.hops();
                        io += qs.ioNanos();
                        pqDistances += qs.distanceComputations();
                        exactDistances += qs.rerankDistances();
                        if (truth != null) {
                            hit += overlap(ids, n, truth, i, k);
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (seconds < best) { // I/O time of the pass the QPS comes from (cpu_us = time - io_us)
                        best = seconds;
                        bestIo = io;
                    }
                }
                int nq = q.rows();
                double recall = truth == null ? Double.NaN : hit / (double) (nq * k);
                double qps = nq / best;
                double ioUs = bestIo / 1e3 / nq;
                double cpuUs = best * 1e6 / nq - ioUs;
                System.out.printf(Locale.ROOT, "%4d %5d %10.4f %10.0f %9.1f %8.1f %8.1f %9.1f %9.1f %8.0f %10.1f%n", w, l, recall,
                        qps, reads / (double) nq, hits / (double) nq, hops / (double) nq, ioUs, cpuUs,
                        pqDistances / (double) nq, exactDistances / (double) nq);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("k", k);
                row.put("L", l);
                row.put("W", w);
                row.put("recall", recall);
                row.put("qps", qps);
                row.put("ios_per_query", reads / (double) nq);
                row.put("cache_hits_per_query", hits / (double) nq);
                row.put("hops_per_query", hops / (double) nq);
                row.put("io_us", ioUs);
                row.put("cpu_us", cpuUs);
                row.put("pq_distances_per_query", pqDistances / (double) nq);
                row.put("exact_distances_per_query", exactDistances / (double) nq);
                rows.add(row);
            }
        }
        return rows;
    }

    private static int overlap(int[] ids, int n, IntMatrix truth, int query, int k) {
        int hit = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                if (ids[i] == truth.get(query, j)) {
                    hit++;
                    break;
                }
            }
        }
        return hit;
    }
}
