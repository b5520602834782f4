package io.diskann.disk;

import io.diskann.util.Workers;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.Random;

/**
 * The partitioned build's geometry (see {@link DiskIndexBuilder}): a sorted random sample, k-means on it,
 * each vector's two nearest centroids, and the vector nearest the mean (the entry point). Every vector is
 * read from the {@link VectorReader}; only the sample is held in the heap.
 */
final class Partitioning {

    private Partitioning() {
    }

    /** For each vector, its nearest and second-nearest centroid (L2), as two arrays. */
    static int[][] nearestTwo(VectorReader vectors, float[][] centroids, int threads) {
        int n = vectors.count();
        int dims = vectors.dimensions();
        int parts = centroids.length;
        int[] first = new int[n];
        int[] second = new int[n];
        Workers.forEach("diskann-partition", threads, n, 1024, () -> new float[dims], (v, i) -> {
            vectors.vector(i, v);
            int a = -1;
            int b = -1;
            double da = Double.MAX_VALUE;
            double db = Double.MAX_VALUE;
            for (int c = 0; c < parts; c++) {
                double d = Distances.distance(Metric.L2, v, centroids[c]);
                if (d < da) {
                    b = a;
                    db = da;
                    a = c;
                    da = d;
                } else if (d < db) {
                    b = c;
                    db = d;
                }
            }
            first[i] = a;
            second[i] = b;
        });
        return new int[][] {first, second};
    }

    static int[] sampleIds(int n, int size, Random random) {
        if (size >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        // a sorted random subset (Floyd's algorithm via a bitset)
        java.util.BitSet chosen = new java.util.BitSet(n);
        for (int j = n - size; j < n; j++) {
            int t = random.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        return chosen.stream().toArray();
    }

    static float[][] kMeans(VectorReader vectors, int[] sample, int k, int iterations, Random random,
                                    int threads) {
        int dims = vectors.dimensions();
        float[][] points = new float[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            points[i] = vectors.vector(sample[i], new float[dims]);
        }
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            centroids[c] = points[random.nextInt(points.length)].clone();
        }
        int[] assign = new int[points.length];
        for (int it = 0; it < iterations; it++) {
            Workers.forEach("diskann-kmeans", threads, points.length, 512, () -> null, (unused, i) -> {
                int best = 0;
                double bd = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double d = Distances.distance(Metric.L2, points[i], centroids[c]);
                    if (d < bd) {
                        bd = d;
                        best = c;
                    }
                }
                assign[i] = best;
            });
            double[][] sum = new double[k][dims];
            int[] count = new int[k];
            for (int i = 0; i < points.length; i++) {
                count[assign[i]]++;
                for (int j = 0; j < dims; j++) {
                    sum[assign[i]][j] += points[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) {
                    centroids[c] = points[random.nextInt(points.length)].clone(); // an empty part restarts
                    continue;
                }
                for (int j = 0; j < dims; j++) {
                    centroids[c][j] = (float) (sum[c][j] / count[c]);
                }
            }
        }
        return centroids;
    }

    static int medoid(VectorReader vectors, int threads) {
        int n = vectors.count();
        int dims = vectors.dimensions();
        double[] mean = new double[dims];
        float[] v = new float[dims];
        for (int i = 0; i < n; i++) {
            vectors.vector(i, v);
            for (int j = 0; j < dims; j++) {
                mean[j] += v[j];
            }
        }
        float[] m = new float[dims];
        for (int j = 0; j < dims; j++) {
            m[j] = (float) (mean[j] / n);
        }
        int best = 0;
        double bd = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double d = Distances.distance(Metric.L2, vectors.vector(i, v), m);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
        return best;
    }
}
