package io.diskann.pq;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** k-means, chunking, encoding and ADC against exact arithmetic on the decoded vectors. */
class QuantizerTest {

    static float[][] clustered(int n, int dim, int clusters, long seed, float offset) {
        Random r = TestSeeds.random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) r.nextGaussian() + offset;
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int d = 0; d < dim; d++) {
                out[i][d] = c[d] + (float) (0.3 * r.nextGaussian());
            }
        }
        return out;
    }

    @Test
    void kMeansFindsSeparatedClusters() {
        // 256 clusters on a 16 x 16 grid, 10 apart, tight noise: every cluster must get its own centroid
        Random r = TestSeeds.random(5);
        int per = 12;
        float[] points = new float[256 * per * 2];
        for (int c = 0; c < 256; c++) {
            for (int p = 0; p < per; p++) {
                int i = c * per + p;
                points[2 * i] = (c % 16) * 10f + (float) (0.01 * r.nextGaussian());
                points[2 * i + 1] = (c / 16) * 10f + (float) (0.01 * r.nextGaussian());
            }
        }
        float[] centroidsT = KMeans.train(points, 256 * per, 2, 12, 7, PqKernels.get());
        for (int c = 0; c < 256; c++) {
            float cx = (c % 16) * 10f;
            float cy = (c / 16) * 10f;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 256; j++) {
                double dx = centroidsT[j] - cx;
                double dy = centroidsT[256 + j] - cy;
                best = Math.min(best, dx * dx + dy * dy);
            }
            assertTrue(best < 0.25, "cluster " + c + " has no centroid near it (" + best + ")");
        }
        double mse = KMeans.meanSquaredError(points, 256 * per, 2, centroidsT, PqKernels.get());
        assertTrue(mse < 0.05, "mean squared error " + mse);
    }

    @Test
    void chunksAreBalancedAndContiguous() {
        assertArrayEquals(new int[] {0, 3, 6, 8, 10}, ProductQuantizer.chunkOffsets(10, 4));
        assertArrayEquals(new int[] {0, 16, 32}, ProductQuantizer.chunkOffsets(32, 2));
        int[] o = ProductQuantizer.chunkOffsets(784, 98);
        assertEquals(784, o[98]);
        for (int m = 0; m < 98; m++) {
            assertEquals(8, o[m + 1] - o[m]);
        }
    }

    @Test
    void reconstructionErrorFallsAsChunksGrow() {
        float[][] data = clustered(3000, 32, 50, 11, 0f);
        double previous = Double.POSITIVE_INFINITY;
        for (int m : new int[] {1, 2, 4, 8, 16, 32}) {
            ProductQuantizer pq = ProductQuantizer.train(32, Metric.L2, data.length, i -> data[i],
                    PqParams.builder(m).threads(2).build());
            byte[] codes = pq.encodeAll(data.length, i -> data[i], 2);
            double err = 0;
            for (int i = 0; i < data.length; i++) {
                float[] x = pq.decode(codes, i * m);
                for (int d = 0; d < 32; d++) {
                    err += (x[d] - data[i][d]) * (x[d] - data[i][d]);
                }
            }
            err /= data.length;
            assertTrue(err < previous, "M=" + m + ": error " + err + " not below " + previous);
            previous = err;
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void adcEqualsTheDistanceToTheDecodedVector(Metric metric) {
        float[][] data = clustered(2000, 24, 30, 12, 0.5f);
        float[][] queries = clustered(20, 24, 5, 13, 0.5f);
        ProductQuantizer pq = ProductQuantizer.train(24, metric, data.length, i -> data[i],
                PqParams.builder(5).threads(2).build());
        byte[] codes = pq.encodeAll(data.length, i -> data[i], 2);
        assertAdcMatchesDecoded(pq, codes, queries, 200, 1e-4);
        DistanceTable table = pq.newTable();
        for (float[] q : queries) {
            table.setQuery(q);
            for (int i = 0; i < 200; i++) {
                float adc = table.distance(codes, i * 5);
                assertEquals(adc, table.distanceScalar(codes, i * 5), 1e-5 * Math.max(1, Math.abs(adc)),
                        "vector and scalar look-ups agree");
            }
            // batched scoring (a node's neighbours) agrees with one-by-one; codes past the end are "far"
            int[] ordinals = {5, 1999, 0, 77, 2000, 123, 5};
            float[] batch = new float[ordinals.length];
            table.distances(codes, ordinals, ordinals.length, batch);
            for (int i = 0; i < ordinals.length; i++) {
                float single = ordinals[i] < 2000 ? table.distance(codes, ordinals[i] * 5) : Float.MAX_VALUE;
                assertEquals(single, batch[i], 1e-5 * Math.max(1, Math.abs(single)), "batch entry " + i);
            }
        }
    }

    /**
     * ADC distance of each query to the first {@code count} codes equals the metric's distance to the
     * decoded vector (the normalized query for cosine), within {@code tolerance} relative.
     */
    static void assertAdcMatchesDecoded(ProductQuantizer pq, byte[] codes, float[][] queries, int count, double tolerance) {
        Metric metric = pq.metric();
        int m = pq.chunks();
        int dims = pq.dimensions();
        DistanceTable table = pq.newTable();
        for (float[] q : queries) {
            table.setQuery(q);
            float[] qn = q.clone();
            if (metric == Metric.COSINE) {
                ProductQuantizer.normalizeInPlace(qn, 0, dims);
            }
            for (int i = 0; i < count; i++) {
                float[] x = pq.decode(codes, i * m);
                double expected = metric == Metric.COSINE ? 1 : 0;
                for (int d = 0; d < dims; d++) {
                    expected += metric == Metric.L2 ? (qn[d] - x[d]) * (qn[d] - x[d]) : -qn[d] * x[d];
                }
                assertEquals(expected, table.distance(codes, i * m), tolerance * Math.max(1, Math.abs(expected)),
                        metric + " code " + i);
            }
        }
    }

    @Test
    void encodingPicksTheNearestCentroidOfEachChunk() {
        float[][] data = clustered(1000, 12, 20, 14, 0f);
        ProductQuantizer pq = ProductQuantizer.train(12, Metric.L2, data.length, i -> data[i],
                PqParams.builder(3).centre(false).threads(1).build());
        byte[] code = new byte[3];
        pq.encode(data[7], code, 0, pq.newEncodeScratch());
        float[][] c = pq.centroidsTransposed();
        for (int m = 0; m < 3; m++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 256; j++) {
                double d = 0;
                for (int k = 0; k < 4; k++) {
                    double diff = data[7][m * 4 + k] - c[m][k * 256 + j];
                    d += diff * diff;
                }
                if (d < bestD) {
                    bestD = d;
                    best = j;
                }
            }
            assertEquals(best, code[m] & 0xFF, "chunk " + m);
        }
    }

    @Test
    void trainingIsReproducible() {
        float[][] data = clustered(1500, 16, 20, 15, 0f);
        PqParams p = PqParams.builder(4).threads(2).maxTrainingSamples(1000).build();
        ProductQuantizer a = ProductQuantizer.train(16, Metric.L2, data.length, i -> data[i], p);
        ProductQuantizer b = ProductQuantizer.train(16, Metric.L2, data.length, i -> data[i], p);
        for (int m = 0; m < 4; m++) {
            assertArrayEquals(a.centroidsTransposed()[m], b.centroidsTransposed()[m]);
        }
    }

    @Test
    void badInputIsAClearError() {
        float[][] data = clustered(300, 8, 5, 16, 0f);
        assertThrows(IllegalArgumentException.class, () -> PqParams.builder(0).build());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(8, Metric.L2, data.length, i -> data[i], PqParams.builder(9).build()));
        assertTrue(tooMany.getMessage().contains("1..8"), tooMany.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(8, Metric.L2, 255, i -> data[i], PqParams.builder(2).build()));
        assertTrue(few.getMessage().contains("256"), few.getMessage());
        ProductQuantizer pq = ProductQuantizer.train(8, Metric.L2, data.length, i -> data[i], PqParams.builder(2).build());
        assertThrows(IllegalArgumentException.class, () -> pq.encode(new float[7], new byte[2], 0, pq.newEncodeScratch()));
        assertThrows(IllegalArgumentException.class, () -> pq.newTable().setQuery(new float[] {0, 0, 0, 0, 0, 0, 0, Float.NaN}));
    }
}
