package io.diskann.bench;

import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.IntMatrix;
import io.diskann.filter.FilterParams;
import io.diskann.filter.LabelFilter;
import io.diskann.filter.LabeledIndex;
import io.diskann.graph.VamanaIndex;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filtered part of {@code ./diskann eval --base-labels F --query-filters F}: computes the filtered
 * ground truth, then per selectivity bucket (50%, 10%, 1%, 0.1% of the base matched) and L reports
 * recall@k, single-thread QPS, distance computations, hops and the share of queries answered by an exact
 * scan, for the labeled index ("filtered"), for post-filtering our own unfiltered search ("post-filter":
 * search k = L without the filter, keep the matches) and, with {@code --compare-lucene}, for Lucene's
 * filtered HNSW search on the same data ("lucene", {@link LuceneFilteredPeer}; L is its candidate list) and, with
 * {@code --compare-jvector}, for jvector's ("jvector", {@link JvectorFilteredPeer}; L is its rerankK). JSON rows: {"mode", "bucket", "selectivity",
 * "filter", "L", "k", "recall", "qps", "distance_computations", "hops", "exact_scan", "queries", "qps_passes"} ("qps" is the best of
 * "qps_passes", see {@link Timing}); then
 * "summary", one entry per bucket and filter ({@link FilterSummary}).
 */
final class FilterEval {

    private FilterEval() {
    }

    /**
     * How each filtered cell is timed: {@code passes} timed passes per mode, the modes taking turns, each pass
     * repeating the cell's queries for at least {@code passSeconds}; a row's QPS is its best pass.
     */
    record Timing(int passes, double passSeconds) {
        static final Timing DEFAULT = new Timing(5, 0.05);

        Timing {
            if (passes < 1 || !(passSeconds >= 0)) {
                throw new IllegalArgumentException("--filter-runs must be >= 1 and --filter-pass-seconds >= 0, got "
                        + passes + " and " + passSeconds);
            }
        }
    }

    /** The k nearest matches of each query's filter, by brute force (-1 pads a filter with fewer matches). */
    static IntMatrix truth(DatasetOptions.Loaded data, QueryFilters filters, int k) {
        int nq = Math.min(data.queries().rows(), filters.queries());
        long t0 = System.nanoTime();
        Progress progress = new Progress("filtered ground truth", nq);
        GroundTruth.Result gt = GroundTruth.compute(data.base(), data.queries(), k, data.metric(),
                q -> q < nq ? filters.predicate(q) : null, progress::update);
        System.out.printf(Locale.ROOT, "filtered ground truth in %.1f s; %s%n", (System.nanoTime() - t0) / 1e9,
                filters.summary());
        return gt.ids();
    }

