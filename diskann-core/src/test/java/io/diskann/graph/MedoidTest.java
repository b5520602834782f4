package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Medoid}: the live vector nearest the centroid, the same on any number of threads as by brute force. */
class MedoidTest {

    private static final int DIM = 17;

    @ParameterizedTest
    @EnumSource(Metric.class)
    void theNearestToTheCentroidOnAnyThreadCount(Metric metric) {
        for (int n : new int[] {1, 3, 63, 64, 65, 1000, 5003}) {
            float[][] data = TestData.clustered(n, DIM, 7, VectorType.F32, 11 + n);
            VectorStore store = VectorStore.create(VectorType.F32, DIM, n);
            for (int i = 0; i < n; i++) {
                store.set(i, data[i]);
            }
            for (IntPredicate live : new IntPredicate[] {null, i -> i % 3 != 1}) {
                String what = metric + " n=" + n + (live == null ? "" : " (some dead)");
                int one = Medoid.of(store, n, live, metric, 1);
                // float kernels against double arithmetic: the same distance, the id only up to near-ties
                double best = distanceToCentroid(metric, data, live, bruteForce(metric, data, live));
                assertEquals(best, distanceToCentroid(metric, data, live, one), 1e-5 * Math.max(1, best), what);
                for (int threads : new int[] {2, 3, 8}) {
                    assertEquals(one, Medoid.of(store, n, live, metric, threads), what + " threads=" + threads);
                }
            }
            assertEquals(-1, Medoid.of(store, n, i -> false, metric, 2), "no live vector: -1");
        }
    }

    private static double distanceToCentroid(Metric metric, float[][] data, IntPredicate live, int i) {
        return TestData.distance(metric == Metric.INNER_PRODUCT ? Metric.L2 : metric, centroid(data, live), data[i]);
    }

    private static float[] centroid(float[][] data, IntPredicate live) {
        double[] sum = new double[DIM];
        int count = 0;
        for (int i = 0; i < data.length; i++) {
            if (live == null || live.test(i)) {
                for (int j = 0; j < DIM; j++) {
                    sum[j] += data[i][j];
                }
                count++;
            }
        }
        float[] centroid = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            centroid[j] = (float) (sum[j] / count);
        }
        return centroid;
    }

    /** The centroid in doubles, then the first vector at the least distance (inner product: in L2). */
    private static int bruteForce(Metric metric, float[][] data, IntPredicate live) {
        float[] centroid = centroid(data, live);
        Metric m = metric == Metric.INNER_PRODUCT ? Metric.L2 : metric;
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < data.length; i++) {
            if (live == null || live.test(i)) {
                double d = TestData.distance(m, centroid, data[i]);
                if (best < 0 || d < bestDistance) {
                    best = i;
                    bestDistance = d;
                }
            }
        }
        return best;
    }
}
