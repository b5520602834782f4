package io.diskann.bench.data;

import java.util.Random;

/**
 * Seeded synthetic datasets: Gaussian clusters (the embedded default of {@code ./diskann eval}), clusters
 * of low intrinsic dimension, and uniform noise. Base and queries come from one draw, so queries follow the base distribution.
 */
public final class SyntheticData {

    private SyntheticData() {
    }

    /**
     * A base set and a query set, with each point's cluster as its label (empty for uniform data).
     *
     * @param base base vectors
     * @param queries query vectors
     * @param baseLabels cluster of each base vector
     * @param queryLabels cluster of each query
     */
    public record Split(FloatMatrix base, FloatMatrix queries, int[] baseLabels, int[] queryLabels) {
    }

    /**
     * {@code n + queries} points around {@code clusters} centres drawn from N(0, 1) per component, each
     * point its centre plus N(0, spread^2) noise; the last {@code queries} rows are the queries.
     */
    public static Split gaussianClusters(int n, int queries, int dims, int clusters, double spread, long seed) {
        Random r = new Random(seed);
        float[] centres = new float[clusters * dims];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) r.nextGaussian();
        }
        float[] all = new float[(n + queries) * dims];
        int[] labels = new int[n + queries];
        for (int i = 0; i < n + queries; i++) {
            int c = r.nextInt(clusters);
            labels[i] = c;
            for (int j = 0; j < dims; j++) {
                all[i * dims + j] = (float) (centres[c * dims + j] + r.nextGaussian() * spread);
            }
        }
        float[] base = new float[n * dims];
        float[] q = new float[queries * dims];
        System.arraycopy(all, 0, base, 0, base.length);
        System.arraycopy(all, base.length, q, 0, q.length);
        return new Split(new FloatMatrix(n, dims, base), new FloatMatrix(queries, dims, q),
                java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOfRange(labels, n, n + queries));
    }

    /**
     * Clusters of low intrinsic dimension, as real descriptors have (SIFT's is estimated at 10-20 of its
     * 128): {@code clusters} centres drawn from N(0, 1) per component; each cluster spans its own random
     * {@code intrinsic}-dimensional subspace (orthonormal, from Gram-Schmidt on a Gaussian matrix); a point
     * is its centre plus N(0, 1) along each of the subspace's directions plus N(0, noise^2) per component.
     * Isotropic clusters ({@link #gaussianClusters}) have the full dimension inside a cluster, the worst
     * case for product quantization; this family is the common one. The last {@code queries} rows are the
     * queries.
     */
    public static Split subspaceClusters(int n, int queries, int dims, int clusters, int intrinsic, double noise,
                                         long seed) {
        if (intrinsic < 1 || intrinsic > dims) {
            throw new IllegalArgumentException("intrinsic dimension must be in 1.." + dims + ", got " + intrinsic);
        }
        Random r = new Random(seed);
        float[] centres = new float[clusters * dims];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) r.nextGaussian();
        }
        double[][] bases = new double[clusters][];
        for (int c = 0; c < clusters; c++) {
            bases[c] = orthonormalRows(intrinsic, dims, r);
        }
        float[] base = new float[n * dims];
        float[] q = new float[queries * dims];
        int[] labels = new int[n + queries];
        double[] z = new double[intrinsic];
        for (int i = 0; i < n + queries; i++) {
            int c = r.nextInt(clusters);
            labels[i] = c;
            for (int t = 0; t < intrinsic; t++) {
                z[t] = r.nextGaussian();
            }
            float[] out = i < n ? base : q;
            int at = (i < n ? i : i - n) * dims;
            double[] u = bases[c];
            for (int j = 0; j < dims; j++) {
                double v = centres[c * dims + j] + r.nextGaussian() * noise;
                for (int t = 0; t < intrinsic; t++) {
                    v += z[t] * u[t * dims + j];
                }
                out[at + j] = (float) v;
            }
        }
        return new Split(new FloatMatrix(n, dims, base), new FloatMatrix(queries, dims, q),
                java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOfRange(labels, n, n + queries));
    }

    /** {@code k} orthonormal rows of length {@code dims}, row-major: Gram-Schmidt on Gaussian rows. */
    static double[] orthonormalRows(int k, int dims, Random r) {
        double[] u = new double[k * dims];
        for (int t = 0; t < k; t++) {
            while (true) {
                for (int j = 0; j < dims; j++) {
                    u[t * dims + j] = r.nextGaussian();
                }
                for (int s = 0; s < t; s++) {
                    double dot = 0;
                    for (int j = 0; j < dims; j++) {
                        dot += u[t * dims + j] * u[s * dims + j];
                    }
                    for (int j = 0; j < dims; j++) {
                        u[t * dims + j] -= dot * u[s * dims + j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < dims; j++) {
                    norm += u[t * dims + j] * u[t * dims + j];
                }
                if (norm > 1e-6) {
                    double inv = 1 / Math.sqrt(norm);
                    for (int j = 0; j < dims; j++) {
                        u[t * dims + j] *= inv;
                    }
                    break;
                }
            }
        }
        return u;
    }

    /** Uniform points in [0, 1)^dims. */
    public static Split uniform(int n, int queries, int dims, long seed) {
        Random r = new Random(seed);
        float[] base = new float[n * dims];
        float[] q = new float[queries * dims];
        for (int i = 0; i < base.length; i++) {
            base[i] = r.nextFloat();
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = r.nextFloat();
        }
        return new Split(new FloatMatrix(n, dims, base), new FloatMatrix(queries, dims, q), new int[0], new int[0]);
    }
}
