package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The refinement pass turns a graph that does not navigate (random edges) into one that finds the true
 * neighbours, and leaves well-formed lists: at most R, no self loops, no duplicates, ids in range.
 */
class GraphRefinerTest {

    private static final int N = 3000;
    private static final int DIMS = 16;
    private static final int R = 16;

    @Test
    void oneRefinementPassMakesARandomGraphNavigable() {
        for (Metric metric : Metric.values()) {
            Random random = TestSeeds.random(71 + metric.ordinal());
            float[][] base = gaussian(N, DIMS, random);
            float[][] queries = gaussian(100, DIMS, random);
            int stride = (int) Math.ceil(R * 1.3);
            int[] adjacency = new int[N * stride];
            byte[] low = new byte[N];
            byte[] high = new byte[N];
            for (int v = 0; v < N; v++) { // R random out-edges each: connected, but no notion of nearness
                int d = 0;
                while (d < R) {
                    int t = random.nextInt(N);
                    boolean seen = t == v;
                    for (int j = 0; j < d && !seen; j++) {
                        seen = adjacency[v * stride + j] == t;
                    }
                    if (!seen) {
                        adjacency[v * stride + d++] = t;
                    }
                }
                low[v] = (byte) d;
            }
            double before = recall(metric, base, queries, adjacency, low, high, stride);
            new GraphRefiner(VectorReader.of(base), metric, adjacency, low, high, stride, R, 48, 1.2f, 750, false)
                    .refineAll(0, 2, random.nextLong(), s -> { });
            for (int v = 0; v < N; v++) {
                int d = DiskIndexBuilder.degree(low, high, v);
                assertTrue(d >= 1 && d <= R, metric + ": degree " + d + " of " + v);
                int[] list = Arrays.copyOfRange(adjacency, v * stride, v * stride + d);
                int self = v;
                assertTrue(Arrays.stream(list).allMatch(t -> t >= 0 && t < N && t != self), metric + ": list of " + v);
                assertTrue(Arrays.stream(list).distinct().count() == d, metric + ": duplicates in " + v);
            }
            double after = recall(metric, base, queries, adjacency, low, high, stride);
            assertTrue(after >= 0.95, metric + ": recall after refinement " + after + " (before " + before + ")");
            assertTrue(after > before + 0.2, metric + ": before " + before + ", after " + after);
        }
    }

    static float[][] gaussian(int n, int dims, Random random) {
        float[][] v = new float[n][dims];
        for (float[] row : v) {
            for (int j = 0; j < dims; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return v;
    }

    /** recall@10 of a plain best-first search (list size 64) from node 0, against brute force. */
    private static double recall(Metric metric, float[][] base, float[][] queries, int[] adjacency, byte[] low,
                                 byte[] high, int stride) {
        int hits = 0;
        for (float[] q : queries) {
            int[] truth = DiskIndexTest.truth(metric, base, q, 10);
            int[] found = bestFirst(metric, base, q, adjacency, low, high, stride, 64, 10);
            for (int f : found) {
                for (int t : truth) {
                    hits += f == t ? 1 : 0;
                }
            }
        }
        return hits / (10.0 * queries.length);
    }

    private static int[] bestFirst(Metric metric, float[][] base, float[] q, int[] adjacency, byte[] low, byte[] high,
                                   int stride, int listSize, int k) {
        int n = base.length;
        boolean[] seen = new boolean[n];
        boolean[] done = new boolean[n];
        int[] list = new int[listSize + 1];
        float[] dist = new float[listSize + 1];
        int size = 1;
        list[0] = 0;
        dist[0] = Distances.distance(metric, q, base[0]);
        seen[0] = true;
        while (true) {
            int at = 0;
            while (at < size && done[list[at]]) {
                at++;
            }
            if (at == size) {
                break;
            }
            int u = list[at];
            done[u] = true;
            int d = DiskIndexBuilder.degree(low, high, u);
            for (int j = 0; j < d; j++) {
                int t = adjacency[u * stride + j];
                if (seen[t]) {
                    continue;
                }
                seen[t] = true;
                float dt = Distances.distance(metric, q, base[t]);
                int pos = size;
                while (pos > 0 && dist[pos - 1] > dt) {
                    list[pos] = list[pos - 1];
                    dist[pos] = dist[pos - 1];
                    pos--;
                }
                list[pos] = t;
                dist[pos] = dt;
                size = Math.min(size + 1, listSize);
            }
        }
        return Arrays.copyOf(list, Math.min(k, size));
    }
}
