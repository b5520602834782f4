package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.ExactScan;
import io.diskann.index.Searcher;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ExactScan#searchAmong} on the in-memory index (how selective label filters are answered) against
 * brute force over the given ids, with both traversals: the scan scores every id on its full vector, or on
 * the 8-bit codes when they hold 8-bit data exactly, so its top k is the exact one. (Ranking large sets on
 * inexact codes first with a full-precision shortlist was measured slower on Fashion-MNIST,
 * docs/PERFORMANCE.md section 14.)
 */
class ExactScanTest {

    private static final int N = 3000;
    private static final int DIMS = 32;

    @ParameterizedTest
    @EnumSource(Metric.class)
    void scansMatchBruteForceOnCodesAndOnFullVectors(Metric metric) {
        Random r = TestSeeds.random(8101 + metric.ordinal());
        float[][] base = TestData.clustered(N, DIMS, 12, VectorType.F32, r.nextLong());
        for (Traversal traversal : Traversal.values()) {
            VamanaIndex index = VamanaIndex.builder(DIMS, metric).traversal(traversal)
                    .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
            index.build(base);
            try (index; Searcher searcher = index.searcher()) {
                ExactScan scan = (ExactScan) searcher;
                int hits = 0;
                int want = 0;
                for (int q = 0; q < 40; q++) {
                    float[] query = base[r.nextInt(N)].clone();
                    for (int j = 0; j < DIMS; j++) {
                        query[j] += (float) r.nextGaussian() * 0.5f;
                    }
                    int size = q % 2 == 0 ? 60 : 1200;
                    int[] ids = r.ints(0, N).distinct().limit(size).toArray();
                    int[] truth = IntStream.of(ids).boxed()
                            .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(metric, query, base[i]))
                                    .thenComparingInt(i -> i)).limit(10).mapToInt(Integer::intValue).toArray();
                    int[] outIds = new int[10];
                    float[] outDistances = new float[10];
                    int n = scan.searchAmong(query, ids, size, 10, outIds, outDistances);
                    assertEquals(10, n);
                    assertEquals(size, searcher.lastStats().rerankDistances(),
                            traversal + " scan of " + size + ": every vector scored at full precision");
                    for (int i = 0; i < n; i++) {
                        int id = outIds[i];
                        assertEquals(Distances.distance(metric, query, base[id]), outDistances[i],
                                1e-3 * Math.max(1, Math.abs(outDistances[i])), "exact distances are returned");
                        assertTrue(i == 0 || outDistances[i - 1] <= outDistances[i], "nearest first");
                        hits += IntStream.of(truth).anyMatch(t -> t == id) ? 1 : 0;
                    }
                    assertArrayEquals(truth, outIds, traversal + " scan of " + size + " is exact");
                    want += truth.length;
                }
                assertEquals(want, hits, metric + " " + traversal + ": every scan returns the exact top 10");
            }
        }
    }

    /**
     * 8-bit data stored as f32 (pixels, say) with an 8-bit query: the SQ8 codes are exact, and the scan scores them
     * instead of the rows. Its top k must still be the exact one, with the full-precision distances.
     */
    @ParameterizedTest
    @EnumSource(value = Metric.class, names = {"L2", "INNER_PRODUCT"})
    void scansOfEightBitDataOnExactCodesMatchBruteForce(Metric metric) {
        Random r = TestSeeds.random(8201 + metric.ordinal());
        int dims = 784; // past 2^24 for float sums of squares: the code distances must still rank as the rows do
        int n = 1500;
        float[][] base = new float[n][dims];
        for (float[] row : base) {
            int level = r.nextInt(200);
            for (int j = 0; j < dims; j++) {
                row[j] = Math.min(255, level + r.nextInt(56));
            }
        }
        VamanaIndex index = VamanaIndex.builder(dims, metric).traversal(Traversal.SQ8)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
        index.build(base);
        try (index; Searcher searcher = index.searcher()) {
            ExactScan scan = (ExactScan) searcher;
            for (int q = 0; q < 30; q++) {
                float[] query = base[r.nextInt(n)].clone();
                for (int j = 0; j < dims; j++) {
                    query[j] = Math.max(0, Math.min(255, query[j] + r.nextInt(21) - 10)); // still whole numbers
                }
                // every third query off the codes' grid: scanned on the rows, with their distances
                boolean offGrid = q % 3 == 2;
                for (int j = 0; offGrid && j < dims; j += 7) {
                    query[j] += 0.5f;
                }
                int size = q % 2 == 0 ? 60 : 700;
                int[] ids = r.ints(0, n).distinct().limit(size).toArray();
                int[] truth = IntStream.of(ids).boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> exactDistance(metric, query, base[i]))
                                .thenComparingInt(i -> i)).limit(10).mapToInt(Integer::intValue).toArray();
                int[] outIds = new int[10];
                float[] outDistances = new float[10];
                assertEquals(10, scan.searchAmong(query, ids, size, 10, outIds, outDistances));
                // f32 rows round sums past 2^24 (relative 1e-6 here); a rounded query's codes would be off by ~1e-3
                double tolerance = offGrid ? 1e-5 : 1e-6;
                for (int i = 0; i < 10; i++) {
                    double want = exactDistance(metric, query, base[outIds[i]]);
                    assertEquals(want, outDistances[i], tolerance * Math.max(1, Math.abs(want)), "full-precision distances");
                }
                if (offGrid) {
                    double tenth = exactDistance(metric, query, base[truth[9]]);
                    assertTrue(outDistances[9] <= tenth + tolerance * Math.abs(tenth), "the 10 nearest of the ids");
                } else {
                    assertArrayEquals(truth, outIds, metric + " scan of " + size + " 8-bit vectors is exact");
                }
            }
        }
    }

    /** The distance in double precision (the f32 kernels round sums past 2^24; ranks of ties may differ there). */
    private static double exactDistance(Metric metric, float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += metric == Metric.L2 ? (double) (a[j] - b[j]) * (a[j] - b[j]) : (double) a[j] * b[j];
        }
        return metric == Metric.L2 ? s : -s;
    }
}
