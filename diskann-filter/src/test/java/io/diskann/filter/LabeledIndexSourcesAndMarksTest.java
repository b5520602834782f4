package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How a labeled index is fed and walked beyond the basic filter kinds of {@link LabeledIndexTest}: builds from a
 * vector source instead of arrays, and broad ORs of sparse labels walked on a bitset marked from their postings.
 */
class LabeledIndexSourcesAndMarksTest {

    private static final int N = LabeledIndexTest.N;
    private static final int DIMS = LabeledIndexTest.DIMS;

    /**
     * A build from a vector source (a mapped file, say) is the build from arrays: with one build thread the same
     * graph for every mode, each vector read by the source; and a bad vector from the source stores nothing.
     */
    @Test
    void buildsFromASourceEqualBuildsFromArrays() {
        Random r = TestSeeds.random(6161);
        float[][] base = LabeledIndexTest.clustered(1200, r);
        int[][] labels = LabeledIndexTest.labels(1200, r);
        for (FilterBuild mode : FilterBuild.values()) {
            java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
            try (LabeledIndex fromArrays = LabeledIndexTest.build(base, labels, FilterParams.defaults(), mode, Metric.L2);
                 LabeledIndex fromSource = LabeledIndex.wrap(LabeledIndexTest.emptyIndex(Metric.L2), -1, FilterParams.defaults())) {
                fromSource.build(base.length, (i, reuse) -> {
                    reads.incrementAndGet();
                    System.arraycopy(base[i], 0, reuse, 0, DIMS);
                    return reuse;
                }, labels, mode);
                assertEquals(mode, fromSource.filterBuild());
                assertTrue(reads.get() >= 2L * base.length, mode + ": validated, then built, from the source: " + reads);
                for (int id = 0; id < base.length; id++) {
                    assertArrayEquals(fromArrays.index().neighbors(id), fromSource.index().neighbors(id), mode + " list of " + id);
                    assertArrayEquals(base[id], fromSource.index().vector(id), mode + " vector " + id);
                }
            }
        }
        try (LabeledIndex li = LabeledIndex.wrap(VamanaIndex.builder(DIMS, Metric.L2).build(), -1, FilterParams.defaults())) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> li.build(base.length,
                    (i, reuse) -> i == 700 ? new float[DIMS - 1] : base[i], labels, FilterBuild.STITCHED));
            assertTrue(bad.getMessage().contains("vector 700"), bad.getMessage());
            assertEquals(0, li.index().size(), "nothing stored");
            assertTrue(!LabelFilter.label(labels[0][0]).matches(li.labels(), 0), "no labels stored");
        }
    }

    /**
     * A build from a source reports its progress: one total throughout (the vectors; for Stitched-Vamana each
     * vector once per label and once more for the stitching), counts within it, and the last count at the total.
     */
    @Test
    void labeledBuildsReportTheirProgress() {
        Random r = TestSeeds.random(6262);
        float[][] base = LabeledIndexTest.clustered(1200, r);
        int[][] labels = LabeledIndexTest.labels(1200, r);
        long memberships = 0;
        for (int[] set : labels) {
            memberships += LabelStore.normalize(set).length; // duplicates count once
        }
        for (FilterBuild mode : FilterBuild.values()) {
            List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            try (LabeledIndex li = LabeledIndex.wrap(LabeledIndexTest.emptyIndex(Metric.L2), -1, FilterParams.defaults())) {
                li.build(base.length, (i, reuse) -> base[i], labels, mode, (done, total) -> calls.add(new long[] {done, total}));
            }
            assertTrue(calls.size() >= 2, mode + ": progress reported " + calls.size() + " times");
            long total = calls.get(0)[1];
            if (mode == FilterBuild.STITCHED) { // plus the last group's unlabeled vectors, lone carriers and bridges
                assertTrue(total >= memberships + base.length && total <= 2 * memberships + 2 * base.length,
                        mode + " total " + total + " for " + memberships + " memberships");
            } else {
                assertEquals(base.length, total, mode + " total");
            }
            long max = 0;
            for (long[] c : calls) {
                assertEquals(total, c[1], mode + ": one total");
                assertTrue(c[0] >= 0 && c[0] <= total, mode + ": " + c[0] + " of " + total);
                max = Math.max(max, c[0]);
            }
            assertEquals(total, max, mode + ": the build ends at its total");
        }
    }

    /**
     * A broad OR of sparse labels on the plain graph walks a bitset marked from their posting lists: the same
     * results as testing each node's labels, all matching the filter, recall against brute force, and ids whose
     * label was removed (stale posting entries) or that turned universal handled.
     */
    @Test
    void broadOrsOfSparseLabelsWalkAMarkedBitsetWithTheSameResults() {
        Random r = TestSeeds.random(5151);
        float[][] all = LabeledIndexTest.clustered(N + 40, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = LabeledIndexTest.labels(N, r);
        int universal = 40;
        FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
        VamanaIndex index = LabeledIndexTest.emptyIndex(Metric.L2);
        boolean before = FilterSearch.markSparseOrs;
        try (LabeledIndex li = LabeledIndex.wrap(index, universal, graphOnly)) {
            li.build(base, labels, FilterBuild.NONE);
            LabelStore store = (LabelStore) li.labels();
            // the sparse labels (no bitset), rarest last, taken until they cover 12% of the points
            int[] counts = new int[40];
            for (int[] s : labels) {
                for (int l : Arrays.stream(s).distinct().toArray()) {
                    counts[l]++;
                }
            }
            List<Integer> sparse = new ArrayList<>();
            int covered = 0;
            for (int l = 0; l < 40 && covered < 0.12 * N; l++) {
                if (!store.dense(l) && counts[l] > 0) {
                    sparse.add(l);
                    covered += counts[l];
                }
            }
            int[] orLabels = sparse.stream().mapToInt(Integer::intValue).toArray();
            LabelFilter f = LabelFilter.anyOf(orLabels);
            // stale entries: some carriers lose the label; a few non-carriers turn universal
            for (int id = 0, changed = 0; id < N && changed < 30; id++) {
                if (f.matches(store, id)) {
                    li.update(id, base[id], new int[] {39 - orLabels.length % 3}); // a label outside the OR or dense
                    changed++;
                }
            }
            for (int id = 1; id < N; id += 307) {
                li.update(id, base[id], new int[] {universal});
            }
            long matching = IntStream.range(0, N).filter(id -> f.matches(store, id)).count();
            assertTrue(matching >= 0.09 * N && store.anySparse(orLabels), "the test needs a broad OR of sparse labels: "
                    + matching + " matches of " + Arrays.toString(orLabels));
            int hits = 0;
            int want = 0;
            SearchParams sp = SearchParams.builder(10).listSize(20).build();
            for (int q = N; q < N + 40; q++) {
                float[] query = all[q];
                FilterSearch.uniteOrs = true;
                SearchResult united = li.search(query, sp, f);
                FilterSearch.uniteOrs = false;
                FilterSearch.markSparseOrs = true;
                SearchResult marked = li.search(query, sp, f);
                FilterSearch.markSparseOrs = false;
                SearchResult tested = li.search(query, sp, f);
                assertArrayEquals(tested.ids(), marked.ids(), "query " + q + ": marked and per-node walks differ");
                assertArrayEquals(tested.ids(), united.ids(), "query " + q + ": union and per-node walks differ");
                int[] t = IntStream.range(0, N).filter(id -> f.matches(store, id)).boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(Metric.L2, query, base[i]))
                                .thenComparingInt(i -> i)).limit(10).mapToInt(Integer::intValue).toArray();
                for (int id : marked.ids()) {
                    assertTrue(f.matches(store, id), id + " fails the filter");
                    hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                }
                want += t.length;
            }
            assertTrue(hits >= 0.9 * want, "recall " + hits / (double) want);
        } finally {
            FilterSearch.markSparseOrs = before;
            FilterSearch.uniteOrs = true;
        }
    }
}
