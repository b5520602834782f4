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
    /** Draws per k-means++ step; see {@link #seedPlusPlus}. */
    private static final int SEEDING_CANDIDATES = 3;
    /** Points per partial sum of the seeding's D(x)^2 (see {@link #draw}). */
    private static final int BLOCK = 64;
    /** At least this many points compare the seeding's candidates (see {@link #seedPlusPlus}). */
    private static final int COMPARED_POINTS = 4096;

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
     * Greedy k-means++ (Arthur and Vassilvitskii; scikit-learn's default seeding, which draws 2 + ln k
     * candidates where this draws {@link #SEEDING_CANDIDATES}): each next centroid is the best of the points
     * drawn with probability proportional to D(x)^2, the one that lowers the total D(x)^2 most. Plain k-means++ (one draw) now and then seeds one tight cluster twice,
     * and Lloyd's iterations cannot undo that: two real clusters then share a centroid midway between them
     * (QuantizerTest.kMeansFindsSeparatedClusters, 256 clusters for 256 centroids, failed about one seed
     * in 55). With three draws it failed for none of 600 data seeds. The draws are compared on a strided
     * subsample of at least 4,096 points (all of them when there are fewer), so the extra work is small: on 60,000 x 8 (one PQ chunk of
     * Fashion-MNIST) seeding took 130-195 ms against 113-156 ms before, beside about 230 ms for the 12
     * Lloyd iterations (noisy machine, alternating runs). A draw finds its block of 64 points from block
     * sums first. The points are transposed once
     * ({@code [dims][n]}) so scoring a candidate is a few straight loops over n that the JIT vectorizes.
     */
    private static float[] seedPlusPlus(float[] points, int n, int dims, SplittableRandom random) {
        float[] centroidsT = new float[dims * K];
        float[] columns = new float[dims * n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                columns[d * n + i] = points[i * dims + d];
            }
        }
        // The candidates are compared on every stride-th point only: a candidate that lands in a covered
        // cluster lowers the sum by almost nothing on any few thousand points spread over the sample, and
        // their columns stay in the L2 cache while the whole ones do not.
        int stride = Math.max(1, n / Math.max(COMPARED_POINTS, n / 8));
        int compared = (n + stride - 1) / stride;
        float[] comparedColumns = new float[dims * compared];
        for (int j = 0; j < compared; j++) {
            for (int d = 0; d < dims; d++) {
                comparedColumns[d * compared + j] = points[j * stride * dims + d];
            }
        }
        float[] comparedMin = new float[compared];
        float[] minDistance = new float[n];
        float[] minBlocks = new float[(n + BLOCK - 1) / BLOCK];
        float[] distance = new float[n];
        int first = random.nextInt(n);
        distanceToPoint(columns, n, dims, points, first, minDistance, n);
        double total = blockSums(minDistance, n, minBlocks);
        for (int j = 0; j < compared; j++) {
            comparedMin[j] = minDistance[j * stride];
        }
        setCentroid(centroidsT, 0, points, first, dims);
        for (int c = 1; c < K; c++) {
            int pick;
            if (total <= 0) {
                pick = random.nextInt(n); // fewer distinct points than centroids: duplicates are harmless
            } else {
                pick = -1;
                double bestSum = Double.POSITIVE_INFINITY;
                for (int t = 0; t < SEEDING_CANDIDATES; t++) {
                    int candidate = draw(minDistance, minBlocks, n, random.nextDouble() * total);
                    distanceToPoint(comparedColumns, compared, dims, points, candidate, distance, compared);
                    double sum = sumOfMinima(comparedMin, distance, compared);
                    if (pick < 0 || sum < bestSum) { // a sum can overflow to infinity at huge coordinates
                        bestSum = sum;
                        pick = candidate;
                    }
                }
            }
            distanceToPoint(columns, n, dims, points, pick, distance, n);
            for (int i = 0; i < n; i++) {
                minDistance[i] = Math.min(minDistance[i], distance[i]);
            }
            total = blockSums(minDistance, n, minBlocks);
            for (int j = 0; j < compared; j++) {
                comparedMin[j] = minDistance[j * stride];
            }
            setCentroid(centroidsT, c, points, pick, dims);
        }
        return centroidsT;
    }

    /** Squared distance of the first {@code count} points to point {@code p}, into {@code out}. */
    private static void distanceToPoint(float[] columns, int n, int dims, float[] points, int p, float[] out,
            int count) {
        java.util.Arrays.fill(out, 0, count, 0f);
        for (int d = 0; d < dims; d++) {
            float centre = points[p * dims + d];
            int base = d * n;
            for (int i = 0; i < count; i++) {
                float diff = columns[base + i] - centre;
                out[i] += diff * diff;
            }
        }
    }

    /** The sum of {@code min(a[i], b[i])} over the first {@code count} points, four running sums. */
    private static double sumOfMinima(float[] a, float[] b, int count) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < count; i += 4) {
            s0 += Math.min(a[i], b[i]);
            s1 += Math.min(a[i + 1], b[i + 1]);
            s2 += Math.min(a[i + 2], b[i + 2]);
            s3 += Math.min(a[i + 3], b[i + 3]);
        }
        for (; i < count; i++) {
            s0 += Math.min(a[i], b[i]);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Sums {@code values} in blocks of {@link #BLOCK} into {@code sums} and returns the total. Four
     * running sums per block, not one: a single chain of dependent additions over n points was most of
     * the seeding's time (about 4 cycles a point).
     */
    private static double blockSums(float[] values, int n, float[] sums) {
        double total = 0;
        for (int start = 0, b = 0; start < n; start += BLOCK, b++) {
            int end = Math.min(n, start + BLOCK);
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = start;
            for (; i + 3 < end; i += 4) {
                s0 += values[i];
                s1 += values[i + 1];
                s2 += values[i + 2];
                s3 += values[i + 3];
            }
            for (; i < end; i++) {
                s0 += values[i];
            }
            float sum = (s0 + s1) + (s2 + s3);
            sums[b] = sum;
            total += sum;
        }
        return total;
    }

    /**
     * The point at which the running sum of {@code weights} reaches {@code target}: the block first, from
     * the block sums, then the point within it.
     */
    private static int draw(float[] weights, float[] blockSums, int n, double target) {
        double acc = 0;
        int blocks = blockSums.length;
        int b = 0;
        while (b < blocks - 1 && acc + blockSums[b] < target) {
            acc += blockSums[b];
            b++;
        }
        int end = Math.min(n, (b + 1) * BLOCK);
        for (int i = b * BLOCK; i < end; i++) {
            acc += weights[i];
            if (acc >= target && weights[i] > 0) {
                return i;
            }
        }
        // rounding ran past the block: the next point with weight, else the last one before it
        for (int i = end; i < n; i++) {
            if (weights[i] > 0) {
                return i;
            }
        }
        for (int i = end - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return n - 1;
    }

    private static void setCentroid(float[] centroidsT, int c, float[] points, int p, int dims) {
        for (int d = 0; d < dims; d++) {
            centroidsT[d * K + c] = points[p * dims + d];
        }
    }
}
