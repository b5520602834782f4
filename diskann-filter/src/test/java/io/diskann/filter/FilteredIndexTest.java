package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.VectorIndex;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label filters on the PQ index and the SSD-resident index (labels in RAM), against brute force over the
 * matching vectors: every filter kind, the scan and the graph path, range search, 0 and 1 matches.
 */
class FilteredIndexTest {

    private static final int N = 3000;

    @TempDir
    Path dir;

    private static int[] truth(Metric m, float[][] base, float[] q, int k, IntPredicate accept) {
        return IntStream.range(0, base.length).filter(accept).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(m, q, base[i])).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Built on one thread, so a seed replays its graph exactly (on two, seed 669bf1cbc09e4a4c failed about one
     * run in six: its cosine graph strands a two-hop walk, which now falls back to the scan).
     */
    private static VamanaIndex graph(float[][] base, Metric metric) {
        VamanaIndex g = VamanaIndex.builder(base[0].length, metric)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(1).build()).build();
        g.build(base);
        return g;
    }

    private VectorIndex open(String kind, float[][] base, Metric metric) throws IOException {
        VamanaIndex g = graph(base, metric);
        if (kind.equals("pq")) {
            return PqIndex.compress(g, PqParams.builder(12).threads(2).build());
        }
        Path p = dir.resolve(metric + ".disk");
        try (g) {
            DiskIndexWriter.write(g, PqParams.builder(12).threads(2).build(), p);
        }
        return DiskIndex.open(p);
    }

    private static List<LabelFilter> filters() {
        return List.of(LabelFilter.label(0), LabelFilter.label(39), LabelFilter.anyOf(20, 30, 39), LabelFilter.allOf(0, 1),
                LabelFilter.predicate(id -> id % 7 == 3, -1), LabelFilter.predicate(id -> id % 50 == 1, N / 50));
    }

    /** Recall of the filtered search on the PQ and disk indexes, with both paths forced in turn. */
    @Test
    void everyFilterKindOnPqAndDiskAgainstBruteForce() throws IOException {
        for (String kind : new String[] {"pq", "disk"}) {
            for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE, Metric.INNER_PRODUCT}) {
                Random r = TestSeeds.random(501 + metric.ordinal() + (kind.equals("pq") ? 0 : 10));
                float[][] all = LabeledIndexTest.clustered(N + 40, r);
                float[][] base = Arrays.copyOf(all, N);
                LabelSets sets = LabelSets.of(LabeledIndexTest.labels(N, r), -1);
                FilterParams scanAll = FilterParams.builder().scanFraction(1).build();
                FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
                try (VectorIndex index = open(kind, base, metric)) {
                    FilteredIndex scanning = FilteredIndex.of(index, sets, scanAll);
                    FilteredIndex walking = FilteredIndex.of(index, sets, graphOnly);
                    for (LabelFilter f : filters()) {
                        IntPredicate accept = id -> f.matches(sets, id);
                        long matching = IntStream.range(0, N).filter(accept).count();
                        for (FilteredIndex fi : new FilteredIndex[] {scanning, walking}) {
                            boolean scans = fi == scanning && !(f instanceof LabelFilter.Predicate);
                            int hits = 0;
                            int want = 0;
                            for (int q = N; q < N + 40; q++) {
                                int[] t = truth(metric, base, all[q], 10, accept);
                                SearchResult res = fi.search(all[q], SearchParams.builder(10).listSize(80).beamWidth(4).build(), f);
                                for (int i = 0; i < res.size(); i++) {
                                    int id = res.ids()[i];
                                    assertTrue(accept.test(id), kind + " " + metric + " " + f + ": " + id + " fails the filter");
                                    assertEquals(Distances.distance(metric, all[q], base[id]), res.distances()[i],
                                            1e-3 * Math.max(1, Math.abs(res.distances()[i])), "exact distances are returned");
                                    hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                                }
                                if (scans) {
                                    assertEquals(0, res.stats().hops(), "a scan walks no graph");
                                }
                                want += t.length;
                            }
                            double recall = hits / (double) want;
                            // the scan is exact on the PQ index; on disk it re-reads a PQ shortlist of 4k (>= 50).
                            // The graph path keeps the filter inside the loop on both (on disk the accepted nodes
                            // the beam did not expand are read too: without that the 14% predicate gave 0.62);
                            // it loses recall as the filter narrows (a label with ~20 carriers, 0.6%: 0.6-1.0 with
                            // L widened to L / sqrt(selectivity); such labels are scanned by default)
                            double floor = scans ? (kind.equals("pq") ? 1.0 : 0.97) : matching >= 100 ? 0.88 : 0.4;
                            assertTrue(recall >= floor, kind + " " + metric + " " + f + " (" + matching + " match, "
                                    + (scans ? "scan" : "graph") + "): recall " + recall);
                        }
                    }
                }
            }
        }
    }

    /**
     * Recorded data (run 669bf1cbc09e4a4c of the test above): the PQ index's cosine graph strands the two-hop
     * walk of a label with 20 carriers, with the graph path forced: 2 results in 3 hops, recall 0.135. The
     * planner sees a walk that found fewer than k of the marked matches and answers from them exactly.
     */
    @Test
    void aStrandedTwoHopWalkIsAnsweredFromTheMarkedMatches() throws IOException {
        Random r = new Random(TestSeeds.seedUnder(0x669bf1cbc09e4a4cL, 501 + Metric.COSINE.ordinal()));
        float[][] all = LabeledIndexTest.clustered(N + 40, r);
        float[][] base = Arrays.copyOf(all, N);
        LabelSets sets = LabelSets.of(LabeledIndexTest.labels(N, r), -1);
        FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
        LabelFilter f = LabelFilter.label(39);
        IntPredicate accept = id -> f.matches(sets, id);
        try (VectorIndex index = open("pq", base, Metric.COSINE)) {
            double share = IntStream.range(0, N).filter(accept).count() / (double) N;
            int stranded = 0;
            for (int q = N; q < N + 40; q++) { // the bare two-hop walk, no planner
                stranded += index.search(all[q], SearchParams.builder(10).listSize(80).beamWidth(4)
                        .filter(accept, share).build()).size() < 10 ? 1 : 0;
            }
            assertTrue(stranded > 0, "the recorded graph strands the walk (else this test pins nothing)");
            FilteredIndex walking = FilteredIndex.of(index, sets, graphOnly);
            int hits = 0;
            for (int q = N; q < N + 40; q++) {
                int[] t = truth(Metric.COSINE, base, all[q], 10, accept);
                SearchResult res = walking.search(all[q], SearchParams.builder(10).listSize(80).beamWidth(4).build(), f);
                assertEquals(Math.min(10, t.length), res.size(), "a stranded walk still returns k");
                assertTrue(res.stats().hops() > 0, "the walk's cost is counted with the scan's");
                for (int id : res.ids()) {
                    hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                }
            }
            assertEquals(400, hits, "answered from the matches, exactly");
        }
    }

    /**
     * The disk index cannot walk two hops through rejected nodes (each list is a read), so a selective
     * filter that is not scanned widens its list to L / sqrt(selectivity) there: the beam then reads well
     * over L nodes. (A planner that took the disk searcher for a two-hop one left L unwidened: Fashion-MNIST
     * 10% AND fell from 0.97 to 0.75 recall at L=20.)
     */
    @Test
    void selectiveFiltersWidenTheListOnDisk() throws IOException {
        Random r = TestSeeds.random(593);
        float[][] all = LabeledIndexTest.clustered(N + 20, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] perPoint = LabeledIndexTest.labels(N, r);
        for (int i = 0; i < N; i++) { // label 90 on every 20th vector: 5%, below the two-hop threshold of 10%
            perPoint[i] = i % 20 == 0 ? new int[] {90} : perPoint[i];
        }
        FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
        try (FilteredIndex fi = FilteredIndex.of(open("disk", base, Metric.L2), LabelSets.of(perPoint, -1), graphOnly)) {
            long reads = 0;
            int l = 20;
            for (int q = N; q < N + 20; q++) {
                SearchResult res = fi.search(all[q], SearchParams.builder(10).listSize(l).beamWidth(4).build(),
                        LabelFilter.label(90));
                reads += res.stats().reads();
            }
            double perQuery = reads / 20.0;
            assertTrue(perQuery > 3 * l, "a 5% filter on disk reads " + perQuery + " nodes per query at L=" + l
                    + ": the list was not widened (L / sqrt(0.05) = " + Math.round(l / Math.sqrt(0.05)) + ")");
        }
    }

    @Test
    void noMatchOneMatchAndRangeSearchOnDisk() throws IOException {
        Random r = TestSeeds.random(577);
        float[][] all = LabeledIndexTest.clustered(N + 20, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] perPoint = LabeledIndexTest.labels(N, r);
        perPoint[1234] = new int[] {77};                   // one carrier of label 77; none of 78
        LabelSets sets = LabelSets.of(perPoint, -1);
        try (FilteredIndex fi = FilteredIndex.of(open("disk", base, Metric.L2), sets, FilterParams.defaults())) {
            for (int qi = N; qi < N + 20; qi++) {
                final int q = qi;
                assertEquals(0, fi.search(all[q], 10, LabelFilter.label(78)).size());
                SearchResult one = fi.search(all[q], 10, LabelFilter.label(77));
                assertEquals(1, one.size());
                assertEquals(1234, one.ids()[0]);
                // range search: exactly the matches within the radius
                LabelFilter f = LabelFilter.label(39);
                float radius = Distances.distance(Metric.L2, all[q], base[truth(Metric.L2, base, all[q], 5, id -> f.matches(sets, id))[4]]);
                SearchResult range = fi.rangeSearch(all[q], radius, RangeParams.defaults(), f);
                int[] inside = IntStream.range(0, N).filter(id -> f.matches(sets, id)
                        && Distances.distance(Metric.L2, all[q], base[id]) <= radius).toArray();
                assertEquals(inside.length, range.size(), "range search over " + inside.length + " matches");
                for (int id : range.ids()) {
                    assertTrue(f.matches(sets, id));
                }
            }
            // a broad filter's range search walks the graph with the filter in the loop (no scan): it must find
            // the matches within the radius, not only those among the nodes it expanded
            LabelFilter broad = LabelFilter.label(0);
            FilteredIndex walker = FilteredIndex.of(fi.index(), sets, FilterParams.builder().scanFraction(0).scanMinimum(0)
                    .build()); // shares fi's index: closed with fi
            int want = 0;
            int found = 0;
            for (int q = N; q < N + 20; q++) {
                float[] query = all[q];
                float radius = Distances.distance(Metric.L2, query, base[truth(Metric.L2, base, query, 20, id -> broad.matches(sets, id))[19]]);
                long inside = IntStream.range(0, N).filter(id -> broad.matches(sets, id)
                        && Distances.distance(Metric.L2, query, base[id]) <= radius).count();
                SearchResult range = walker.rangeSearch(query, radius, RangeParams.defaults(), broad);
                for (int id : range.ids()) {
                    assertTrue(broad.matches(sets, id), "range result " + id + " fails the filter");
                }
                want += (int) inside;
                found += range.size();
                assertTrue(range.stats().hops() > 0, "a broad filter walks the graph");
            }
            assertTrue(found >= 0.9 * want, "filtered range search on disk found " + found + " of " + want);
            // batch: same answers as one by one
            float[][] qs = Arrays.copyOfRange(all, N, N + 20);
            LabelFilter[] fs = new LabelFilter[qs.length];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = i % 3 == 0 ? null : i % 3 == 1 ? LabelFilter.label(0) : LabelFilter.anyOf(5, 39);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                SearchResult[] batch = fi.batchSearch(qs, SearchParams.builder(10).listSize(40).build(), fs, pool);
                for (int i = 0; i < qs.length; i++) {
                    SearchResult single = fi.search(qs[i], SearchParams.builder(10).listSize(40).build(), fs[i]);
                    assertTrue(Arrays.equals(single.ids(), batch[i].ids()), "query " + i);
                }
                float[][] bad = qs.clone();
                bad[7] = new float[3];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> fi.batchSearch(bad, SearchParams.builder(10).build(), fs, pool));
                assertTrue(e.getMessage().contains("query 7"), e.getMessage());
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void labelsMustCoverTheIdsOfTheIndex() throws IOException {
        Random r = TestSeeds.random(599);
        float[][] base = LabeledIndexTest.clustered(500, r);
        try (VamanaIndex g = graph(base, Metric.L2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FilteredIndex.of(g, LabelSets.of(LabeledIndexTest.labels(499, r), -1), FilterParams.defaults()));
            assertTrue(e.getMessage().contains("500") && e.getMessage().contains("499"), e.getMessage());
        }
    }
}
