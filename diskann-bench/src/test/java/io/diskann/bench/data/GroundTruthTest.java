package io.diskann.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.diskann.vector.Metric;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SIMD brute force equals a naive double-precision brute force. */
class GroundTruthTest {

    @ParameterizedTest
    @EnumSource(Metric.class)
    void equalsNaiveDoubleBruteForce(Metric metric) {
        SyntheticData.Split s = SyntheticData.gaussianClusters(3000, 40, 33, 12, 0.6, 9);
        int k = 20;
        GroundTruth.Result r = GroundTruth.compute(s.base(), s.queries(), k, metric, null);
        for (int q = 0; q < 40; q++) {
            double[] d = new double[3000];
            Integer[] ids = new Integer[3000];
            for (int i = 0; i < 3000; i++) {
                ids[i] = i;
                double dot = 0;
                double l2 = 0;
                double na = 0;
                double nb = 0;
                for (int j = 0; j < 33; j++) {
                    double x = s.queries().data()[q * 33 + j];
                    double y = s.base().data()[i * 33 + j];
                    dot += x * y;
                    l2 += (x - y) * (x - y);
                    na += x * x;
                    nb += y * y;
                }
                d[i] = switch (metric) {
                    case L2 -> l2;
                    case INNER_PRODUCT -> -dot;
                    case COSINE -> 1 - dot / Math.sqrt(na * nb);
                };
            }
            Arrays.sort(ids, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
            int[] expected = new int[k];
            for (int i = 0; i < k; i++) {
                expected[i] = ids[i];
            }
            int[] got = Arrays.copyOfRange(r.ids().data(), q * k, (q + 1) * k);
            // float rounding may swap neighbours whose distances differ by less than float precision
            for (int i = 0; i < k; i++) {
                if (expected[i] != got[i]) {
                    assertEquals(d[expected[i]], d[got[i]], 1e-5 * Math.max(1, Math.abs(d[expected[i]])),
                            metric + " query " + q + " rank " + i);
                }
            }
            assertArrayEquals(Arrays.stream(expected).sorted().toArray(), Arrays.stream(got).sorted().toArray(),
                    metric + " query " + q + " neighbour set");
        }
    }
}