    static Map<String, Object> run(VamanaIndex index, DatasetOptions.Loaded data, QueryFilters filters, IntMatrix truth,
                                   int k, int[] searchL, FilterParams params, io.diskann.filter.FilterBuild mode,
                                   IndexOptions indexOptions, boolean compareLucene, boolean compareJvector,
                                   Timing timing, FilteredIndexFiles files)
            throws java.io.IOException {
        float[][] queries = data.queries().toRows();
        int nq = Math.min(queries.length, filters.queries());
        // queries grouped by bucket and filter kind
        Map<String, List<Integer>> groups = filters.groups(nq);
        LabeledIndex li;
        double filteredBuildSeconds = 0;
        if (mode != io.diskann.filter.FilterBuild.NONE && files.load() != null) {
            long t0 = System.nanoTime();
            li = LabeledIndex.load(files.load(), params);
            if (li.filterBuild() != mode || li.index().size() != data.base().rows()
                    || li.index().dimensions() != data.base().dims()) {
                String found = String.format(Locale.ROOT, "%s graph of %d x %d", li.filterBuild().toString()
                        .toLowerCase(Locale.ROOT), li.index().size(), li.index().dimensions());
                li.close();
                throw new IllegalArgumentException("--filtered-index " + files.load() + " holds a " + found
                        + "; this run asks for --filter-build " + mode.toString().toLowerCase(Locale.ROOT) + " over "
                        + data.base().rows() + " x " + data.base().dims());
            }
            System.out.printf(Locale.ROOT, "loaded the %s index %s in %.2f s%n",
                    mode.toString().toLowerCase(Locale.ROOT), files.load(), (System.nanoTime() - t0) / 1e9);
        } else if (mode != io.diskann.filter.FilterBuild.NONE) {
            io.diskann.filter.LabelSets sets = filters.labels();
            int[][] perPoint = new int[sets.size()][];
            for (int i = 0; i < perPoint.length; i++) {
                perPoint[i] = sets.labelsOf(i);
            }
            li = LabeledIndex.wrap(indexOptions.newIndex(data.base().dims(), data.metric()), sets.universalLabel(), params);
            long b0 = System.nanoTime();
            Progress bar = new Progress(mode == io.diskann.filter.FilterBuild.FILTERED ? "Filtered-Vamana build"
                    : "Stitched-Vamana build", 1);
            li.build(perPoint.length, io.diskann.graph.VectorSource.concurrent(data.base()::row), perPoint, mode,
                    (done, total) -> bar.update(done, total));
            filteredBuildSeconds = (System.nanoTime() - b0) / 1e9;
            System.out.printf(Locale.ROOT, "%s build: %.1f s%n", mode == io.diskann.filter.FilterBuild.FILTERED
                    ? "Filtered-Vamana" : "Stitched-Vamana", filteredBuildSeconds);
            if (files.save() != null) {
                li.save(files.save());
                System.out.println("saved the label-aware index to " + files.save());
            }
        } else {
            li = LabeledIndex.of(index, filters.labels(), params);
        }
        LuceneFilteredPeer lucene = null;
        if (compareLucene) {
            lucene = new LuceneFilteredPeer(data.base().toRows(), data.metric());
            System.out.printf(Locale.ROOT, "Lucene HNSW (M=16, beam 100, 1 thread) built in %.1f s%n", lucene.buildSeconds());
            for (int q = 0; q < nq; q++) {
                if (filters.filter(q) != null) {
                    lucene.bitset(filters.expression(q), filters.filter(q), filters); // before any timing
                }
            }
        }
        JvectorFilteredPeer jvector = null;
        if (compareJvector) {
            jvector = new JvectorFilteredPeer(data.base().toRows(), data.metric());
            System.out.printf(Locale.ROOT, "jvector (degree 32, beam 100, overflow 1.2, alpha 1.2, hierarchy) built in %.1f s%n",
                    jvector.buildSeconds());
            for (int q = 0; q < nq; q++) {
                if (filters.filter(q) != null) {
                    jvector.prepare(filters.expression(q), filters.filter(q), filters); // before any timing
                }
            }
        }
        List<String> kinds = new ArrayList<>(List.of("filtered", "post-filter"));
        if (compareLucene) {
            kinds.add("lucene");
        }
        if (compareJvector) {
            kinds.add("jvector");
        }
        Runner peers = new Runner(li, index, lucene, jvector, filters, queries, k);
        for (String kind : kinds) { // every path compiled before any row is timed: rows run bucket by bucket, and
            // the first ones measured a cold JIT (0.1% AND scans: 9,829 -> 12,958 QPS from its first row to its last)
            long until = System.nanoTime() + 4_000_000_000L;
            for (int l : searchL) {
                for (int q = 0; q < nq && System.nanoTime() < until; q++) {
                    if (l >= k) {
                        peers.run(kind, q, l, new SearchResult[1]);
                    }
                }
            }
        }
        // Each cell (bucket, filter, L) is measured for every mode before the next cell: one counting pass (recall,
        // distances, hops; it also warms the cell), then timing.passes() timed passes with the modes taking turns, each
        // pass repeating the cell's queries until it has run timing.passSeconds(). QPS is a mode's best pass. Why: a
        // 0.1% bucket's 166 queries run in 1-2 ms, and one such pass per mode let the peers' QPS swing 1.4-2.3x between
        // processes (section 38 of docs/PERFORMANCE.md); taking turns puts the machine's slow stretches on every mode.
        Map<String, List<Object>> rowsByKind = new LinkedHashMap<>();
        for (String kind : kinds) {
            rowsByKind.put(kind, new ArrayList<>());
        }
        SearchResult[] stats = new SearchResult[1];
        long cells = groups.size() * java.util.Arrays.stream(searchL).filter(l -> l >= k).count();
        Progress progress = new Progress("filtered rows", cells);
        long cellsDone = 0;
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            int[] qs = g.getValue().stream().mapToInt(Integer::intValue).toArray();
            double selectivity = g.getValue().stream().mapToDouble(filters::selectivity).average().orElse(1);
            String[] parts = g.getKey().split(" ");
            for (int l : searchL) {
                if (l < k) {
                    continue;
                }
                Map<String, Map<String, Object>> cell = new LinkedHashMap<>();
                for (String kind : kinds) {
                    long hits = 0;
                    long want = 0;
                    long dist = 0;
                    long hops = 0;
                    int scans = 0;
                    for (int q : qs) {
                        stats[0] = null;
                        int[] found = peers.run(kind, q, l, stats);
                        SearchResult r = stats[0];
                        if (r != null) {
                            dist += r.stats().distanceComputations();
                            hops += r.stats().hops();
                            scans += r.stats().hops() == 0 ? 1 : 0;
                        }
                        int valid = Recall.validTruth(truth, q, k);
                        want += valid;
                        hits += Recall.hits(found, truth, q, valid);
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("mode", kind);
                    row.put("bucket", parts[0]);
                    row.put("selectivity", ResultFiles.round(selectivity, 6));
                    row.put("filter", parts[1]);
                    row.put("L", l);
                    row.put("k", k);
                    row.put("recall", ResultFiles.round(want == 0 ? 1.0 : hits / (double) want, 4));
                    row.put("qps", 0.0);
                    row.put("distance_computations", ResultFiles.round(dist / (double) qs.length, 1));
                    row.put("hops", ResultFiles.round(hops / (double) qs.length, 1));
                    row.put("exact_scan", ResultFiles.round(scans / (double) qs.length, 3));
                    row.put("queries", qs.length);
                    row.put("qps_passes", new ArrayList<Double>());
                    cell.put(kind, row);
                }
                for (int pass = 0; pass < timing.passes(); pass++) {
                    for (String kind : kinds) {
                        double qps = timedPass(peers, kind, qs, l, timing.passSeconds(), stats);
                        Map<String, Object> row = cell.get(kind);
                        @SuppressWarnings("unchecked")
                        List<Double> passes = (List<Double>) row.get("qps_passes");
                        passes.add(ResultFiles.round(qps, 1));
                        row.put("qps", Math.max((Double) row.get("qps"), ResultFiles.round(qps, 1)));
                    }
                }
                for (String kind : kinds) {
                    rowsByKind.get(kind).add(cell.get(kind));
                }
                progress.update(++cellsDone);
            }
        }
        List<Object> rows = new ArrayList<>();
        System.out.println("  mode         bucket  filter      L   recall@" + k + "        QPS  dist/q  hops/q  exact_scan");
        for (String kind : kinds) {
            for (Object o : rowsByKind.get(kind)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) o;
                System.out.printf(Locale.ROOT, "  %-11s %7s  %-7s %5d   %.4f %10.0f %7.0f %7.1f  %.2f%n", kind,
                        row.get("bucket"), row.get("filter"), (Integer) row.get("L"), (Double) row.get("recall"),
                        (Double) row.get("qps"), (Double) row.get("distance_computations"), (Double) row.get("hops"),
                        (Double) row.get("exact_scan"));
                rows.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scan_fraction", params.scanFraction());
        out.put("scan_minimum", params.scanMinimum());
        out.put("filter_max_L", params.maxListSize());
        out.put("filter_build", mode.name().toLowerCase(Locale.ROOT));
        out.put("filter_runs", timing.passes());
        out.put("filter_pass_seconds", timing.passSeconds());
        out.put("filter_build_seconds", ResultFiles.round(filteredBuildSeconds, 3));
        if (files.load() != null && mode != io.diskann.filter.FilterBuild.NONE) {
            out.put("filter_index_loaded", files.load().toString()); // its build time is not in this run
        }
        if (lucene != null) {
            out.put("lucene_build_seconds", ResultFiles.round(lucene.buildSeconds(), 3));
        }
        if (jvector != null) {
            out.put("jvector_build_seconds", ResultFiles.round(jvector.buildSeconds(), 3));
            jvector.close();
        }
        out.put("rows", rows);
        List<Map<String, Object>> summary = FilterSummary.of(rows);
        FilterSummary.print(summary);
        out.put("summary", summary);
        return out;
    }

    /**
     * Where the label-aware index (--filter-build filtered or stitched) is loaded from instead of built, and
     * where a built one is saved; either may be null.
     *
     * @param load a file {@link LabeledIndex#save} wrote, or null to build
     * @param save where to save the built index, or null
     */
    record FilteredIndexFiles(java.nio.file.Path load, java.nio.file.Path save) {
        static final FilteredIndexFiles NONE = new FilteredIndexFiles(null, null);
    }

    /** Runs one query of one mode: ours (filtered), post-filtering ours, Lucene or jvector. */
    private record Runner(LabeledIndex li, VamanaIndex index, LuceneFilteredPeer lucene, JvectorFilteredPeer jvector,
                          QueryFilters filters, float[][] queries, int k) {

        /** The ids found; {@code stats[0]} receives our result (null for the peers). */
        int[] run(String kind, int q, int l, SearchResult[] stats) throws java.io.IOException {
            LabelFilter f = filters.filter(q);
            switch (kind) {
                case "filtered" -> {
                    stats[0] = li.search(queries[q], SearchParams.builder(k).listSize(l).build(), f);
                    return stats[0].ids();
                }
                case "post-filter" -> {
                    stats[0] = index.search(queries[q], SearchParams.builder(l).listSize(l).build());
                    return keep(stats[0].ids(), f, filters, k);
                }
                case "jvector" -> {
                    return jvector.search(queries[q], k, l, f == null ? null : filters.expression(q));
                }
                default -> {
                    return lucene.search(queries[q], k, l, f == null ? null : lucene.bitset(filters.expression(q), f, filters));
                }
            }
        }
    }

    /**
     * One timed pass of one mode over a cell's queries, repeated until it has run {@code seconds} (at least once):
     * queries per second. Nothing but the searches is inside the timing.
     */
    private static double timedPass(Runner peers, String kind, int[] qs, int l, double seconds, SearchResult[] stats)
            throws java.io.IOException {
        long budget = (long) (seconds * 1e9);
        long searched = 0;
        long start = System.nanoTime();
        long elapsed;
        int sink = 0;
        do {
            for (int q : qs) {
                sink += peers.run(kind, q, l, stats).length;
            }
            searched += qs.length;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        if (sink < 0) {
            throw new AssertionError();
        }
        return searched / (elapsed / 1e9);
    }

    /** The first k of {@code ids} (nearest first) that pass the filter. */
    private static int[] keep(int[] ids, LabelFilter f, QueryFilters filters, int k) {
        if (f == null) {
            return ids.length <= k ? ids : java.util.Arrays.copyOf(ids, k);
        }
        int[] out = new int[Math.min(k, ids.length)];
        int n = 0;
        for (int id : ids) {
            if (n < out.length && f.matches(filters.labels(), id)) {
                out[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
