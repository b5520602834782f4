package io.diskann.graph;

import io.diskann.testing.TestSeeds;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Recall against brute force for every element type and metric, plus result-shape invariants. */
class VamanaIndexTest {

    static Stream<Arguments> typesAndMetrics() {
        return Stream.of(VectorType.F32, VectorType.F16, VectorType.I8, VectorType.U8)
                .flatMap(t -> Stream.of(Metric.values()).map(m -> Arguments.of(t, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndMetrics")
    void recallAt10IsAtLeast95PercentAtL100(VectorType type, Metric metric) {
        int n = 20_000;
        int dim = 64;
        float[][] all = TestData.clustered(n + 200, dim, 40, type, 17 + type.ordinal() * 3L + metric.ordinal());
        float[][] data = java.util.Arrays.copyOf(all, n);
        float[][] queries = java.util.Arrays.copyOfRange(all, n, n + 200);
        // one thread: the graph, and so the recall, is the same in every run (u8 inner product on two
        // threads ranged 0.945-0.9985 over 12 builds, whether L_build was 64 or 100)
        VamanaIndex index = VamanaIndex.builder(dim, metric).vectorType(type)
                .params(VamanaParams.builder().threads(1).build())
                .build();
        index.build(data);
        float[][] stored = TestData.asStored(data, type);
        double recall = 0;
        for (float[] q : queries) {
            SearchResult r = index.search(q, 10, 100);
            assertEquals(10, r.size());
            for (int i = 1; i < r.size(); i++) {
                assertTrue(r.distances()[i - 1] <= r.distances()[i], "results sorted by distance");
            }
            Set<Integer> unique = new HashSet<>();
            for (int id : r.ids()) {
                assertTrue(unique.add(id), "duplicate id " + id);
            }
            recall += TestData.recall(metric, stored, q, TestData.topK(metric, stored, q, 10), r.ids());
        }
        recall /= queries.length;
        assertTrue(recall >= 0.95, type + " " + metric + " recall@10 = " + recall);
        VamanaStats s = index.stats();
        assertTrue(s.maxDegree() <= 64, "degree bound R: " + s.maxDegree());
        assertTrue(s.minDegree() >= 1, "every node has an out-edge");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void kLargerThanIndexReturnsEveryVector(Metric metric) {
        float[][] data = TestData.clustered(7, 5, 2, VectorType.F32, 1);
        VamanaIndex index = VamanaIndex.builder(5, metric).params(VamanaParams.builder().maxDegree(4).threads(1).build()).build();
        index.build(data);
        SearchResult r = index.search(data[3], 20, 20);
        assertEquals(7, r.size());
        assertArrayEquals(TestData.topK(metric, data, data[3], 7), r.ids());
    }

    static Stream<Metric> metrics() {
        return Stream.of(Metric.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void rangeSearchEqualsBruteForceAtLargeL(Metric metric) {
        int n = 2000;
        float[][] data = TestData.clustered(n, 16, 10, VectorType.F32, 5);
        VamanaIndex index = VamanaIndex.builder(16, metric).params(VamanaParams.builder().maxDegree(24).threads(2).build()).build();
        index.build(data);
        Random r = TestSeeds.random(3);
        for (int t = 0; t < 10; t++) {
            float[] q = data[r.nextInt(n)];
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = TestData.distance(metric, q, data[i]);
            }
            double[] sorted = d.clone();
            java.util.Arrays.sort(sorted);
            float radius = (float) sorted[30 + t * 5];
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (d[i] <= radius - 1e-5 * Math.abs(radius)) {
                    expected.add(i);
                }
            }
            SearchResult res = index.rangeSearch(q, radius, RangeParams.of(1000, 4000));
            Set<Integer> got = new HashSet<>();
            for (int i = 0; i < res.size(); i++) {
                got.add(res.ids()[i]);
                assertTrue(res.distances()[i] <= radius);
            }
            assertTrue(got.containsAll(expected), metric + " range result misses " + diff(expected, got));
            assertTrue(got.size() <= expected.size() + 3, "only boundary ties may be added");
        }
    }

    private static Set<Integer> diff(Set<Integer> a, Set<Integer> b) {
        Set<Integer> s = new HashSet<>(a);
        s.removeAll(b);
        return s;
    }

    @org.junit.jupiter.api.Test
    void badInputGetsClearErrors() {
        VamanaIndex empty = VamanaIndex.builder(4, Metric.L2).build();
        var e0 = assertThrows(IllegalStateException.class, () -> empty.search(new float[4], 1, 10));
        assertTrue(e0.getMessage().contains("empty"));
        VamanaIndex index = VamanaIndex.builder(4, Metric.L2).params(VamanaParams.builder().maxDegree(4).threads(1).build()).build();
        index.build(TestData.clustered(50, 4, 2, VectorType.F32, 2));
        var e1 = assertThrows(IllegalArgumentException.class, () -> index.search(new float[5], 1, 10));
        assertTrue(e1.getMessage().contains("5") && e1.getMessage().contains("4"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {0, Float.NaN, 0, 0}, 1, 10));
        assertTrue(e2.getMessage().contains("NaN"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {0, Float.POSITIVE_INFINITY, 0, 0}, 1, 10));
        var e3 = assertThrows(IllegalArgumentException.class, () -> index.search(new float[4], 0, 10));
        assertTrue(e3.getMessage().contains("0"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> index.search(new float[4], 20, 10));
        assertTrue(e4.getMessage().contains("20") && e4.getMessage().contains("10"), e4.getMessage());
        assertThrows(IllegalStateException.class, () -> index.build(new float[][] {{1, 2, 3, 4}}));
        assertThrows(IllegalArgumentException.class, () -> VamanaParams.builder().alpha(0.5f).build());
        assertThrows(IllegalArgumentException.class, () -> VamanaParams.builder().maxDegree(0).build());
        assertThrows(IllegalArgumentException.class, () -> index.neighbors(50));
        VamanaIndex u8 = VamanaIndex.builder(2, Metric.L2).vectorType(VectorType.U8).build();
        var e5 = assertThrows(IllegalArgumentException.class, () -> u8.build(new float[][] {{1, 2}, {3, 300}}));
        assertTrue(e5.getMessage().contains("vector 1"), e5.getMessage());
    }

    /** A bad vector deep in a large input, stored on several threads, is named; the index stays empty. */
    @org.junit.jupiter.api.Test
    void aBadVectorStoredOnSeveralThreadsIsNamedAndNothingIsBuilt() {
        float[][] data = TestData.clustered(6_000, 8, 4, VectorType.F32, 3);
        float[][] bad = data.clone();
        bad[5_000] = data[5_000].clone();
        bad[5_000][3] = Float.NaN;
        try (VamanaIndex index = VamanaIndex.builder(8, Metric.L2)
                .params(VamanaParams.builder().maxDegree(8).threads(2).build()).build()) {
            var e = assertThrows(IllegalArgumentException.class, () -> index.build(bad));
            assertTrue(e.getMessage().contains("vector 5000") && e.getMessage().contains("NaN"), e.getMessage());
            float[][] shortRow = data.clone();
            shortRow[4_321] = new float[7];
            var d = assertThrows(IllegalArgumentException.class, () -> index.build(shortRow));
            assertTrue(d.getMessage().contains("vector 4321") && d.getMessage().contains("7"), d.getMessage());
            assertEquals(0, index.size(), "nothing built");
            index.build(data);
            assertEquals(6_000, index.size());
            assertArrayEquals(new int[] {42}, index.search(data[42], 1, 16).ids(), "stored on several threads, found");
        }
    }

    /**
     * A graph pruned from given candidates (here each vector's 40 exact nearest plus a few random ids, as
     * a stitched union would give) is searchable: recall against brute force, degrees bounded by R, and
     * a bad candidate id is refused without leaving a half-built index.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Metric.class)
    void buildFromCandidatesPrunesGivenListsIntoASearchableGraph(Metric metric) {
        int n = 3_000;
        int dim = 24;
        float[][] all = TestData.clustered(n + 100, dim, 20, VectorType.F32, 91 + metric.ordinal());
        float[][] data = java.util.Arrays.copyOf(all, n);
        java.util.Random r = new java.util.Random(5);
        int[][] candidates = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] near = TestData.topK(metric, data, data[i], 41);
            int[] c = java.util.Arrays.copyOf(near, 46);
            for (int j = 41; j < 46; j++) {
                c[j] = r.nextInt(n);
            }
            candidates[i] = c;
        }
        try (VamanaIndex index = VamanaIndex.builder(dim, metric)
                .params(VamanaParams.builder().maxDegree(24).threads(2).build()).build()) {
            int[][] bad = candidates.clone();
            bad[17] = new int[] {1, n};
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> index.buildFromCandidates(n, (i, reuse) -> data[i], i -> bad[i], null));
            assertTrue(e.getMessage().contains("vector 17"), e.getMessage());
            assertEquals(0, index.size(), "nothing built");
            index.buildFromCandidates(n, (i, reuse) -> data[i], i -> candidates[i], null);
            assertEquals(n, index.size());
            assertTrue(index.stats().maxDegree() <= 24, "pruned to R: " + index.stats().maxDegree());
            double recall = 0;
            for (int q = n; q < n + 100; q++) {
                recall += TestData.recall(metric, data, all[q], TestData.topK(metric, data, all[q], 10),
                        index.search(all[q], 10, 64).ids());
            }
            recall /= 100;
            assertTrue(recall >= 0.9, metric + " recall@10 " + recall);
        }
    }
}
