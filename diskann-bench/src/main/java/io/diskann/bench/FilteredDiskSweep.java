package io.diskann.bench;

import io.diskann.bench.data.IntMatrix;
import io.diskann.filter.FilteredIndex;
import io.diskann.filter.LabelFilter;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Label-filtered search on the SSD-resident index ({@code search-disk --base-labels F --query-filters F}
 * and {@code eval --disk} with filters): per selectivity bucket and filter kind, each W x L row reports
 * recall@k against filtered ground truth, single-thread QPS (warm-up pass, best of {@code runs}), reads,
 * cache hits, hops and the share of queries answered by the scan of the matches. JSON rows: {"bucket",
 * "selectivity", "filter", "k", "L", "W", "recall", "qps", "ios_per_query", "cache_hits_per_query",
 * "hops_per_query", "io_us", "cpu_us", "pq_distances_per_query", "exact_distances_per_query", "exact_scan",
 * "queries"}.
 */
final class FilteredDiskSweep {

    private FilteredDiskSweep() {
    }

    static List<Object> run(FilteredIndex index, float[][] queries, QueryFilters filters, IntMatrix truth, int k,
                            int[] searchL, int[] beamWidths, int runs) {
        int nq = Math.min(queries.length, filters.queries());
        Map<String, List<Integer>> groups = filters.groups(nq);
        List<Object> rows = new ArrayList<>();
        System.out.println("  bucket  filter      W     L   recall@" + k + "        QPS   reads/q  cache/q   hops/q   io_us/q"
                + "  cpu_us/q  exact_scan");
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> qs = g.getValue();
            double selectivity = qs.stream().mapToDouble(filters::selectivity).average().orElse(1);
            for (int w : beamWidths) {
                for (int l : searchL) {
                    if (l < k) {
                        continue;
                    }
                    SearchParams p = SearchParams.builder(k).listSize(l).beamWidth(w).build();
                    for (int q : qs) { // warm-up pass
                        index.search(queries[q], p, filters.filter(q));
                    }
                    double best = Double.MAX_VALUE;
                    long reads = 0;
                    long hits = 0;
                    long hops = 0;
                    long io = 0;
                    long bestIo = 0;
                    long found = 0;
                    long want = 0;
                    int scans = 0;
                    long pqDistances = 0;
                    long exactDistances = 0;
                    for (int run = 0; run < runs; run++) {
                        reads = hits = hops = io = found = want = scans = 0;
                        pqDistances = exactDistances = 0;
                        long start = System.nanoTime();
                        for (int q : qs) {
                            LabelFilter f = filters.filter(q);
                            SearchResult r = index.search(queries[q], p, f);
                            reads += r.stats().reads();
                            hits += r.stats().cacheHits();
                            hops += r.stats().hops();
                            io += r.stats().ioNanos();
                            pqDistances += r.stats().distanceComputations();
                            exactDistances += r.stats().rerankDistances();
                            scans += r.stats().hops() == 0 ? 1 : 0;
                            int valid = Recall.validTruth(truth, q, k);
                            want += valid;
                            found += Recall.hits(r.ids(), truth, q, valid);
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (seconds < best) { // I/O time of the pass the QPS comes from (cpu_us = time - io_us)
                            best = seconds;
                            bestIo = io;
                        }
                    }
                    int n = qs.size();
                    double recall = want == 0 ? 1.0 : found / (double) want;
                    double ioUs = bestIo / 1e3 / n;
                    double cpuUs = best * 1e6 / n - ioUs;
                    String[] parts = g.getKey().split(" ");
                    System.out.printf(Locale.ROOT, "  %6s  %-7s %4d %5d %10.4f %10.0f %9.1f %8.1f %8.1f %9.1f %9.1f  %.2f%n",
                            parts[0], parts[1], w, l, recall, n / best, reads / (double) n, hits / (double) n, hops / (double) n,
                            ioUs, cpuUs, scans / (double) n);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("bucket", parts[0]);
                    row.put("selectivity", ResultFiles.round(selectivity, 6));
                    row.put("filter", parts[1]);
                    row.put("k", k);
                    row.put("L", l);
                    row.put("W", w);
                    row.put("recall", ResultFiles.round(recall, 4));
                    row.put("qps", ResultFiles.round(n / best, 1));
                    row.put("ios_per_query", ResultFiles.round(reads / (double) n, 2));
                    row.put("cache_hits_per_query", ResultFiles.round(hits / (double) n, 2));
                    row.put("hops_per_query", ResultFiles.round(hops / (double) n, 2));
                    row.put("io_us", ResultFiles.round(ioUs, 1));
                    row.put("cpu_us", ResultFiles.round(cpuUs, 1));
                    row.put("pq_distances_per_query", ResultFiles.round(pqDistances / (double) n, 1));
                    row.put("exact_distances_per_query", ResultFiles.round(exactDistances / (double) n, 1));
                    row.put("exact_scan", ResultFiles.round(scans / (double) n, 3));
                    row.put("queries", n);
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
