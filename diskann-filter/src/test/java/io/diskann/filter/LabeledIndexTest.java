package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Filtered search against brute force over the matching vectors, for every filter kind and both paths. */
class LabeledIndexTest {

    static final int N = 3000;
    static final int DIMS = 24;

    static float[][] clustered(int n, Random r) {
        float[][] centres = new float[20][DIMS];
        for (float[] c : centres) {
            for (int j = 0; j < DIMS; j++) {
                c[j] = (float) r.nextGaussian() * 3;
            }
        }
        float[][] v = new float[n][DIMS];
        for (float[] row : v) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int j = 0; j < DIMS; j++) {
                row[j] = c[j] + (float) r.nextGaussian();
            }
        }
        return v;
    }

    /** Zipf-like labels 0..39, 1-3 per point, independent of the vectors. */
    static int[][] labels(int n, Random r) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new int[1 + r.nextInt(3)];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (int) Math.min(39, Math.floor(Math.pow(40, r.nextDouble())) - 1 + r.nextInt(2));
            }
        }
        return out;
    }

    private static LabeledIndex build(float[][] base, int[][] labels, FilterParams params) {
        return build(base, labels, params, FilterBuild.NONE, Metric.L2);
    }

    /** One build thread, so a seed replays the graph a recall floor was checked on. */
    /** An empty index with the tests' graph parameters and one build thread (a seed replays its graph). */
    static VamanaIndex emptyIndex(Metric metric) {
        return VamanaIndex.builder(DIMS, metric)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(1).build()).build();
    }

    static LabeledIndex build(float[][] base, int[][] labels, FilterParams params, FilterBuild mode, Metric metric) {
        VamanaIndex index = emptyIndex(metric);
        LabeledIndex li = LabeledIndex.wrap(index, -1, params);
        li.build(base, labels, mode);
        return li;
    }

    /**
     * Filtered-Vamana keeps each label's vectors connected among themselves, so a graph search that walks
     * only the matching vectors finds them at low selectivity, where the unfiltered graph searched through
     * the filter does not; inserts after the build link under the same rules.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = FilterBuild.class, names = {"FILTERED", "STITCHED"})
    void labelAwareGraphsFindSelectiveLabelsOnTheGraphAlone(FilterBuild mode) {
        for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE, Metric.INNER_PRODUCT}) {
            Random r = TestSeeds.random(67 + metric.ordinal() + 10L * mode.ordinal());
            float[][] all = clustered(N + 300 + 40, r);
            float[][] base = Arrays.copyOf(all, N);
            int[][] labels = labels(N + 300, r);
            FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
            try (LabeledIndex filtered = build(base, Arrays.copyOf(labels, N), graphOnly, mode, metric);
                 LabeledIndex plain = build(base, Arrays.copyOf(labels, N), graphOnly, FilterBuild.NONE, metric)) {
                assertEquals(mode, filtered.filterBuild());
                for (int i = N; i < N + 300; i++) { // inserts link under Filtered-Vamana's rules too
                    filtered.insert(all[i], labels[i]);
                    plain.insert(all[i], labels[i]);
                }
                float[][] current = Arrays.copyOf(all, N + 300);
                for (LabelFilter f : new LabelFilter[] {LabelFilter.label(39), LabelFilter.label(30), LabelFilter.label(0),
                        LabelFilter.anyOf(35, 39), LabelFilter.allOf(0, 1)}) {
                    int hitsF = 0;
                    int hitsP = 0;
                    int want = 0;
                    for (int q = N + 300; q < N + 340; q++) {
                        float[] query = all[q];
                        int[] t = IntStream.range(0, current.length).filter(id -> f.matches(filtered.labels(), id)).boxed()
                                .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(metric, query, current[i]))
                                        .thenComparingInt(i -> i)).limit(10).mapToInt(Integer::intValue).toArray();
                        SearchParams sp = SearchParams.builder(10).listSize(40).build();
                        int[] gf = filtered.search(query, sp, f).ids();
                        int[] gp = plain.search(query, sp, f).ids();
                        for (int id : gf) {
                            assertTrue(f.matches(filtered.labels(), id), metric + " " + f + ": " + id + " fails the filter");
                            hitsF += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                        }
                        for (int id : gp) {
                            hitsP += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                        }
                        want += t.length;
                    }
                    double rf = hitsF / (double) want;
                    double rp = hitsP / (double) want;
                    long matching = IntStream.range(0, current.length).filter(id -> f.matches(filtered.labels(), id)).count();
                    // a label with a few dozen carriers is answered by the exact scan in practice (FilterParams);
                    // on the graph alone its carriers are reachable only through each other, and the prune keeps
                    // a diverse few: recall there is lower, hence the looser bound
                    // (seen 0.58 with 28 carriers, and 0.4 with 10 carriers: Filtered-Vamana, IP, -Dtests.seed=
                    // f9ef5777e51439d3). Below 30 carriers the graph alone gives no dependable recall; those are
                    // scanned by default (FilterParams.scanMinimum), which the other tests check for recall 1
                    double floor = matching >= 100 ? 0.9 : matching >= 30 ? 0.5 : 0.0;
                    assertTrue(rf >= floor, mode + " " + metric + " " + f + " (" + matching + " match): recall " + rf
                            + ", plain graph widened to L=1500: " + rp);
                }
            }
        }
    }

    /**
     * On a label-aware graph the scan budget counts per list the walk would keep: a selective OR walks one
     * list per label, so it is scanned up to its labels' count times the budget, while a single label over
     * the budget is walked.
     */
    @Test
    void selectiveOrsOnLabelAwareGraphsScanUpToOneBudgetPerLabel() {
        Random r = TestSeeds.random(4411);
        float[][] all = clustered(N + 10, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = labels(N, r);
        for (int i = 0; i < N; i++) { // labels 50, 51, 52 on 40 vectors each: an OR of 120 (4% of N, selective)
            if (i % 75 < 3) {
                labels[i] = new int[] {50 + i % 75};
            }
        }
        FilterParams budget = FilterParams.builder().scanFraction(0).scanMinimum(60).build();
        try (LabeledIndex li = build(base, labels, budget, FilterBuild.STITCHED, Metric.L2)) {
            LabelFilter or = LabelFilter.anyOf(50, 51, 52);
            assertEquals(120, or.maxMatches(li.labels()));
            for (int q = N; q < N + 10; q++) {
                SearchResult res = li.search(all[q], SearchParams.builder(10).listSize(20).build(), or);
                assertEquals(0, res.stats().hops(), "an OR of 3 labels, 120 matches, budget 60 per list: scanned");
                int[] t = truth(base, all[q], 10, id -> or.matches(li.labels(), id));
                assertArrayEquals(t, res.ids(), "the scan is exact");
            }
            int common = 0; // a single label over the budget is walked
            assertTrue(li.labels().matchCount(common) > 60);
            assertTrue(li.search(all[N], SearchParams.builder(10).listSize(20).build(), LabelFilter.label(common))
                    .stats().hops() > 0, "a label of " + li.labels().matchCount(common) + " vectors is walked");
        }
    }

    /**
     * A label-aware graph's guided OR walks one union bitset (per query, or shared once the OR repeats): the
     * same results, in the same order, as testing the labels per node; relabeling a carrier is seen.
     */
    @Test
    void guidedOrsOnAUnionBitsetMatchTheWalkThatTestsLabels() {
        Random r = TestSeeds.random(4413);
        float[][] all = clustered(N + 20, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = labels(N, r);
        FilterParams walk = FilterParams.builder().scanFraction(0).scanMinimum(0).build();
        for (FilterBuild mode : new FilterBuild[] {FilterBuild.STITCHED, FilterBuild.FILTERED}) {
            try (LabeledIndex li = build(base, labels, walk, mode, Metric.L2)) {
                LabelFilter or = LabelFilter.anyOf(0, 1, 2);
                for (int round = 0; round < 2; round++) {
                    for (int q = N; q < N + 20; q++) {
                        SearchParams sp = SearchParams.builder(10).listSize(30).build();
                        SearchResult united;
                        SearchResult tested;
                        try {
                            FilterSearch.uniteOrs = true;
                            united = li.search(all[q], sp, or);
                            FilterSearch.uniteOrs = false;
                            tested = li.search(all[q], sp, or);
                        } finally {
                            FilterSearch.uniteOrs = true;
                        }
                        assertTrue(united.stats().hops() > 0, mode + ": the OR is walked");
                        assertArrayEquals(tested.ids(), united.ids(), mode + " round " + round + " query " + q);
                    }
                    // a carrier relabeled out of the OR is never returned afterwards (the cached union is void)
                    int carrier = li.search(all[N], SearchParams.builder(1).listSize(30).build(), or).ids()[0];
                    li.update(carrier, base[carrier], new int[] {9});
                    assertTrue(Arrays.stream(li.search(all[N], SearchParams.builder(10).listSize(30).build(), or).ids())
                            .noneMatch(id -> id == carrier), mode + ": relabeled " + carrier + " still returned");
                }
            }
        }
    }

    /**
     * The label-aware builds on two threads (the recall tests build on one, so a seed replays their graph):
     * every vector keeps an edge, results stay inside the filter, and label 0 (carried by about a third of
     * the vectors, a region any build links well) is found at recall >= 0.9.
     */
    @Test
    void labelAwareBuildsOnTwoThreads() {
        Random r = TestSeeds.random(0x2b1dL);
        float[][] all = clustered(N + 20, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = labels(N, r);
        for (FilterBuild mode : new FilterBuild[] {FilterBuild.FILTERED, FilterBuild.STITCHED}) {
            VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2)
                    .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build();
            try (LabeledIndex li = LabeledIndex.wrap(index, -1, FilterParams.builder().scanFraction(0).scanMinimum(0).build())) {
                li.build(base, labels, mode);
                for (int id = 0; id < N; id++) {
                    assertTrue(li.index().neighbors(id).length > 0, mode + ": vector " + id + " has no edge");
                }
                LabelReachability.assertEveryCarrierReachable(li, labels, mode);
                java.util.function.IntPredicate accept = id -> Arrays.stream(labels[id]).anyMatch(l -> l == 0);
                int hits = 0;
                int want = 0;
                for (int q = N; q < N + 20; q++) {
                    int[] t = truth(base, all[q], 10, accept);
                    SearchResult res = li.search(all[q], SearchParams.builder(10).listSize(40).build(), LabelFilter.label(0));
                    for (int id : res.ids()) {
                        assertTrue(accept.test(id), mode + ": " + id + " does not carry label 0");
                        hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                    }
                    want += t.length;
                }
                assertTrue(hits >= 0.9 * want, mode + ": recall " + hits / (double) want);
            }
        }
    }

    private static int[] truth(float[][] base, float[] q, int k, java.util.function.IntPredicate accept) {
        return IntStream.range(0, base.length).filter(accept).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(Metric.L2, q, base[i])).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static List<LabelFilter> filters(LabelView view) {
        List<LabelFilter> f = new ArrayList<>();
        f.add(LabelFilter.label(0));      // common
        f.add(LabelFilter.label(39));     // rarer
        f.add(LabelFilter.anyOf(20, 30, 39));
        f.add(LabelFilter.allOf(0, 1));
        f.add(LabelFilter.predicate(id -> id % 7 == 3, -1));
        f.add(LabelFilter.predicate(id -> id % 50 == 1, N / 50));
        f.add(LabelFilter.predicate(id -> id % 40 == 7, -1));   // selective, share unknown: sampled
        return f;
    }

    @Test
    void graphAndScanPathsAgreeWithBruteForceForEveryFilterKind() {
        Random r = TestSeeds.random(41);
        float[][] all = clustered(N + 40, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = labels(N, r);
        FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
        FilterParams scanAll = FilterParams.builder().scanFraction(1).build();
        try (LabeledIndex graph = build(base, labels, graphOnly); LabeledIndex scan = build(base, labels, scanAll)) {
            for (LabelFilter f : filters(graph.labels())) {
                int hits = 0;
                int want = 0;
                for (int q = N; q < N + 40; q++) {
                    int[] t = truth(base, all[q], 10, id -> f.matches(graph.labels(), id));
                    SearchResult g = graph.search(all[q], SearchParams.builder(10).listSize(40).build(), f);
                    SearchResult s = scan.search(all[q], 10, f);
                    for (int id : g.ids()) {
                        assertTrue(f.matches(graph.labels(), id), f + ": result " + id + " fails the filter");
                    }
                    if (!(f instanceof LabelFilter.Predicate)) {
                        assertArrayEquals(t, s.ids(), f + ": the scan is exact");
                        assertEquals(0, s.stats().hops(), "a scan makes no hops");
                    }
                    want += t.length;
                    for (int id : g.ids()) {
                        hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                    }
                }
                double recall = hits / (double) want;
                long matching = IntStream.range(0, N).filter(id -> f.matches(graph.labels(), id)).count();
                // an unfiltered graph searched through a selective filter loses recall: what the scan
                // (and the filtered builds) are for; broad filters must do well on the graph alone. A label
                // with ~20 carriers (0.6%, scanned by default) reached 0.52-0.62 with L widened to
                // L / sqrt(selectivity) = 516, 0.8 with L / selectivity = 1,500
                // filters under 10% of the vectors are searched with two-hop expansion (ACORN-1), which keeps
                // the list to accepted nodes: predicates at 2-2.5% must do well on the graph alone
                double floor = matching >= 0.05 * N || f instanceof LabelFilter.Predicate ? 0.9
                        : matching >= 0.01 * N ? 0.6 : 0.4;
                assertTrue(recall >= floor, f + " (" + matching + " of " + N + " match): graph recall " + recall);
            }
        }
    }

    @Test
    void filtersMatchingNoneOneOrAHandfulReturnExactlyThose() {
        Random r = TestSeeds.random(43);
        float[][] base = clustered(N, r);
        int[][] labels = labels(N, r);
        labels[17] = new int[] {100};
        for (int i : new int[] {5, 600, 1200, 2999}) {
            labels[i] = new int[] {101, 3};
        }
        try (LabeledIndex li = build(base, labels, FilterParams.defaults())) {
            float[] q = base[1000];
            assertEquals(0, li.search(q, 10, LabelFilter.label(99)).size(), "a label no vector carries");
            assertEquals(0, li.search(q, 10, LabelFilter.allOf(100, 101)).size());
            assertArrayEquals(new int[] {17}, li.search(q, 10, LabelFilter.label(100)).ids());
            int[] handful = li.search(q, 10, LabelFilter.label(101)).ids();
            assertArrayEquals(truth(base, q, 10, id -> id == 5 || id == 600 || id == 1200 || id == 2999), handful);
            assertArrayEquals(truth(base, q, 10, id -> id == 17 || id == 5 || id == 600 || id == 1200 || id == 2999),
                    li.search(q, 10, LabelFilter.anyOf(100, 101)).ids());
        }
    }

    @Test
    void filteredRangeSearchFindsTheMatchesWithinTheRadius() {
        Random r = TestSeeds.random(61);
        float[][] base = clustered(N, r);
        int[][] labels = labels(N, r);
        try (LabeledIndex scan = build(base, labels, FilterParams.builder().scanFraction(1).build());
             LabeledIndex graph = build(base, labels, FilterParams.builder().scanFraction(0).scanMinimum(0).build())) {
            for (LabelFilter f : new LabelFilter[] {LabelFilter.label(0), LabelFilter.label(39), LabelFilter.anyOf(3, 4)}) {
                float[] q = base[77];
                int[] near = truth(base, q, 31, id -> f.matches(scan.labels(), id));
                int kth = Math.min(29, near.length - 2); // rare labels: fewer than 31 carriers
                // halfway between two neighbours: no distance sits within rounding of the radius
                float radius = (float) ((Distances.distance(Metric.L2, q, base[near[kth]])
                        + Distances.distance(Metric.L2, q, base[near[kth + 1]])) / 2);
                int[] expected = truth(base, q, N, id -> f.matches(scan.labels(), id)
                        && Distances.distance(Metric.L2, q, base[id]) <= radius);
                assertArrayEquals(expected, scan.rangeSearch(q, radius, io.diskann.index.RangeParams.defaults(), f).ids(),
                        f + ": the scan is exact");
                SearchResult g = graph.rangeSearch(q, radius, io.diskann.index.RangeParams.defaults(), f);
                assertTrue(Arrays.stream(g.ids()).allMatch(id -> f.matches(graph.labels(), id)), f + ": outside the filter");
                assertTrue(g.size() >= expected.length * 0.8, f + ": graph found " + g.size() + " of " + expected.length);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> scan.rangeSearch(base[0], Float.NaN, io.diskann.index.RangeParams.defaults(), LabelFilter.label(0)));
        }
    }

    @Test
    void insertUpdateDeleteAndConsolidateKeepLabelsInStep() {
        Random r = TestSeeds.random(47);
        float[][] base = clustered(N, r);
        int[][] labels = labels(N, r);
        try (LabeledIndex li = build(base, labels, FilterParams.defaults())) {
            float[] v = base[10].clone();
            int id = li.insert(v, 200, 201);
            assertEquals(N, id);
            assertArrayEquals(new int[] {200, 201}, li.labelsOf(id));
            assertArrayEquals(new int[] {id}, li.search(v, 5, LabelFilter.allOf(200, 201)).ids());
            li.update(id, base[20], 202);
            assertEquals(0, li.search(v, 5, LabelFilter.label(200)).size(), "old labels gone");
            assertArrayEquals(new int[] {id}, li.search(base[20], 5, LabelFilter.label(202)).ids());
            li.delete(id);
            assertEquals(0, li.search(base[20], 5, LabelFilter.label(202)).size(), "deleted");
            assertEquals(0, li.labels().matchCount(202));
            for (int i = 0; i < 300; i++) {
                li.delete(i);
            }
            li.consolidate();
            for (SearchResult res : new SearchResult[] {li.search(base[1], 10, LabelFilter.label(0)),
                    li.search(base[1], 10, LabelFilter.allOf(0, 1))}) {
                assertTrue(Arrays.stream(res.ids()).allMatch(x -> x >= 300), "no deleted id returned");
            }
            assertThrows(IllegalArgumentException.class, () -> li.update(123_456, base[0], 1));
            assertThrows(IllegalArgumentException.class, () -> li.insert(base[0], -1));
            assertThrows(IllegalArgumentException.class, () -> li.insert(new float[3], 1));
            assertEquals(N + 1, li.insert(base[0], 5), "inputs refused before an id is taken leave no gap");
        }
    }

    @Test
    void concurrentChurnAndFilteredSearchesNeverReturnAVectorOutsideTheFilter() throws InterruptedException {
        Random r = TestSeeds.random(53);
        float[][] all = clustered(2 * N, r);
        int[][] labels = labels(2 * N, r);
        try (LabeledIndex li = build(Arrays.copyOf(all, N), Arrays.copyOf(labels, N), FilterParams.defaults())) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = N; i < 2 * N; i++) {
                        int id = li.insert(all[i], labels[i]);
                        if (i % 5 == 0) {
                            li.update(id, all[i], 7, 8);
                        }
                        if (i % 7 == 0) {
                            li.delete(id - 100); // an older one, possibly being returned by a search right now
                        }
                        if (i % 1000 == 0) {
                            li.consolidate();
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            writer.start();
            List<LabelFilter> fs = filters(li.labels());
            int q = 0;
            while (writer.isAlive() && failed.get() == null) {
                LabelFilter f = fs.get(q % fs.size());
                SearchResult res = li.search(all[q % N], 10, f);
                for (int id : res.ids()) {
                    boolean churned = (id % 5 == 0 && id >= N) || ((id + 100) % 7 == 0 && id + 100 >= N); // labels changed or deleted after the search
                    assertTrue(f.matches(li.labels(), id) || churned, f + " returned " + id);
                }
                q++;
            }
            writer.join();
            assertEquals(null, failed.get());
            int deleted = (int) IntStream.range(N, 2 * N).filter(i -> i % 7 == 0).count();
            assertEquals(2 * N - deleted, li.index().size());
            for (LabelFilter f : fs) { // after the churn: no deleted id, every result passes
                for (int qi = 0; qi < 20; qi++) {
                    for (int id : li.search(all[qi], 10, f).ids()) {
                        assertTrue(li.index().contains(id) && f.matches(li.labels(), id), f + " returned " + id);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void labelsSurviveSaveAndLoadAndADamagedFileIsRefused() throws Exception {
        Random r = TestSeeds.random(59);
        float[][] base = clustered(N, r);
        int[][] labels = labels(N, r);
        java.nio.file.Path file = dir.resolve("labeled.idx");
        int[] expected;
        try (LabeledIndex li = build(base, labels, FilterParams.defaults())) {
            int added = li.insert(base[9], 5, 6);
            li.delete(10);
            li.update(11, base[11], 300);
            li.save(file);
            expected = li.search(base[100], 10, LabelFilter.allOf(0, 1)).ids();
            assertEquals(N, added);
        }
        try (LabeledIndex back = LabeledIndex.load(file, FilterParams.defaults())) {
            assertArrayEquals(expected, back.search(base[100], 10, LabelFilter.allOf(0, 1)).ids());
            assertArrayEquals(new int[] {5, 6}, back.labelsOf(N));
            assertArrayEquals(new int[0], back.labelsOf(10), "deleted");
            assertArrayEquals(new int[] {300}, back.labelsOf(11));
            assertArrayEquals(new int[] {11}, back.search(base[11], 5, LabelFilter.label(300)).ids());
            assertEquals(N + 1, back.insert(base[0], 1), "ids continue after the saved ones");
        }
        try (VamanaIndex plain = VamanaIndex.load(file)) {
            assertEquals(N, plain.size(), "a plain load skips the labels");
        }
        // the labels sit near the end of the file: flip a byte there, the checksums refuse it
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length - 200] ^= 0x10;
        java.nio.file.Path damaged = dir.resolve("damaged.idx");
        java.nio.file.Files.write(damaged, bytes);
        assertThrows(io.diskann.index.CorruptIndexException.class, () -> LabeledIndex.load(damaged, FilterParams.defaults()));
        // a graph saved without labels is refused with a message that says so
        java.nio.file.Path plainFile = dir.resolve("plain.idx");
        try (VamanaIndex plain = VamanaIndex.load(file)) {
            plain.save(plainFile);
        }
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> LabeledIndex.load(plainFile, FilterParams.defaults()));
        assertTrue(e.getMessage().contains("without labels"), e.getMessage());
    }

    /**
     * A label-aware graph comes back from a file with its build mode and start points, so filtered
     * searches stay guided and inserts keep Filtered-Vamana's rules; deleting a label's start point hands
     * the label to another of its vectors.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = FilterBuild.class, names = {"FILTERED", "STITCHED"})
    void labelAwareGraphsSurviveSaveLoadAndLosingAStartPoint(FilterBuild mode) throws Exception {
        Random r = TestSeeds.random(71 + mode.ordinal());
        float[][] all = clustered(N + 40, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = labels(N, r);
        FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).build();
        java.nio.file.Path file = dir.resolve(mode + ".idx");
        SearchParams sp = SearchParams.builder(10).listSize(40).build();
        LabelFilter f = LabelFilter.label(5);
        int[][] expected = new int[40][];
        try (LabeledIndex li = build(base, labels, graphOnly, mode, Metric.L2)) {
            int start = li.filterSearchStartOf(5);
            assertTrue(start >= 0 && f.matches(li.labels(), start), "label 5 starts at one of its vectors");
            li.delete(start);
            int moved = li.filterSearchStartOf(5);
            assertTrue(moved >= 0 && moved != start && f.matches(li.labels(), moved), "the start moved to " + moved);
            li.save(file);
            for (int q = 0; q < 40; q++) {
                expected[q] = li.search(all[N + q], sp, f).ids();
            }
        }
        try (LabeledIndex back = LabeledIndex.load(file, graphOnly)) {
            assertEquals(mode, back.filterBuild());
            int hits = 0;
            int want = 0;
            for (int q = 0; q < 40; q++) {
                assertArrayEquals(expected[q], back.search(all[N + q], sp, f).ids(), "same guided search after load");
                float[] query = all[N + q];
                int[] t = truth(base, query, 10, id -> f.matches(back.labels(), id) && back.index().contains(id));
                for (int id : expected[q]) {
                    hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                }
                want += t.length;
            }
            assertTrue(hits / (double) want >= 0.9, mode + " recall after losing a start point " + hits / (double) want);
        }
    }

    /**
     * Stitched-Vamana on awkward label sets: a label with one carrier, one unlabeled vector, a single
     * vector, every vector universal. Nothing is left without edges, and each vector is found.
     */
    @Test
    void stitchedBuildHandlesSingletonLabelsLoneVectorsAndUniversalOnes() {
        Random r = TestSeeds.random(83);
        float[][] base = clustered(400, r);
        int[][] labels = labels(400, r);
        labels[7] = new int[] {900};          // the only carrier of label 900
        labels[8] = new int[0];               // the only unlabeled vector
        try (LabeledIndex li = build(base, labels, FilterParams.builder().scanFraction(0).scanMinimum(0).build(),
                FilterBuild.STITCHED, Metric.L2)) {
            assertArrayEquals(new int[] {7}, li.search(base[7], 3, LabelFilter.label(900)).ids());
            assertEquals(8, li.search(base[8], 1, null).ids()[0], "the unlabeled vector is reachable");
            assertTrue(li.index().neighbors(7).length > 0 && li.index().neighbors(8).length > 0, "no vector without edges");
        }
        int[][] universalOnly = new int[50][];
        Arrays.fill(universalOnly, new int[] {5});
        VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build();
        try (LabeledIndex li = LabeledIndex.wrap(index, 5, FilterParams.defaults())) {
            li.build(Arrays.copyOf(base, 50), universalOnly, FilterBuild.STITCHED);
            assertEquals(10, li.search(base[3], 10, LabelFilter.label(1)).size(), "universal vectors match every label");
            assertEquals(3, li.search(base[3], 1, null).ids()[0]);
        }
        VamanaIndex one = VamanaIndex.builder(DIMS, Metric.L2).build();
        try (LabeledIndex li = LabeledIndex.wrap(one, -1, FilterParams.defaults())) {
            li.build(new float[][] {base[0]}, new int[][] {{1}}, FilterBuild.STITCHED);
            assertArrayEquals(new int[] {0}, li.search(base[0], 1, LabelFilter.label(1)).ids());
        }
    }
}
