package io.diskann.bench.data;

import java.util.Random;

/**
 * Seeded synthetic datasets: Gaussian clusters (the embedded default of {@code ./diskann eval}) and
 * uniform noise. Base and queries come from one draw, so queries follow the base distribution.
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
