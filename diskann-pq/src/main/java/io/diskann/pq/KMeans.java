package io.diskann.pq;

import java.util.SplittableRandom;

/**
 * k-means with 256 centroids over the sub-vectors of one chunk: k-means++ seeding, then Lloyd
 * iterations, as DiskANN trains its PQ pivots. Points are a flat row-major array of {@code n x dims};
 * centroids come back transposed ({@code [dims][256]}, see {@link PqKernels}). Deterministic for a
 * given seed; one call runs on one thread (the quantizer trains chunks in parallel).
 */
final class KMeans {

    private static final int K = PqParams.CENTROIDS;

    private KMeans() {
    }

    /** Trains 256 centroids; requires {@code n >= 256}. */
    static float[] train(float[] points, int n, int dims, int iterations, long seed, PqKernels kernels) {
        if (n < K) {
            throw new IllegalArgumentException("k-means needs at least " + K + " points, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] centroidsT = seedPlusPlus(points, n, dims, random);
        int[] assignment = new int[n];
        float[] row = new float[K];
        double[] sums = new double[K * dims];
        int[] counts = new int[K];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                kernels.squareDistances(points, i * dims, dims, centroidsT, 0, row, 0);
                assignment[i] = kernels.argmin256(row, 0);
            }
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = assignment[i];
                counts[c]++;
                for (int d = 0; d < dims; d++) {
                    sums[c * dims + d] += points[i * dims + d];
                }
            }
            for (int c = 0; c < K; c++) {
                if (counts[c] == 0) {
                    // an empty cluster restarts at a random point (DiskANN does the same)
                    int p = random.nextInt(n);
                    for (int d = 0; d < dims; d++) {
                        centroidsT[d * K + c] = points[p * dims + d];
                    }
                } else {
                    for (int d = 0; d < dims; d++) {
                        centroidsT[d * K + c] = (float) (sums[c * dims + d] / counts[c]);
                    }
                }
            }
        }
        return centroidsT;
    }

    /** Mean squared distance of the points to their nearest centroid (for tests and logs). */
    static double meanSquaredError(float[] points, int n, int dims, float[] centroidsT, PqKernels kernels) {
        float[] row = new float[K];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            kernels.squareDistances(points, i * dims, dims, centroidsT, 0, row, 0);
            sum += row[kernels.argmin256(row, 0)];
        }
        return sum / n;
    }

    /**
     * k-means++: each next centroid is a point drawn with probability proportional to D(x)^2. The points
     * are transposed once ({@code [dims][n]}) so updating every point's distance to the newest centroid
     * is a few straight loops over n that the JIT vectorizes.
     */
    private static float[] seedPlusPlus(float[] points, int n, int dims, SplittableRandom random) {
        float[] centroidsT = new float[dims * K];
        float[] columns = new float[dims * n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                columns[d * n + i] = points[i * dims + d];
            }
        }
        float[] minDistance = new float[n];
        java.util.Arrays.fill(minDistance, Float.POSITIVE_INFINITY);
        float[] distance = new float[n];
        int first = random.nextInt(n);
        setCentroid(centroidsT, 0, points, first, dims);
        for (int c = 1; c < K; c++) {
            java.util.Arrays.fill(distance, 0f);
            for (int d = 0; d < dims; d++) {
                float centre = centroidsT[d * K + c - 1];
                int base = d * n;
                for (int i = 0; i < n; i++) {
                    float diff = columns[base + i] - centre;
                    distance[i] += diff * diff;
                }
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                float m = Math.min(minDistance[i], distance[i]);
                minDistance[i] = m;
                total += m;
            }
            int pick;
            if (total <= 0) {
                pick = random.nextInt(n); // fewer distinct points than centroids: duplicates are harmless
            } else {
                double target = random.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += minDistance[i];
                    if (acc >= target) {
                        pick = i;
                        break;
                    }
                }
            }
            setCentroid(centroidsT, c, points, pick, dims);
        }
        return centroidsT;
    }

    private static void setCentroid(float[] centroidsT, int c, float[] points, int p, int dims) {
        for (int d = 0; d < dims; d++) {
            centroidsT[d * K + c] = points[p * dims + d];
        }
    }
}
