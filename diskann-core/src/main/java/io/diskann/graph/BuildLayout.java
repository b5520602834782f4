package io.diskann.graph;

import io.diskann.util.Workers;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A storage order for the vectors of a bulk build in which points close in space sit close in memory:
 * two levels of k-means (a few Lloyd rounds on a sample, then every point assigned), the points of each
 * leaf numbered together, leaves of one top-level cluster together.
 *
 * <p>Why: a build is mostly candidate searches whose time is memory stalls on the rows they score
 * (async-profiler: {@code touch} 29% of a 200k x 128 build, 27% of Fashion-MNIST's). In file order a
 * search's rows are scattered over the whole store; laid out by cluster, the rows of the region a search
 * ends in share DRAM pages and stay in cache for the next search that ends nearby. The BFS layout at the
 * end of the build then renumbers for searching, as before. Ids never change: the slot table maps them.
 * Nodes are still linked in id order (linking cluster by cluster was faster but cost recall).
 *
 * <p>Measured (docs/PERFORMANCE.md): 1M x 128 on 2 threads 364 s -> 263.4 s at the same recall (308 s -> 241 s
 * with prunes on codes); 200k x 128
 * (24 MiB of codes, inside the 32 MiB L3) 43.3 s -> 42.7 s, no change.
 *
 * <p>Cost: about {@code 2 x TOP} distance computations per point plus the sample's Lloyd rounds.
 */
final class BuildLayout {

    /** Clusters per level: 32 x 32 = 1,024 leaves, about 1,000 points each at 1M. */
    private static final int TOP = 32;
    private static final int LLOYD_ROUNDS = 4;
    private static final int SAMPLE = 8_192;

    private BuildLayout() {
    }

    /**
     * The order {@code order[newSlot] = oldSlot} over slots {@code 0..n-1} of {@code vectors}. Deterministic
     * for a given {@code seed}.
     */
    static int[] clustered(VectorStore vectors, int n, int dimensions, long seed) {
        return clustered(vectors, n, dimensions, seed, 1);
    }

    /**
     * As {@link #clustered(VectorStore, int, int, long)} on {@code threads} threads: the top level's assignment in
     * blocks, then the top-level clusters' own k-means side by side. The same order for any thread count: each
     * cluster draws from its own generator, split from the seed's in cluster order. Why: the layout ran on one
     * thread for 1.5 s of a 1M x 128 build on 2 (docs/PERFORMANCE.md section 36).
     */
    static int[] clustered(VectorStore vectors, int n, int dimensions, long seed, int threads) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        int[] sizes = new int[TOP];
        int[] top = assign(vectors, all, n, dimensions, TOP, random, sizes, threads);
        int[][] groups = group(all, top, n, sizes);
        SplittableRandom[] randoms = new SplittableRandom[groups.length];
        int[] starts = new int[groups.length];
        for (int g = 0, w = 0; g < groups.length; g++) {
            randoms[g] = random.split();
            starts[g] = w;
            w += groups[g].length;
        }
        Workers.forEach("diskann-layout", Math.min(threads, groups.length), groups.length, 1, () -> null, (unused, gi) -> {
            int[] g = groups[gi];
            int k = Math.max(1, Math.min(TOP, g.length / 64));
            int[] subSizes = new int[k];
            int[] sub = assign(vectors, g, g.length, dimensions, k, randoms[gi], subSizes, 1);
            int w = starts[gi];
            for (int[] leaf : group(g, sub, g.length, subSizes)) {
                System.arraycopy(leaf, 0, order, w, leaf.length);
                w += leaf.length;
            }
        });
        return order;
    }

    /** Points assigned per block when the top level's assignment runs on several threads. */
    private static final int ASSIGN_BLOCK = 4096;

    /**
     * The nearest of {@code k} centroids (fitted on a sample of {@code ids}) for each of {@code ids[0..m)}, the
     * assignment on {@code threads} threads.
     */
    private static int[] assign(VectorStore vectors, int[] ids, int m, int dimensions, int k,
                                SplittableRandom random, int[] sizes, int threads) {
        int[] cluster = new int[m];
        if (k == 1 || m <= k) {
            sizes[0] = m;
            return cluster;
        }
        int s = Math.min(m, SAMPLE);
        float[][] sample = new float[s][dimensions];
        int[] picks = sampleIndexes(m, s, random);
        for (int i = 0; i < s; i++) {
            vectors.get(ids[picks[i]], sample[i]);
        }
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            centroids[c] = sample[c * s / k].clone();
        }
        int[] sampleCluster = new int[s];
        for (int round = 0; round < LLOYD_ROUNDS; round++) {
            for (int i = 0; i < s; i++) {
                sampleCluster[i] = nearest(centroids, sample[i]);
            }
            float[][] sums = new float[k][dimensions];
            int[] counts = new int[k];
            for (int i = 0; i < s; i++) {
                int c = sampleCluster[i];
                counts[c]++;
                float[] sum = sums[c];
                float[] v = sample[i];
                for (int d = 0; d < dimensions; d++) {
                    sum[d] += v[d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int d = 0; d < dimensions; d++) {
                        sums[c][d] /= counts[c];
                    }
                    centroids[c] = sums[c];
                } // an empty cluster keeps its centroid
            }
        }
        Workers.forEach("diskann-layout", m >= 4 * ASSIGN_BLOCK ? threads : 1, m, ASSIGN_BLOCK,
                () -> new float[dimensions], (v, i) -> {
                    vectors.get(ids[i], v);
                    cluster[i] = nearest(centroids, v);
                });
        for (int i = 0; i < m; i++) {
            sizes[cluster[i]]++;
        }
        return cluster;
    }

    private static int nearest(float[][] centroids, float[] v) {
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            float d = Distances.distance(Metric.L2, centroids[c], v);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static int[] sampleIndexes(int m, int s, SplittableRandom random) {
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < s; i++) {
            int j = i + random.nextInt(m - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, s);
    }

    /** {@code ids[0..m)} split by cluster, in cluster order, each group in its original order. */
    private static int[][] group(int[] ids, int[] cluster, int m, int[] sizes) {
        int[][] groups = new int[sizes.length][];
        int[] fill = new int[sizes.length];
        for (int c = 0; c < sizes.length; c++) {
            groups[c] = new int[sizes[c]];
        }
        for (int i = 0; i < m; i++) {
            int c = cluster[i];
            groups[c][fill[c]++] = ids[i];
        }
        return groups;
    }
}
