package io.diskann.pq;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The PCA rotation (OPQ's parametric solution): directions, allocation, ADC identities, ranking quality. */
class RotationTest {

    /** A random orthonormal basis (rows), by Gram-Schmidt on Gaussian vectors. */
    static double[][] randomBasis(int dim, long seed) {
        Random r = TestSeeds.random(seed);
        double[][] basis = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int d = 0; d < dim; d++) {
                basis[i][d] = r.nextGaussian();
            }
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += basis[i][d] * basis[j][d];
                }
                for (int d = 0; d < dim; d++) {
                    basis[i][d] -= dot * basis[j][d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += basis[i][d] * basis[i][d];
            }
            for (int d = 0; d < dim; d++) {
                basis[i][d] /= Math.sqrt(norm);
            }
        }
        return basis;
    }

    /** n points whose coordinate along basis row i has standard deviation sigma[i], plus an offset. */
    static float[][] anisotropic(int n, double[][] basis, double[] sigma, float offset, long seed) {
        Random r = TestSeeds.random(seed);
        int dim = basis.length;
        float[][] out = new float[n][dim];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < dim; i++) {
                double z = sigma[i] * r.nextGaussian();
                for (int d = 0; d < dim; d++) {
                    out[p][d] += (float) (z * basis[i][d]);
                }
            }
            for (int d = 0; d < dim; d++) {
                out[p][d] += offset;
            }
        }
        return out;
    }

    private static double[] decaying(int dim) {
        double[] sigma = new double[dim];
        for (int i = 0; i < dim; i++) {
            sigma[i] = 10.0 * Math.pow(0.8, i);
        }
        return sigma;
    }

    @Test
    void sixteenBitCoefficientsProjectAsTheFloatMatrixAndSurviveARoundTrip() {
        int dim = 200;
        int out = 72;
        java.util.Random r = new java.util.Random(11);
        float[] matrix = new float[out * dim];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) (r.nextGaussian() / Math.sqrt(dim));
        }
        java.util.Arrays.fill(matrix, 5 * dim, 6 * dim, 0f); // an all-zero direction
        PcaRotation rotation = new PcaRotation(dim, out, matrix, 0.9f);
        float[] x = new float[dim];
        for (int i = 0; i < dim; i++) {
            x[i] = (float) (r.nextGaussian() * 100);
        }
        double norm = Math.sqrt(Arrays.stream(toDoubles(x)).map(v -> v * v).sum());
        float[] y = new float[out];
        rotation.apply(x, 0, y, 0);
        for (int o = 0; o < out; o++) {
            double exact = 0;
            for (int d = 0; d < dim; d++) {
                exact += (double) matrix[o * dim + d] * x[d];
            }
            assertEquals(exact, y[o], 1e-5 * norm, "output " + o);
        }
        assertEquals(0f, y[5], "the zero direction");
        float[] stored = rotation.matrix();
        assertArrayEquals(stored, new PcaRotation(dim, out, stored, 0.9f).matrix(),
                "a file written from the matrix and read back holds the same coefficients");
        for (int d = 0; d < dim; d++) { // a direction of tiny values: a subnormal scale must not wrap the signs
            matrix[9 * dim + d] = (d % 2 == 0 ? 1e-40f : -1e-40f) * (1 - 0.1f * (d % 5));
        }
        float[] tiny = new PcaRotation(dim, out, matrix, 0.9f).matrix();
        for (int d = 0; d < dim; d++) {
            assertEquals(matrix[9 * dim + d] < 0, tiny[9 * dim + d] < 0, "sign kept at " + d);
        }
        matrix[7 * dim + 3] = Float.NaN;
        float[] withNan = new PcaRotation(dim, out, matrix, 0.9f).matrix();
        assertTrue(Float.isNaN(withNan[7 * dim + 3]), "a non-finite direction stays visible to the verifier");
        assertTrue(Float.isFinite(withNan[6 * dim + 3]), "the other directions are kept");
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void keptDirectionsAreOrthonormalAndSpanTheStrongestOnes() {
        int dim = 24;
        double[][] basis = randomBasis(dim, 3);
        double[] sigma = decaying(dim);
        float[][] data = anisotropic(6000, basis, sigma, 0f, 4);
        float[] flat = new float[data.length * dim];
        for (int i = 0; i < data.length; i++) {
            System.arraycopy(data[i], 0, flat, i * dim, dim);
        }
        int keep = 6;
        PcaRotation rotation = PcaRotation.train(flat, data.length, dim, keep, 3, 2);
        float[] m = rotation.matrix();
        for (int a = 0; a < keep; a++) {
            for (int b = 0; b < keep; b++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += (double) m[a * dim + d] * m[b * dim + d];
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-4, "rows " + a + ", " + b);
            }
            // each kept row lies in the span of the 6 strongest true directions
            double inSpan = 0;
            for (int i = 0; i < keep; i++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += m[a * dim + d] * basis[i][d];
                }
                inSpan += dot * dot;
            }
            assertTrue(inSpan > 0.99, "row " + a + " has " + inSpan + " of its length in the top-6 span");
        }
        double total = Arrays.stream(sigma).map(s -> s * s).sum();
        double top = Arrays.stream(sigma, 0, keep).map(s -> s * s).sum();
        assertEquals(top / total, rotation.varianceKept(), 0.02, "variance kept");
    }

    @Test
    void eigenvalueAllocationGivesEveryChunkAStrongDirection() {
        double[] values = {64, 32, 16, 8, 4, 2, 1, 0.5};
        int[] offsets = ProductQuantizer.chunkOffsets(8, 4);
        int[] order = PcaRotation.allocate(values, 8, offsets);
        assertEquals(8, order.length);
        assertEquals(8, Arrays.stream(order).distinct().count(), "a permutation");
        double[] logs = new double[4];
        for (int m = 0; m < 4; m++) {
            int strongest = Integer.MAX_VALUE;
            for (int row = offsets[m]; row < offsets[m + 1]; row++) {
                strongest = Math.min(strongest, order[row]);
                logs[m] += Math.log(values[order[row]]);
            }
            assertTrue(strongest < 4, "chunk " + m + " got none of the 4 strongest directions");
        }
        // far more even than the contiguous split (64*32 | 16*8 | 4*2 | 1*0.5): spread of log-products
        double spread = Arrays.stream(logs).max().orElseThrow() - Arrays.stream(logs).min().orElseThrow();
        double contiguous = Math.log(64 * 32) - Math.log(0.5);
        assertTrue(spread < contiguous / 3, "log-product spread " + spread + " vs contiguous " + contiguous);
        // eigenvalues below 1 (normalized data): the first M still go one per chunk
        double[] small = Arrays.stream(values).map(v -> v * 1e-4).toArray();
        int[] orderSmall = PcaRotation.allocate(small, 8, offsets);
        for (int m = 0; m < 4; m++) {
            assertEquals(m, Math.min(orderSmall[offsets[m]], orderSmall[offsets[m] + 1]), "chunk " + m);
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void adcEqualsTheDistanceToTheDecodedVectorWithAFullRotation(Metric metric) {
        int dim = 20;
        float[][] data = anisotropic(2000, randomBasis(dim, 5), decaying(dim), 0.7f, 6);
        float[][] queries = anisotropic(10, randomBasis(dim, 5), decaying(dim), 0.7f, 7);
        ProductQuantizer pq = ProductQuantizer.train(dim, metric, data.length, i -> data[i],
                PqParams.builder(5).rotate(true).threads(2).build());
        assertTrue(pq.rotated());
        assertEquals(dim, pq.codeDimensions());
        byte[] codes = pq.encodeAll(data.length, i -> data[i], 2);
        // the rotation is orthonormal in float arithmetic: a looser tolerance than plain codes
        QuantizerTest.assertAdcMatchesDecoded(pq, codes, queries, 100, 1e-3);
    }

    @Test
    void aTruncatedRotationShiftsL2ByOneConstantPerQuery() {
        int dim = 32;
        float[][] data = anisotropic(3000, randomBasis(dim, 8), decaying(dim), 2f, 9);
        float[][] queries = anisotropic(5, randomBasis(dim, 8), decaying(dim), 2f, 10);
        ProductQuantizer pq = ProductQuantizer.train(dim, Metric.L2, data.length, i -> data[i],
                PqParams.builder(4).rotatedDimensions(12).threads(2).build());
        assertEquals(12, pq.codeDimensions());
        assertTrue(pq.rotationVarianceKept() < 1 && pq.rotationVarianceKept() > 0.9, "kept " + pq.rotationVarianceKept());
        byte[] codes = pq.encodeAll(data.length, i -> data[i], 2);
        DistanceTable table = pq.newTable();
        for (float[] q : queries) {
            table.setQuery(q);
            double shift = Double.NaN;
            for (int i = 0; i < 200; i++) {
                float[] x = pq.decode(codes, i * 4);
                double exact = 0;
                for (int d = 0; d < dim; d++) {
                    exact += (q[d] - x[d]) * (q[d] - x[d]);
                }
                double s = exact - table.distance(codes, i * 4);
                assertTrue(s >= -1e-3, "the left-out part of the query is a non-negative shift: " + s);
                if (Double.isNaN(shift)) {
                    shift = s;
                }
                assertEquals(shift, s, 1e-3 * Math.max(1, exact), "same shift for code " + i);
            }
        }
    }

    /** Recall@10 of the top 10 codes by ADC against the exact top 10, over all of {@code data}. */
    private static double adcRecall(ProductQuantizer pq, float[][] data, float[][] queries) {
        byte[] codes = pq.encodeAll(data.length, i -> data[i], 2);
        DistanceTable table = pq.newTable();
        int m = pq.chunks();
        double hits = 0;
        for (float[] q : queries) {
            table.setQuery(q);
            Integer[] byAdc = IntStream.range(0, data.length).boxed().toArray(Integer[]::new);
            float[] adc = new float[data.length];
            double[] exact = new double[data.length];
            for (int i = 0; i < data.length; i++) {
                adc[i] = table.distance(codes, i * m);
                exact[i] = PqIndexTest.distance(Metric.L2, q, data[i]);
            }
            Integer[] byExact = byAdc.clone();
            Arrays.sort(byAdc, Comparator.comparingDouble(i -> adc[i]));
            Arrays.sort(byExact, Comparator.comparingDouble(i -> exact[i]));
            java.util.Set<Integer> truth = new java.util.HashSet<>(Arrays.asList(byExact).subList(0, 10));
            for (int i = 0; i < 10; i++) {
                hits += truth.contains(byAdc[i]) ? 1 : 0;
            }
        }
        return hits / (10.0 * queries.length);
    }

    @Test
    void onCorrelatedDataTheRotationRanksNeighboursBetter() {
        // the image-like case: variance concentrated in a few directions that mix every raw dimension
        int dim = 64;
        double[][] basis = randomBasis(dim, 11);
        float[][] data = anisotropic(8000, basis, decaying(dim), 0f, 12);
        float[][] queries = anisotropic(40, basis, decaying(dim), 0f, 13);
        PqParams plain = PqParams.builder(8).threads(2).build();
        PqParams rotated = PqParams.builder(8).rotate(true).threads(2).build();
        double a = adcRecall(ProductQuantizer.train(dim, Metric.L2, data.length, i -> data[i], plain), data, queries);
        double b = adcRecall(ProductQuantizer.train(dim, Metric.L2, data.length, i -> data[i], rotated), data, queries);
        assertTrue(b > a + 0.1, "rotated recall " + b + " should clearly beat plain " + a);
    }

    @Test
    void theAutomaticRotationKeepsFourDirectionsPerCodeByteAndRanksBetter() {
        assertEquals(392, PqParams.autoRotatedDimensions(784, 98), "Fashion-MNIST with 98 bytes");
        assertEquals(64, PqParams.autoRotatedDimensions(128, 15), "60 rounded up to a multiple of 8");
        assertEquals(0, PqParams.autoRotatedDimensions(128, 32), "all directions when 4M reaches the dimensions");
        assertEquals(0, PqParams.autoRotatedDimensions(32, 16));
        assertEquals(400, PqParams.autoRotatedDimensions(1536, 100));
        PqParams auto = PqParams.builder(15).autoRotation(128).build();
        assertTrue(auto.rotate() && auto.rotatedDimensions() == 64, auto.toString());
        // a decaying spectrum, 8 bytes: 32 strong directions rank neighbours better than all 64 raw ones
        int dim = 64;
        double[][] basis = randomBasis(dim, 21);
        float[][] data = anisotropic(8000, basis, decaying(dim), 0f, 22);
        float[][] queries = anisotropic(40, basis, decaying(dim), 0f, 23);
        PqParams plain = PqParams.builder(8).threads(2).build();
        PqParams chosen = PqParams.builder(8).threads(2).autoRotation(dim).build();
        assertEquals(32, chosen.rotatedDimensions());
        double a = adcRecall(ProductQuantizer.train(dim, Metric.L2, data.length, i -> data[i], plain), data, queries);
        double b = adcRecall(ProductQuantizer.train(dim, Metric.L2, data.length, i -> data[i], chosen), data, queries);
        assertTrue(b > a + 0.1, "automatic rotation recall " + b + " should clearly beat plain " + a);
    }

    @Test
    void badRotationParametersAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new PqParams(4, 12, 1000, true, 1, 1, false, 8, PqLookup.GATHER));
        assertThrows(IllegalArgumentException.class, () -> PqParams.builder(4).rotatedDimensions(-1).build());
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> PqParams.builder(8).rotatedDimensions(4).build());
        assertTrue(fewer.getMessage().contains("at least chunks"), fewer.getMessage());
        float[][] data = QuantizerTest.clustered(400, 8, 5, 16, 0f);
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(8, Metric.L2, data.length, i -> data[i],
                        PqParams.builder(2).rotatedDimensions(9).build()));
        assertTrue(more.getMessage().contains("2..8"), more.getMessage());
    }
}
